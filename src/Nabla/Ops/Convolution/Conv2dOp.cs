using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y[n, co, oh, ow] = b[co] + Σ_{ci, kh, kw} w[co, ci, kh, kw] · x[n, ci, oh·sH − padTop + kh·dH, ow·sW − padLeft + kw·dW]
/// (cross-correlation, zero padding). With the column matrix col(x[n]) of <see cref="Im2Col"/>: Y[n] = W·col(x[n]) + b, so
/// ∂L/∂W = Σ_n ∂L/∂Y[n]·col(x[n])ᵀ, ∂L/∂x[n] = col2im(Wᵀ·∂L/∂Y[n]), ∂L/∂b[co] = Σ_{n, oh, ow} ∂L/∂y[n, co, oh, ow].
/// </summary>
/// <remarks>
/// Shapes: x [N, Cin, H, W] (or unbatched [Cin, H, W]), w [Cout, Cin, kH, kW], b [Cout], y [N, Cout, OutH, OutW] with
/// OutH = ⌊(H + padTop + padBottom − dH·(kH − 1) − 1) / sH⌋ + 1 (likewise OutW). No groups.
/// </remarks>
internal sealed class Conv2dOp : Node
{
    private const string Op = "Conv2d";
    private Tensor _input = null!, _weight = null!;
    private ConvGeometry _geometry;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _input : null, NeedsGrad(0) ? _weight : null];

    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, IntPair stride, ConvPadding padding, IntPair dilation)
    {
        if (input.Rank == 3 && weight.Rank == 4)   // unbatched [Cin, H, W]
        {
            var y3 = Forward(input.Reshape([1, .. input.Shape]), weight, bias, stride, padding, dilation);
            return y3.Reshape(y3.Shape[1..].ToArray());
        }
        ConvCore.CheckTensors(Op, input, weight, bias, 2);
        var g = Geometry(input, weight, stride, padding, dilation);
        var x = input.ContiguousRaw();
        var w = weight.ContiguousRaw();
        var y = ConvCore.Forward(x, w, bias?.ContiguousRaw(), [input.Size(0), weight.Size(0), g.OutH, g.OutW], g);
        return new Conv2dOp { _input = x.Detach(), _weight = w.Detach(), _geometry = g }.Record(y, input, weight, bias);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var (gx, gw, gb) = ConvCore.Backward(_input, _weight, gradOutput, NeedsGrad(0), NeedsGrad(1), NeedsGrad(2), _geometry);
        return [gx, gw, gb];
    }

    /// <summary>Checks the hyper-parameters against the shapes and builds the index map.</summary>
    private static ConvGeometry Geometry(Tensor input, Tensor weight, IntPair stride, ConvPadding padding, IntPair dilation)
    {
        ConvCore.CheckPositive(Op, "stride", Math.Min(stride.H, stride.W));
        ConvCore.CheckPositive(Op, "dilation", Math.Min(dilation.H, dilation.W));
        if (padding.IsSame && (stride.H != 1 || stride.W != 1))
            throw new ArgumentException($"{Op}: padding \"same\" requires stride 1, got stride {stride}");
        int kh = weight.Size(2), kw = weight.Size(3), h = input.Size(2), wd = input.Size(3);
        var (top, bottom, left, right) = padding.Resolve(dilation.H, kh, dilation.W, kw);
        ConvCore.CheckPadding(Op, Math.Min(Math.Min(top, bottom), Math.Min(left, right)));
        if (kh < 1 || kw < 1) throw ShapeMismatchException.For(Op, "the kernel must not be empty", input.Shape.ToArray(), weight.Shape.ToArray());
        ConvCore.CheckFits(Op, "height", h, top + bottom, kh, dilation.H, input, weight);
        ConvCore.CheckFits(Op, "width", wd, left + right, kw, dilation.W, input, weight);
        return ConvGeometry.Create(input.Size(1), h, wd, kh, kw, stride.H, stride.W, top, bottom, left, right, dilation.H, dilation.W);
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>
        /// 2-d convolution (PyTorch's <c>conv2d</c>, no groups): input [N, Cin, H, W], weight [Cout, Cin, kH, kW],
        /// optional bias [Cout] → [N, Cout, OutH, OutW]. stride, padding and dilation take an int or an (h, w)
        /// tuple; padding also "same" (stride 1 only) or "valid". See <see cref="Conv2dOp"/>.
        ///  Derivatives: ∂L/∂x = the transposed convolution of the upstream gradient g with the weight, ∂L/∂w = the correlation of x with g, ∂L/∂b = Σ of g over N, H, W.</summary>
        public Tensor Conv2d(Tensor weight, Tensor? bias = null, IntPair? stride = null, ConvPadding? padding = null, IntPair? dilation = null) =>
            Conv2dOp.Forward(input, weight, bias, stride ?? 1, padding ?? 0, dilation ?? 1);
    }
}
