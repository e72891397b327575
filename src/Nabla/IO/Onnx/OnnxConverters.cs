using Nabla.Models;
using Nabla.NN;
using static Nabla.IO.Onnx.OnnxAttribute;

namespace Nabla.IO.Onnx;

/// <summary>
/// The built-in converters, one per module type: layers (this file), recurrent layers and embeddings
/// (OnnxConverters.Recurrent.cs) and the model families with their own Forward (OnnxConverters.Models.cs).
/// Each emits the ONNX ops that compute the module's eval-mode Forward: BatchNorm with its running statistics,
/// Dropout as Identity.
/// </summary>
public static partial class OnnxConverters
{
    internal static void RegisterBuiltIns(OnnxExporter e)
    {
        e.Register<Sequential>(ConvertSequential);
        e.Register<Linear>(ConvertLinear);
        e.Register<Conv1d>(ConvertConv1d);
        e.Register<Conv2d>(ConvertConv2d);
        e.Register<MaxPool2d>((ctx, m, x) => Pool(ctx, m, x, "MaxPool", m.KernelSize, m.Stride, m.Padding));
        e.Register<AvgPool2d>((ctx, m, x) => Pool(ctx, m, x, "AveragePool", m.KernelSize, m.Stride, m.Padding, Int("count_include_pad", 1)));
        e.Register<BatchNorm1d>((ctx, m, x) => ConvertBatchNorm(ctx, m, x));
        e.Register<BatchNorm2d>((ctx, m, x) => ConvertBatchNorm(ctx, m, x));
        e.Register<Dropout>((ctx, m, x) => Unary(ctx, m, x, "Identity"));   // eval mode: y = x
        e.Register<Identity>((ctx, m, x) => Unary(ctx, m, x, "Identity"));
        e.Register<Flatten>(ConvertFlatten);
        e.Register<ReLU>((ctx, m, x) => Unary(ctx, m, x, "Relu"));
        e.Register<Sigmoid>((ctx, m, x) => Unary(ctx, m, x, "Sigmoid"));
        e.Register<Tanh>((ctx, m, x) => Unary(ctx, m, x, "Tanh"));
        e.Register<LeakyReLU>((ctx, m, x) => Unary(ctx, m, x, "LeakyRelu", Float("alpha", m.NegativeSlope)));
        e.Register<ELU>((ctx, m, x) => Unary(ctx, m, x, "Elu", Float("alpha", m.Alpha)));
        e.Register<Softplus>(ConvertSoftplus);
        e.Register<GELU>(ConvertGelu);
        RegisterRecurrent(e);
        RegisterModels(e);
    }

    /// <summary>"path.name" for a parameter of the module being converted (its state-dict key).</summary>
    internal static string Key(OnnxContext ctx, string name) => ctx.Path.Length == 0 ? name : ctx.Path + "." + name;

    private static OnnxValue Out(OnnxContext ctx, Module m, string name) => new(name, ctx.OutputShape(m));

    private static OnnxValue Unary(OnnxContext ctx, Module m, OnnxValue x, string op, params OnnxAttribute[] attributes) =>
        new(ctx.Node(op, [x.Name], attributes), x.Shape);

    private static OnnxValue ConvertSequential(OnnxContext ctx, Sequential m, OnnxValue x)
    {
        for (int i = 0; i < m.Count; i++) x = ctx.Emit(m[i], x, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return x;
    }

    /// <summary>y = x·Wᵀ + b: Gemm(transB = 1) for [N, in]; MatMul with a stored Wᵀ plus Add for [N, *, in].</summary>
    private static OnnxValue ConvertLinear(OnnxContext ctx, Linear m, OnnxValue x)
    {
        string? b = m.Bias is null ? null : ctx.Initializer(Key(ctx, "bias"), m.Bias);
        if (x.Rank == 2)
        {
            string w = ctx.Initializer(Key(ctx, "weight"), m.Weight);
            return Out(ctx, m, ctx.Node("Gemm", b is null ? [x.Name, w] : [x.Name, w, b], Int("transB", 1)));
        }
        string wt = ctx.Initializer(Key(ctx, "weight_t"), m.Weight.Transpose(0, 1));               // [in, out]
        string y = ctx.Node("MatMul", [x.Name, wt]);
        return Out(ctx, m, b is null ? y : ctx.Node("Add", [y, b]));
    }

    private static OnnxValue ConvertConv2d(OnnxContext ctx, Conv2d m, OnnxValue x)
    {
        var (top, bottom, left, right) = m.Padding.Resolve(m.Dilation.H, m.KernelSize.H, m.Dilation.W, m.KernelSize.W);
        return Conv(ctx, m, x, m.Weight, m.Bias, [m.KernelSize.H, m.KernelSize.W], [m.Stride.H, m.Stride.W],
            [top, left, bottom, right], [m.Dilation.H, m.Dilation.W]);
    }

    /// <summary>Conv1d; "same" pads d·(k − 1) in total with the odd element on the right (PyTorch's rule).</summary>
    private static OnnxValue ConvertConv1d(OnnxContext ctx, Conv1d m, OnnxValue x)
    {
        var (_, _, left, right) = m.Padding.Resolve(1, 1, m.Dilation, m.KernelSize);
        return Conv(ctx, m, x, m.Weight, m.Bias, [m.KernelSize], [m.Stride], [left, right], [m.Dilation]);
    }

    private static OnnxValue Conv(OnnxContext ctx, Module m, OnnxValue x, Nabla.Tensor weight, Nabla.Tensor? bias,
        long[] kernel, long[] strides, long[] pads, long[] dilations)
    {
        string w = ctx.Initializer(Key(ctx, "weight"), weight);
        string[] inputs = bias is null ? [x.Name, w] : [x.Name, w, ctx.Initializer(Key(ctx, "bias"), bias)];
        return Out(ctx, m, ctx.Node("Conv", inputs, Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads),
            Ints("dilations", dilations), Int("group", 1)));
    }

