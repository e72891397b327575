
namespace Nabla;

/// <summary>Output length of a 1-d signal convolution or correlation (NumPy's modes).</summary>
public enum SignalMode
{
    /// <summary>Every overlap of the two signals: length N + M − 1.</summary>
    Full,

    /// <summary>The centre of Full, of length max(N, M).</summary>
    Same,

    /// <summary>Only complete overlaps: length max(N, M) − min(N, M) + 1.</summary>
    Valid,
}

/// <summary>
/// 1-d convolution and cross-correlation of two signals as in signal processing (<c>numpy.convolve</c>,
/// <c>numpy.correlate</c>), on rank-1 float32/float64 tensors a [N] and v [M]:
/// convolution (a ∗ v)[t] = Σ_n a[n]·v[t − n] (kernel flipped), correlation (a ⋆ v)[t] = Σ_n a[n + t]·v[n]
/// (no flip; this is what <c>Conv1d</c> layers compute). Built from <see cref="Conv1dOp"/>, Flip and Narrow, so
/// both are differentiable in a and v.
/// </summary>
/// <remarks>
/// Full = Conv1d of a with flip(v) and padding M − 1 on both ends. Same takes Full[(min(N, M) − 1) / 2 ..] of length
/// max(N, M); Valid swaps the signals when v is the longer one (convolution commutes), like NumPy. Correlation is
/// convolution with v reversed; when N &lt; M NumPy computes flip(v ⋆ a) instead, which only differs from that in
/// Same mode with an even min(N, M); we follow NumPy.
/// </remarks>
public static class Signal1d
{
    public static Tensor Convolve(Tensor a, Tensor v, SignalMode mode = SignalMode.Full)
    {
        Check("Convolve", a, v);
        int n = a.Size(0), m = v.Size(0);
        if (mode == SignalMode.Valid && m > n) (a, v, n, m) = (v, a, m, n);
        // Conv1d cross-correlates, so flipping the kernel turns it into a convolution.
        var x = a.Reshape(1, 1, n);                 // [N=1, Cin=1, L]
        var w = v.Flip(0).Reshape(1, 1, m);         // [Cout=1, Cin=1, k]
        int pad = mode == SignalMode.Valid ? 0 : m - 1;
        var full = x.Conv1d(w, null, stride: 1, padding: pad).Reshape(-1);   // [N + M − 1] or [N − M + 1]
        if (mode != SignalMode.Same) return full;
        return full.Narrow(0, (Math.Min(n, m) - 1) / 2, Math.Max(n, m));
    }

    public static Tensor Correlate(Tensor a, Tensor v, SignalMode mode = SignalMode.Valid)
    {
        Check("Correlate", a, v);
        return a.Size(0) >= v.Size(0) ? Convolve(a, v.Flip(0), mode) : Convolve(v, a.Flip(0), mode).Flip(0);
    }

    private static void Check(string op, Tensor a, Tensor v)
    {
        if (a.Rank != 1 || v.Rank != 1)
            throw ShapeMismatchException.For(op, "both signals must be 1-d", a.Shape.ToArray(), v.Shape.ToArray());
        if (a.Size(0) == 0 || v.Size(0) == 0)
            throw ShapeMismatchException.For(op, "signals must not be empty", a.Shape.ToArray(), v.Shape.ToArray());
        if (a.DType != v.DType) throw DTypeMismatchException.For(op, a.DType, v.DType);
    }
}

public static partial class TensorOps
{
    extension(Tensor)
    {
        /// <summary>1-d convolution with the kernel flipped (<c>numpy.convolve</c>): a [N] ∗ v [M], mode Full
        /// by default. See <see cref="Signal1d"/>.</summary>
        public static Tensor Convolve(Tensor a, Tensor v, SignalMode mode = SignalMode.Full) => Signal1d.Convolve(a, v, mode);

        /// <summary>1-d cross-correlation (<c>numpy.correlate</c>): Σ_n a[n + t]·v[n], mode Valid by default.</summary>
        public static Tensor Correlate(Tensor a, Tensor v, SignalMode mode = SignalMode.Valid) => Signal1d.Correlate(a, v, mode);
    }
}
