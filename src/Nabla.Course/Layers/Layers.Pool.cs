using System.Numerics;

namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="MaxPoolBackward"/> reads: x's shape and, for every output, the flat index (into x) of
    /// the input element that won its window.</summary>
    public sealed record MaxPoolCache(int[] XShape, int[] ArgMax);

    /// <summary>
    /// Max pooling of x [N, C, H, W] over windows of <paramref name="pool"/> (pool height, pool width) placed every
    /// <paramref name="stride"/> (default: the pool size, i.e. non-overlapping), no padding:
    /// out[n, c, i, j] = max_{p &lt; PH, q &lt; PW} x[n, c, i·sh + p, j·sw + q],
    /// out [N, C, H′, W′] with H′ = ⌊(H − PH)/sh⌋ + 1, W′ = ⌊(W − PW)/sw⌋ + 1.
    /// Ties go to the first maximum in row-major window order (as PyTorch).
    /// </summary>
    public static (Tensor Out, MaxPoolCache Cache) MaxPoolForward(Tensor x, IntPair pool, IntPair? stride = null)
    {
        const string op = "MaxPoolForward";
        CheckFloat(op, ("x", x));
        var s = stride ?? pool;
        if (x.Rank != 4) throw ShapeError(op, "x must be [N, C, H, W]", nameof(x), ("x", x));
        if (pool.H < 1 || pool.W < 1) throw new ArgumentOutOfRangeException(nameof(pool), $"{op}: the pool size must be ≥ 1, got {pool}");
        if (s.H < 1 || s.W < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"{op}: stride must be ≥ 1, got {s}");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        if (pool.H > h || pool.W > w)
            throw ShapeError(op, $"the pool window {pool.H}×{pool.W} is larger than the input plane {h}×{w}", nameof(pool), ("x", x));
        int oh = (h - pool.H) / s.H + 1, ow = (w - pool.W) / s.W + 1;
        var y = Tensor.Empty([n, c, oh, ow], x.DType);
        var arg = new int[y.Numel];
        if (IsF32(x)) MaxPool(Data<float>(Dense(x)), Data<float>(y), arg, n * c, h, w, oh, ow, pool, s);
        else MaxPool(Data<double>(Dense(x)), Data<double>(y), arg, n * c, h, w, oh, ow, pool, s);
        return (y, new MaxPoolCache(x.Shape.ToArray(), arg));
    }

    /// <summary>
    /// Backward of <see cref="MaxPoolForward"/>: the max is locally the identity of its winning input, so
    /// ∂L/∂x[e] = Σ over the windows whose maximum is element e of ∂L/∂out (a sum when overlapping windows share a
    /// winner; 0 for inputs that never win).
    /// </summary>
    public static Tensor MaxPoolBackward(Tensor dout, MaxPoolCache cache)
    {
        CheckFloat("MaxPoolBackward", ("dout", dout));
        if (dout.Numel != cache.ArgMax.Length || dout.Rank != 4 || dout.Shape[0] != cache.XShape[0] || dout.Shape[1] != cache.XShape[1])
            throw ShapeError("MaxPoolBackward", $"dout must have the forward output's shape ({cache.ArgMax.Length} elements, batch and channels of x {ShapeUtil.Format(cache.XShape)})", nameof(dout), ("dout", dout));
        var dx = Tensor.Zeros(cache.XShape, dout.DType);
        if (IsF32(dout)) Scatter(Data<float>(Dense(dout)), Data<float>(dx), cache.ArgMax);
        else Scatter(Data<double>(Dense(dout)), Data<double>(dx), cache.ArgMax);
        return dx;
    }

    private static void MaxPool<T>(Span<T> x, Span<T> y, int[] arg, int planes, int h, int w, int oh, int ow, IntPair pool, IntPair s)
        where T : IFloatingPointIeee754<T>
    {
        int o = 0;
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int best = pl * h * w + i * s.H * w + j * s.W;
                    for (int p = 0; p < pool.H; p++)
                        for (int q = 0; q < pool.W; q++)
                        {
                            int e = pl * h * w + (i * s.H + p) * w + j * s.W + q;
                            if (x[e] > x[best] || T.IsNaN(x[e]) && !T.IsNaN(x[best])) best = e;
                        }
                    arg[o] = best;
                    y[o] = x[best];
                }
    }

    private static void Scatter<T>(Span<T> g, Span<T> dx, int[] arg) where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < arg.Length; o++) dx[arg[o]] += g[o];
    }
}
