using System.Numerics.Tensors;
using Tensor = Nabla.Tensors.Tensor;
using Nabla.Autograd;
using Nabla.Tensors;

namespace Nabla.Ops;

/// <summary>
/// Inverted dropout: y = x ⊙ m / (1 − p) with m_i ~ Bernoulli(1 − p) (m_i = 1 keeps x_i), so E[y] = x and
/// nothing needs rescaling at eval time. ∂L/∂x = g ⊙ m / (1 − p). In eval mode, or when p = 0, y = x (identity,
/// no copy, nothing recorded).
/// </summary>
public sealed class DropoutOp : Node
{
    private Tensor _mask = null!;   // m / (1 − p), same shape as x, contiguous

    /// <summary>Samples the mask from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    public static Tensor Forward(Tensor x, double p, bool training, Generator? generator = null)
    {
        CheckP(p);
        Dispatch.Floating("Dropout", x);
        if (!training || p == 0) return x;
        var mask = SampleMask(x.Shape.ToArray(), p, x.DType, generator);
        return Apply(x, mask, p);
    }

    /// <summary>Uses an explicit 0/1 <paramref name="mask"/> (broadcastable to x; 1 = keep), e.g. to reproduce a
    /// textbook example; y = x ⊙ mask / (1 − p).</summary>
    public static Tensor Forward(Tensor x, Tensor mask, double p)
    {
        CheckP(p);
        Dispatch.Floating("Dropout", x);
        var shape = x.Shape.ToArray();
        if (!ShapeUtil.SameShape(ShapeUtil.BroadcastShapes(shape, mask.Shape, "Dropout"), shape))
            throw ShapeMismatchException.For("Dropout", "the mask must broadcast to the input's shape", shape, mask.Shape.ToArray());
        var m = mask.ToDTypeRaw(x.DType);   // own copy, so scaling below never touches the caller's mask
        foreach (double v in m.ToDoubleArray())
            if (v != 0 && v != 1) throw new ArgumentException($"Dropout: the mask must hold only 0 and 1, found {v}");
        var full = Tensor.Empty(shape, x.DType);
        full.CopyFrom_(m.AsStrided(shape, ShapeUtil.BroadcastStrides(m.Shape, m.Strides, shape), m.Offset));
        return Apply(x, full, p);
    }

    /// <summary>A 0/1 mask of <paramref name="shape"/> with P(1) = 1 − p: element i keeps when u_i ≥ p for
    /// u_i = generator.NextDouble() drawn in row-major order (so a seed reproduces the mask).</summary>
    public static Tensor SampleMask(int[] shape, double p, DType dtype = DType.Float32, Generator? generator = null)
    {
        CheckP(p);
        var g = generator ?? Generator.Default;
        var m = Tensor.Empty(shape, dtype);
        if (dtype == DType.Float32) { var d = m.AsSpan<float>(); for (int i = 0; i < d.Length; i++) d[i] = g.NextDouble() >= p ? 1f : 0f; }
        else if (dtype == DType.Float64) { var d = m.AsSpan<double>(); for (int i = 0; i < d.Length; i++) d[i] = g.NextDouble() >= p ? 1.0 : 0.0; }
        else throw DTypeMismatchException.Unsupported("Dropout", dtype);
        return m;
    }

    /// <summary>y = x ⊙ mask·scale with scale = 1/(1 − p); <paramref name="mask"/> is a fresh contiguous 0/1
    /// tensor that is scaled in place and kept for backward.</summary>
    private static Tensor Apply(Tensor x, Tensor mask, double p)
    {
        var y = Tensor.Empty(x.Shape.ToArray(), x.DType);
        var xc = x.ContiguousRaw();
        if (x.DType == DType.Float32)
        {
            var ms = mask.AsSpan<float>();
            TensorPrimitives.Multiply(ms, (float)(1 / (1 - p)), ms);
            TensorPrimitives.Multiply(xc.AsSpan<float>(), ms, y.AsSpan<float>());
        }
        else
        {
            var ms = mask.AsSpan<double>();
            TensorPrimitives.Multiply(ms, 1 / (1 - p), ms);
            TensorPrimitives.Multiply(xc.AsSpan<double>(), ms, y.AsSpan<double>());
        }
        return new DropoutOp { _mask = mask }.Record(y, x);
    }

    private static void CheckP(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1), got {p}");
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _mask];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Inverted dropout with drop probability <paramref name="p"/> (like <c>F.dropout</c>); the identity
        /// when <paramref name="training"/> is false. The mask comes from <paramref name="generator"/> (seedable).</summary>
        public Tensor Dropout(double p = 0.5, bool training = true, Generator? generator = null) =>
            DropoutOp.Forward(x, p, training, generator);

        /// <summary>Dropout with an explicit 0/1 mask (1 = keep), scaled by 1/(1 − p).</summary>
        public Tensor Dropout(Tensor mask, double p) => DropoutOp.Forward(x, mask, p);
    }
}
