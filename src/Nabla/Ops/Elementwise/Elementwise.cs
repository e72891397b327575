using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>Shared forward plumbing for element-wise ops: unary maps over any layout, fused (g, s) backward
/// formulas, and comparisons.</summary>
internal static class Elementwise
{
    /// <summary>y = op(x) for a float32 (f) or float64 (d) tensor of any layout; y is contiguous. With
    /// <paramref name="into"/> = x (contiguous, not recorded: an activation applied in place) x is overwritten.</summary>
    public static Tensor Map<TF, TD>(string op, Tensor x, TF f, TD d, Tensor? into = null)
        where TF : struct, IUnaryOperator<float> where TD : struct, IUnaryOperator<double>
    {
        Dispatch.Floating(op, x);
        if (into is not null && (!ReferenceEquals(into, x) || !x.IsContiguous))
            throw new InvalidOperationException($"{op}: in place only over a contiguous input itself");
        var y = into ?? OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType);   // the driver writes every element
        if (x.DType == DType.Float32) UnaryDriver.Run(f, x.Storage<float>(), x.Offset, x.Strides, y.AsSpan<float>(), x.Shape);
        else UnaryDriver.Run(d, x.Storage<double>(), x.Offset, x.Strides, y.AsSpan<double>(), x.Shape);
        return y;
    }

    /// <summary>out = op(g, s) for two tensors of one shape (a fused backward formula: g the upstream gradient,
    /// s the saved input or output). Non-contiguous operands (expanded gradients, transposed inputs) are
    /// made contiguous first.</summary>
    public static Tensor Zip<TF, TD>(Tensor g, Tensor s, TF f, TD d)
        where TF : struct, ISimdBinaryOperator<float> where TD : struct, ISimdBinaryOperator<double>
    {
        if (!ShapeUtil.SameShape(g.Shape, s.Shape))
            throw ShapeMismatchException.For("Backward", "gradient and saved tensor differ in shape", g.Shape.ToArray(), s.Shape.ToArray());
        Dispatch.SameDType("Backward", g, s);
        var gc = g.ContiguousRaw();
        var sc = s.ContiguousRaw();
        var y = OpBuffers.Uninitialized(s.Shape.ToArray(), s.DType);
        if (s.DType == DType.Float32) SimdBinary.Apply(f, gc.AsSpan<float>(), sc.AsSpan<float>(), y.AsSpan<float>());
        else SimdBinary.Apply(d, gc.AsSpan<double>(), sc.AsSpan<double>(), y.AsSpan<double>());
        return y;
    }

    /// <summary>A comparison a ∘ b with broadcasting, as a 0/1 tensor of the operands' float dtype (not recorded).</summary>
    public static Tensor Compare<TF, TD>(string op, Tensor a, Tensor b)
        where TF : struct, ISimdBinaryOperator<float> where TD : struct, ISimdBinaryOperator<double> =>
        Dispatch.Binary<SimdBinaryAdapter<float, TF>, SimdBinaryAdapter<double, TD>>(op, a, b);
}