    private static OnnxValue Pool(OnnxContext ctx, Module m, OnnxValue x, string op, IntPair kernel, IntPair stride, IntPair padding,
        params OnnxAttribute[] extra) =>
        Out(ctx, m, ctx.Node(op, [x.Name], [Ints("kernel_shape", kernel.H, kernel.W), Ints("strides", stride.H, stride.W),
            Ints("pads", padding.H, padding.W, padding.H, padding.W), Int("ceil_mode", 0), .. extra]));

    /// <summary>Eval-mode BatchNorm: γ·(x − running_mean)/√(running_var + ε) + β (γ = 1, β = 0 without affine).</summary>
    private static OnnxValue ConvertBatchNorm(OnnxContext ctx, BatchNormBase m, OnnxValue x)
    {
        int c = m.NumFeatures;
        string scale = m.Weight is null ? ctx.Floats(Key(ctx, "weight"), [c], Enumerable.Repeat(1.0, c).ToArray()) : ctx.Initializer(Key(ctx, "weight"), m.Weight);
        string shift = m.Bias is null ? ctx.Floats(Key(ctx, "bias"), [c], new double[c]) : ctx.Initializer(Key(ctx, "bias"), m.Bias);
        string mean = ctx.Initializer(Key(ctx, "running_mean"), m.RunningMean);
        string variance = ctx.Initializer(Key(ctx, "running_var"), m.RunningVar);
        return Out(ctx, m, ctx.Node("BatchNormalization", [x.Name, scale, shift, mean, variance], Float("epsilon", m.Eps)));
    }

    /// <summary>Flatten(1, −1) is ONNX's Flatten(axis = 1); other ranges are a Reshape that copies the leading dims
    /// (0 = keep, so the batch stays dynamic), merges start..end (−1) and keeps the trailing sizes.</summary>
    private static OnnxValue ConvertFlatten(OnnxContext ctx, Flatten m, OnnxValue x)
    {
        int rank = x.Rank;
        int start = m.StartDim < 0 ? m.StartDim + rank : m.StartDim, end = m.EndDim < 0 ? m.EndDim + rank : m.EndDim;
        if (start == 1 && end == rank - 1) return Out(ctx, m, ctx.Node("Flatten", [x.Name], Int("axis", 1)));
        var shape = new List<long>();
        for (int i = 0; i < start; i++) shape.Add(0);
        shape.Add(-1);
        for (int i = end + 1; i < rank; i++) shape.Add(x.Shape[i]);
        return Out(ctx, m, ctx.Node("Reshape", [x.Name, ctx.Int64s(Key(ctx, "shape"), [.. shape])]));
    }

    /// <summary>PyTorch's Softplus: log(1 + e^(βx))/β, and x where βx &gt; threshold.</summary>
    private static OnnxValue ConvertSoftplus(OnnxContext ctx, Softplus m, OnnxValue x)
    {
        string bx = ctx.Node("Mul", [x.Name, ctx.Scalar(Key(ctx, "beta"), m.Beta)]);
        string sp = ctx.Node("Div", [ctx.Node("Softplus", [bx]), ctx.Scalar(Key(ctx, "beta_div"), m.Beta)]);
        string linear = ctx.Node("Greater", [bx, ctx.Scalar(Key(ctx, "threshold"), m.Threshold)]);
        return new(ctx.Node("Where", [linear, x.Name, sp]), x.Shape);
    }

    /// <summary>GELU: ONNX's Gelu from opset 20 ("none" and "tanh"); below, x·½(1 + erf(x/√2)) or
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))); the "sigmoid" form is x·σ(1.702x) at any opset.</summary>
    private static OnnxValue ConvertGelu(OnnxContext ctx, GELU m, OnnxValue x)
    {
        string X = x.Name;
        if (m.Approximate == "sigmoid")
            return new(ctx.Node("Mul", [X, ctx.Node("Sigmoid", [ctx.Node("Mul", [X, ctx.Scalar(Key(ctx, "k"), 1.702)])])]), x.Shape);
        if (ctx.Opset >= 20) return Unary(ctx, m, x, "Gelu", String("approximate", m.Approximate));
        string one = ctx.Scalar(Key(ctx, "one"), 1), half = ctx.Scalar(Key(ctx, "half"), 0.5);
        string inner;
        if (m.Approximate == "none")
            inner = ctx.Node("Erf", [ctx.Node("Mul", [X, ctx.Scalar(Key(ctx, "inv_sqrt2"), 1 / Math.Sqrt(2))])]);
        else
        {
            string cube = ctx.Node("Mul", [ctx.Node("Mul", [X, X]), X]);
            string poly = ctx.Node("Add", [X, ctx.Node("Mul", [cube, ctx.Scalar(Key(ctx, "c"), 0.044715)])]);
            inner = ctx.Node("Tanh", [ctx.Node("Mul", [poly, ctx.Scalar(Key(ctx, "sqrt_2_over_pi"), Math.Sqrt(2 / Math.PI))])]);
        }
        return new(ctx.Node("Mul", [ctx.Node("Mul", [X, ctx.Node("Add", [inner, one])]), half]), x.Shape);
    }
}
