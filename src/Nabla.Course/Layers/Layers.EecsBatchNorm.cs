
namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="EecsBatchNormBackward"/> reads: the output Y, σ (one value, or one per feature), the mode.</summary>
    public sealed record EecsBatchNormCache(Tensor Out, double[] Sigma, bool Train, EecsSigmaScope Scope);

    /// <summary>
    /// The batch normalisation of EECS 498 HW1 Q1.4 (no γ, β), for X [N, D] with rows X_j:
    /// Y_i = (X_i − μ)/σ, μ = (1/n) Σ_j X_j, σ = √(Σ_j ‖X_j − μ‖² + ε) — a SUM over the batch, without the 1/n of
    /// the usual variance (see <see cref="EecsSigmaScope"/> for scalar vs per-feature σ). Test mode uses the running
    /// mean and σ = √(S_running + ε) of <paramref name="state"/>; training mode updates them.
    /// </summary>
    public static (Tensor Out, EecsBatchNormCache Cache) EecsBatchNormForward(Tensor x, EecsBatchNormState state, bool train)
    {
        const string op = "EecsBatchNormForward";
        CheckFloat(op, ("x", x), ("state.RunningMean", state.RunningMean));
        if (x.Rank != 2) throw ShapeError(op, "x must be [N, D]", nameof(x), ("x", x));
        int n = x.Shape[0], d = x.Shape[1];
        if (state.RunningMean.Shape[0] != d)
            throw ShapeError(op, $"the state must have D = {d} features", nameof(state), ("x", x), ("state.RunningMean", state.RunningMean));
        if (train && n < 2) throw ShapeError(op, "training mode needs at least two rows (σ of one row is √ε)", nameof(x), ("x", x));
        bool all = state.Scope == EecsSigmaScope.AllFeatures;
        var xs = Doubles(x);
        var rm = state.RunningMean.ToDoubleArray();
        var rs = state.RunningSumSq.ToDoubleArray();
        var mean = new double[d];
        var sumSq = new double[all ? 1 : d];
        if (train)
        {
            for (int j = 0; j < n; j++)
                for (int k = 0; k < d; k++) mean[k] += xs[j * d + k];
            for (int k = 0; k < d; k++) mean[k] /= n;
            for (int j = 0; j < n; j++)
                for (int k = 0; k < d; k++) { double e = xs[j * d + k] - mean[k]; sumSq[all ? 0 : k] += e * e; }
            for (int k = 0; k < d; k++) state.RunningMean.SetAt(state.Momentum * rm[k] + (1 - state.Momentum) * mean[k], k);
            for (int k = 0; k < sumSq.Length; k++) state.RunningSumSq.SetAt(state.Momentum * rs[k] + (1 - state.Momentum) * sumSq[k], k);
        }
        else (mean, sumSq) = (rm, rs);
        var sigma = Array.ConvertAll(sumSq, v => Math.Sqrt(v + state.Eps));
        var y = new double[xs.Length];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < d; k++) y[j * d + k] = (xs[j * d + k] - mean[k]) / sigma[all ? 0 : k];
        var out_ = FromDoubles(y, [n, d], x.DType);
        return (out_, new EecsBatchNormCache(out_, sigma, train, state.Scope));
    }

    /// <summary>
    /// Backward of <see cref="EecsBatchNormForward"/>, with G_j = ∂L/∂Y_j. From ∂μ/∂X_i = (1/n)·I and
    /// ∂σ²/∂X_i = Σ_j 2(X_j − μ)(δ_ij − 1/n) = 2(X_i − μ) (because Σ_j (X_j − μ) = 0), i.e. ∂σ/∂X_i = (X_i − μ)/σ = Y_i:
    /// ∂L/∂X_i = (1/σ)·(G_i − (1/n) Σ_j G_j − Y_i · Σ_j ⟨G_j, Y_j⟩)
    /// (all-features σ: ⟨·,·⟩ is the dot product over the D features; per-feature σ: every product and sum is taken
    /// feature by feature). Compare the usual batch norm, whose last term has a mean (1/n)Σ_j instead of Σ_j.
    /// Test mode: μ and σ are constants, ∂L/∂X_i = G_i/σ.
    /// </summary>
    public static Tensor EecsBatchNormBackward(Tensor dout, EecsBatchNormCache cache)
    {
        const string op = "EecsBatchNormBackward";
        CheckFloat(op, ("dout", dout), ("out", cache.Out));
        CheckSameShape(op, ("out", cache.Out), ("dout", dout));
        int n = dout.Shape[0], d = dout.Shape[1];
        bool all = cache.Scope == EecsSigmaScope.AllFeatures;
        var g = Doubles(dout);
        var y = Doubles(cache.Out);
        var dx = new double[g.Length];
        if (!cache.Train)
        {
            for (int j = 0; j < n; j++)
                for (int k = 0; k < d; k++) dx[j * d + k] = g[j * d + k] / cache.Sigma[all ? 0 : k];
            return FromDoubles(dx, [n, d], dout.DType);
        }
        var sumG = new double[d];
        var sumGY = new double[all ? 1 : d];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < d; k++)
            {
                sumG[k] += g[j * d + k];
                sumGY[all ? 0 : k] += g[j * d + k] * y[j * d + k];
            }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                int s = all ? 0 : k;
                dx[i * d + k] = (g[i * d + k] - sumG[k] / n - y[i * d + k] * sumGY[s]) / cache.Sigma[s];
            }
        return FromDoubles(dx, [n, d], dout.DType);
    }
}
