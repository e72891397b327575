using System.Numerics.Tensors;
using Tensor = Nabla.Tensor;

namespace Nabla;

/// <summary>
/// Inverted dropout: y = x ⊙ m / (1 − p) with m_i ~ Bernoulli(1 − p) (m_i = 1 keeps x_i), so E[y] = x and
/// nothing needs rescaling at eval time. ∂L/∂x = g ⊙ m / (1 − p). In eval mode, or when p = 0, y = x (identity,
/// no copy, nothing recorded).
/// </summary>
internal sealed class DropoutOp : Node
{
    private Tensor _mask = null!;   // m / (1 − p), same shape as x, contiguous
    private protected override Tensor?[] Saved => [_mask];

    /// <summary>Samples the mask from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    public static Tensor Forward(Tensor x, double p, bool training, Generator? generator = null)
    {
        CheckP(p);
        Dispatch.Floating("Dropout", x);
        if (!training || p == 0) return x;
        var g = generator ?? Generator.Default;
        var mask = OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType);   // holds m/(1 − p) directly
        if (x.DType == DType.Float32) FillMask(mask.AsSpan<float>(), p, (float)(1 / (1 - p)), g);
        else FillMask(mask.AsSpan<double>(), p, 1 / (1 - p), g);
        return Apply(x, mask);
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
        var m = mask.ToDTypeRaw(x.DType);
        foreach (double v in m.ToDoubleArray())
            if (v != 0 && v != 1) throw new ArgumentException($"Dropout: the mask must hold only 0 and 1, found {v}");
        var full = OpBuffers.Uninitialized(shape, x.DType);   // own copy, scaled below; the caller's mask is untouched
        full.CopyFromRaw(m.AsStrided(shape, ShapeUtil.BroadcastStrides(m.Shape, m.Strides, shape), m.Offset));
        if (x.DType == DType.Float32) TensorPrimitives.Multiply(full.AsSpan<float>(), (float)(1 / (1 - p)), full.AsSpan<float>());
        else TensorPrimitives.Multiply(full.AsSpan<double>(), 1 / (1 - p), full.AsSpan<double>());
        return Apply(x, full);
    }

    /// <summary>
    /// A 0/1 mask of <paramref name="shape"/> with P(1) = 1 − p, the one <see cref="Forward(Tensor, double, bool, Generator?)"/>
    /// draws from the same generator state. Draw: the j-th <c>NextUInt64()</c> gives u = (low 32 bits)/2³² to element 2j
    /// and u = (high 32 bits)/2³² to element 2j + 1 (row-major); an element is kept when u ≥ p.
    /// </summary>
    public static Tensor SampleMask(int[] shape, double p, DType? dtype = null, Generator? generator = null)
    {
        CheckP(p);
        var g = generator ?? Generator.Default;
        var dt = Nabla.DefaultDType.Resolve(dtype);
        var m = OpBuffers.Uninitialized(shape, dt);
        if (dt == DType.Float32) FillMask(m.AsSpan<float>(), p, 1f, g);
        else if (dt == DType.Float64) FillMask(m.AsSpan<double>(), p, 1.0, g);
        else throw DTypeMismatchException.Unsupported("Dropout", dt);
        return m;
    }

    /// <summary>m_i = keep when u_i ≥ p else 0, two 32-bit uniforms per 64-bit draw (u ≥ p ⇔ bits ≥ ⌈p·2³²⌉).
    /// Branch-free (the keep bit indexes a two-entry table): a coin-flip branch mispredicts half the time.</summary>
    private static void FillMask<T>(Span<T> m, double p, T keep, Generator g) where T : System.Numerics.INumberBase<T>
    {
        ulong threshold = (ulong)Math.Ceiling(p * 4294967296.0);
        var table = new T[] { T.Zero, keep };
        // For a, threshold ≤ 2³²: a − threshold wraps to ≥ 2⁶³ exactly when a < threshold, so bit 63 is "drop".
        int i = 0;
        for (; i + 1 < m.Length; i += 2)
        {
            ulong r = g.NextUInt64();
            m[i] = table[(int)(((r & 0xFFFFFFFFUL) - threshold) >> 63) ^ 1];
            m[i + 1] = table[(int)(((r >> 32) - threshold) >> 63) ^ 1];
        }
        if (i < m.Length) m[i] = table[(int)(((g.NextUInt64() & 0xFFFFFFFFUL) - threshold) >> 63) ^ 1];
    }

    /// <summary>y = x ⊙ mask, where <paramref name="mask"/> (fresh, contiguous) already holds m/(1 − p); it is
    /// kept for backward.</summary>
    private static Tensor Apply(Tensor x, Tensor mask)
    {
        var y = OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType);
        var xc = x.ContiguousRaw();
        if (x.DType == DType.Float32) TensorPrimitives.Multiply(xc.AsSpan<float>(), mask.AsSpan<float>(), y.AsSpan<float>());
        else TensorPrimitives.Multiply(xc.AsSpan<double>(), mask.AsSpan<double>(), y.AsSpan<double>());
        return new DropoutOp { _mask = mask }.Record(y, x);
    }

    private static void CheckP(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1), got {p}");
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _mask];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Inverted dropout with drop probability <paramref name="p"/> (like <c>F.dropout</c>); the identity
        /// when <paramref name="training"/> is false. The mask comes from <paramref name="generator"/> (seedable).</summary>
        public Tensor Dropout(double p = 0.5, bool training = true, Generator? generator = null) =>
            DropoutOp.Forward(x, p, training, generator);

        /// <summary>Dropout with an explicit 0/1 mask (1 = keep), scaled by 1/(1 − p). ∂/∂x = mask/(1 − p).</summary>
        public Tensor Dropout(Tensor mask, double p) => DropoutOp.Forward(x, mask, p);
    }

    extension(Tensor)
    {
        /// <summary>The 0/1 keep-mask that <c>x.Dropout(p, generator: g)</c> draws for an x of <paramref name="shape"/>
        /// from the same generator state: m_i = 1 with probability 1 − p (kept), else 0; not scaled. With
        /// <c>x.Dropout(mask, p)</c> it reproduces dropout step by step (e.g. a course's hand-written layer). Not differentiable (a constant).</summary>
        /// <param name="shape">Shape of the mask (that of the input it will drop).</param>
        /// <param name="p">Drop probability, in [0, 1).</param>
        /// <param name="dtype">Float32 or Float64; the default dtype when null.</param>
        /// <param name="generator">Source of randomness; <see cref="Generator.Default"/> when null.</param>
        public static Tensor DropoutMask(int[] shape, double p, DType? dtype = null, Generator? generator = null) =>
            DropoutOp.SampleMask(shape, p, dtype, generator);
    }
}
