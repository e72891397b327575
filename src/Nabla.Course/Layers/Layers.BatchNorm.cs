using System.Numerics;

namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="BatchNormBackward"/> reads: x̂ (same shape as x), γ, 1/√(σ² + ε) per feature, the
    /// mode, and the layout [N, C, S] (S = H·W for spatial batch norm, 1 otherwise).</summary>
    public sealed record BatchNormCache(Tensor XHat, Tensor Gamma, double[] InvStd, bool Train, int N, int C, int S);

    /// <summary>
    /// Batch normalisation of x [N, D] with scale γ [D] and shift β [D]:
    /// train: μ = (1/N) Σ_i x_i, σ² = (1/N) Σ_i (x_i − μ)², x̂_i = (x_i − μ)/√(σ² + ε), y_i = γ ⊙ x̂_i + β, and the
    /// running statistics of <paramref name="state"/> are updated; test: x̂ uses the running mean and variance instead.
    /// </summary>
    public static (Tensor Out, BatchNormCache Cache) BatchNormForward(Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool train)
    {
        if (x.Rank != 2) throw ShapeError("BatchNormForward", "x must be [N, D] (use SpatialBatchNormForward for [N, C, H, W])", nameof(x), ("x", x));
        return BatchNormCore("BatchNormForward", x, gamma, beta, state, train, x.Shape[0], x.Shape[1], 1);
    }

    /// <summary>
    /// Backward of <see cref="BatchNormForward"/> with g = ∂L/∂y, sums over the batch (and space):
    /// ∂L/∂β = Σ_i g_i, ∂L/∂γ = Σ_i g_i ⊙ x̂_i, and in training mode (μ and σ depend on x)
    /// ∂L/∂x_i = (γ / (N·√(σ² + ε))) ⊙ (N·g_i − Σ_j g_j − x̂_i ⊙ Σ_j g_j ⊙ x̂_j);
    /// in test mode μ and σ are constants, so ∂L/∂x_i = γ ⊙ g_i / √(σ²_running + ε).
    /// </summary>
    public static (Tensor Dx, Tensor Dgamma, Tensor Dbeta) BatchNormBackward(Tensor dout, BatchNormCache cache)
    {
        CheckFloat("BatchNormBackward", ("dout", dout), ("x̂", cache.XHat));
        CheckSameShape("BatchNormBackward", ("x", cache.XHat), ("dout", dout));
        var g = Dense(dout);
        var dx = Tensor.Empty(dout.Shape.ToArray(), dout.DType);
        var dgamma = Tensor.Empty([cache.C], dout.DType);
        var dbeta = Tensor.Empty([cache.C], dout.DType);
        if (IsF32(dout)) BatchNormBackwardCore<float>(g, cache, dx, dgamma, dbeta);
        else BatchNormBackwardCore<double>(g, cache, dx, dgamma, dbeta);
        return (dx, dgamma, dbeta);
    }

    /// <summary>
    /// Spatial batch normalisation of x [N, C, H, W]: <see cref="BatchNormForward"/> per channel, with the statistics
    /// taken over the N·H·W values of each channel (as if x were reshaped to [N·H·W, C]); γ, β and the state are [C].
    /// </summary>
    public static (Tensor Out, BatchNormCache Cache) SpatialBatchNormForward(Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool train)
    {
        if (x.Rank != 4) throw ShapeError("SpatialBatchNormForward", "x must be [N, C, H, W]", nameof(x), ("x", x));
        return BatchNormCore("SpatialBatchNormForward", x, gamma, beta, state, train, x.Shape[0], x.Shape[1], x.Shape[2] * x.Shape[3]);
    }

    /// <summary>Backward of <see cref="SpatialBatchNormForward"/>: the formulas of <see cref="BatchNormBackward"/> with
    /// every sum over the M = N·H·W values of a channel in place of N.</summary>
    public static (Tensor Dx, Tensor Dgamma, Tensor Dbeta) SpatialBatchNormBackward(Tensor dout, BatchNormCache cache) =>
        BatchNormBackward(dout, cache);

    private static (Tensor, BatchNormCache) BatchNormCore(string op, Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool train, int n, int c, int s)
    {
        CheckFloat(op, ("x", x), ("gamma", gamma), ("beta", beta), ("state.RunningMean", state.RunningMean));
        foreach (var (name, t) in new[] { ("gamma", gamma), ("beta", beta), ("state.RunningMean", state.RunningMean) })
            if (t.Rank != 1 || t.Shape[0] != c)
                throw ShapeError(op, $"{name} must have shape [{c}] (one value per feature/channel of x)", name, ("x", x), (name, t));
        if (train && n * s <= 1)
            throw ShapeError(op, "training mode needs more than one value per feature to estimate a variance", nameof(x), ("x", x));
        var y = Tensor.Empty(x.Shape.ToArray(), x.DType);
        var xhat = Tensor.Empty(x.Shape.ToArray(), x.DType);
        var invStd = new double[c];
        if (IsF32(x)) BatchNormForwardCore<float>(Dense(x), Dense(gamma), Dense(beta), state, train, y, xhat, invStd, n, c, s);
        else BatchNormForwardCore<double>(Dense(x), Dense(gamma), Dense(beta), state, train, y, xhat, invStd, n, c, s);
        return (y, new BatchNormCache(xhat, gamma, invStd, train, n, c, s));
    }

    private static void BatchNormForwardCore<T>(Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool train,
        Tensor y, Tensor xhat, double[] invStd, int n, int c, int s) where T : IFloatingPointIeee754<T>
    {
        Span<T> xs = Data<T>(x), ys = Data<T>(y), hs = Data<T>(xhat), gs = Data<T>(gamma), bs = Data<T>(beta);
        Span<T> rm = Data<T>(state.RunningMean), rv = Data<T>(state.RunningVar);
        int m = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double mean, var;
            if (train)
            {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < s; k++) sum += D(xs[(i * c + ch) * s + k]);
                mean = sum / m;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < s; k++) { double d = D(xs[(i * c + ch) * s + k]) - mean; sq += d * d; }
                var = sq / m;
                rm[ch] = Cast<T>(state.Momentum * D(rm[ch]) + (1 - state.Momentum) * mean);
                rv[ch] = Cast<T>(state.Momentum * D(rv[ch]) + (1 - state.Momentum) * var);
            }
            else (mean, var) = (D(rm[ch]), D(rv[ch]));
            double inv = 1 / Math.Sqrt(var + state.Eps), gm = D(gs[ch]), bt = D(bs[ch]);
            invStd[ch] = inv;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    double h = (D(xs[o]) - mean) * inv;
                    hs[o] = Cast<T>(h);
                    ys[o] = Cast<T>(gm * h + bt);
                }
        }
    }

    private static void BatchNormBackwardCore<T>(Tensor dout, BatchNormCache cache, Tensor dx, Tensor dgamma, Tensor dbeta)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> gs = Data<T>(dout), hs = Data<T>(Dense(cache.XHat)), dxs = Data<T>(dx);
        var gamma = cache.Gamma.ToDoubleArray();
        Span<T> dg = Data<T>(dgamma), db = Data<T>(dbeta);
        int n = cache.N, c = cache.C, s = cache.S, m = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double sumG = 0, sumGH = 0;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    sumG += D(gs[o]);
                    sumGH += D(gs[o]) * D(hs[o]);
                }
            db[ch] = Cast<T>(sumG);
            dg[ch] = Cast<T>(sumGH);
            double scale = gamma[ch] * cache.InvStd[ch];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    dxs[o] = cache.Train
                        ? Cast<T>(scale / m * (m * D(gs[o]) - sumG - D(hs[o]) * sumGH))
                        : Cast<T>(scale * D(gs[o]));
                }
        }
    }
}
