using Nabla.Course;
using static Nabla.Labs.ClosedForms;
using static Nabla.Labs.GradientComparison;

namespace Nabla.Labs;

// Batch normalisation: the standard layer (mean and biased variance), the EECS 498 variant (σ a sum without 1/n),
// and the spatial layer. Letters: N batch, D features, C channels, S = H·W values per channel and example.
public sealed partial class LayerGradientsLab
{
    private const double Eps = 1e-5;

    /// <summary>
    /// The closed-form batch-norm gradients over layout [N, C, S] (S = 1 for [N, D]), with M = N·S values per channel:
    /// x̂ = (x − μ)/√(σ² + ε), ∂L/∂β = Σ g, ∂L/∂γ = Σ g ⊙ x̂, and ∂L/∂x_i = γ/(M√(σ² + ε)) · (M g_i − Σ_j g_j − x̂_i Σ_j g_j x̂_j)
    /// in training (μ, σ² the batch mean and biased variance) or γ g_i/√(σ²_run + ε) in test mode.
    /// </summary>
    private static (double[] Dx, double[] Dgamma, double[] Dbeta) BatchNormClosed(double[] x, double[] gamma, double[] dout,
        int n, int c, int sp, double[]? runMean = null, double[]? runVar = null)
    {
        int m = n * sp;
        double[] dx = new double[x.Length], dg = new double[c], db = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range((i * c + ch) * sp, sp)).ToArray();
            double mean = runMean?[ch] ?? idx.Average(k => x[k]);
            double variance = runVar?[ch] ?? idx.Average(k => (x[k] - mean) * (x[k] - mean));
            double inv = 1 / Math.Sqrt(variance + Eps);
            foreach (int k in idx)
            {
                db[ch] += dout[k];
                dg[ch] += dout[k] * (x[k] - mean) * inv;
            }
            foreach (int k in idx)
                dx[k] = runMean is null
                    ? gamma[ch] * inv / m * (m * dout[k] - db[ch] - (x[k] - mean) * inv * dg[ch])
                    : gamma[ch] * inv * dout[k];
        }
        return (dx, dg, db);
    }

    private const string BatchNormFormula =
        """
        x̂_i = (x_i − μ)/√(σ² + ε),  y_i = γ ⊙ x̂_i + β,  μ = (1/M) Σ_j x_j,  σ² = (1/M) Σ_j (x_j − μ)²   (per feature, M values)
          ∂L/∂β = Σ_i ∂L/∂y_i          ∂L/∂γ = Σ_i ∂L/∂y_i ⊙ x̂_i
          train: ∂L/∂x_i = γ / (M√(σ² + ε)) ⊙ (M ∂L/∂y_i − Σ_j ∂L/∂y_j − x̂_i ⊙ Σ_j ∂L/∂y_j ⊙ x̂_j)
          test (μ, σ² the running statistics, constants): ∂L/∂x_i = γ ⊙ ∂L/∂y_i / √(σ²_run + ε)
        """;

    internal static GradientSection BatchNorm(LayerGradientsSettings s, Generator g)
    {
        int n = s.Batch + 2, d = s.Features;
        int[] shape = [n, d];
        double[] x = Map(Randn(g, n * d), v => 3 + 2 * v), gamma = Map(Randn(g, d), v => 1 + 0.3 * v), beta = Randn(g, d), dout = Randn(g, n * d);
        double[] runMean = Randn(g, d), runVar = Map(Randn(g, d), v => 0.5 + v * v);

        var (dx, dg, db) = BatchNormClosed(x, gamma, dout, n, d, 1);
        var (tdx, tdg, _) = BatchNormClosed(x, gamma, dout, n, d, 1, runMean, runVar);

        BatchNormState State()
        {
            var st = new BatchNormState(d);
            runMean.CopyTo(st.RunningMean.AsSpan<double>());
            runVar.CopyTo(st.RunningVar.AsSpan<double>());
            return st;
        }
        var (_, cache) = Layers.BatchNormForward(T(x, shape), T(gamma, d), T(beta, d), State(), train: true);
        var (ldx, ldg, ldb) = Layers.BatchNormBackward(T(dout, shape), cache);
        var (_, tcache) = Layers.BatchNormForward(T(x, shape), T(gamma, d), T(beta, d), State(), train: false);
        var (tldx, tldg, _) = Layers.BatchNormBackward(T(dout, shape), tcache);

        var ag = ByAutograd(t => t[0].BatchNorm(T(runMean, d), T(runVar, d), t[1], t[2], training: true, eps: Eps), dout, (x, shape), (gamma, [d]), (beta, [d]));
        var tag = ByAutograd(t => t[0].BatchNorm(T(runMean, d), T(runVar, d), t[1], t[2], training: false, eps: Eps), dout, (x, shape), (gamma, [d]), (beta, [d]));
        double[] Forward(bool train) => Layers.BatchNormForward(T(x, shape), T(gamma, d), T(beta, d), State(), train).Out.ToDoubleArray();

        return new GradientSection("batchnorm", "Batch normalisation (standard)", "EECS 498 Q1.4 (the layers.py layer)",
            BatchNormFormula,
            $"x {ShapeText(shape)} ~ N(3, 2²), γ ~ N(1, 0.3²), β ~ N(0, 1) [{d}]; test mode with random running statistics",
            [
                Row("train ∂L/∂x", shape, dx, ldx.ToDoubleArray(), ag[0], Numeric(() => Forward(true), x, dout, s.Fd)),
                Row("train ∂L/∂γ", [d], dg, ldg.ToDoubleArray(), ag[1], Numeric(() => Forward(true), gamma, dout, s.Fd)),
                Row("train ∂L/∂β", [d], db, ldb.ToDoubleArray(), ag[2], Numeric(() => Forward(true), beta, dout, s.Fd)),
                Row("test ∂L/∂x", shape, tdx, tldx.ToDoubleArray(), tag[0], Numeric(() => Forward(false), x, dout, s.Fd)),
                Row("test ∂L/∂γ", [d], tdg, tldg.ToDoubleArray(), tag[1], Numeric(() => Forward(false), gamma, dout, s.Fd)),
            ]);
    }

    internal static GradientSection SpatialBatchNorm(LayerGradientsSettings s, Generator g)
    {
        int n = s.Batch, c = s.Channels, sp = s.Image[0] * s.Image[1];
        int[] shape = [n, c, s.Image[0], s.Image[1]];
        double[] x = Map(Randn(g, Product(shape)), v => -1 + 1.5 * v), gamma = Map(Randn(g, c), v => 1 + 0.3 * v), beta = Randn(g, c), dout = Randn(g, x.Length);
        var (dx, dg, db) = BatchNormClosed(x, gamma, dout, n, c, sp);
        var (_, cache) = Layers.SpatialBatchNormForward(T(x, shape), T(gamma, c), T(beta, c), new BatchNormState(c), train: true);
        var (ldx, ldg, ldb) = Layers.SpatialBatchNormBackward(T(dout, shape), cache);
        var ag = ByAutograd(t => t[0].BatchNorm(Tensor.Zeros([c], DType.Float64), Tensor.Ones([c], DType.Float64), t[1], t[2], training: true, eps: Eps),
            dout, (x, shape), (gamma, [c]), (beta, [c]));
        double[] Forward() => Layers.SpatialBatchNormForward(T(x, shape), T(gamma, c), T(beta, c), new BatchNormState(c), true).Out.ToDoubleArray();
        return new GradientSection("spatial-batchnorm", "Spatial batch normalisation", "EECS 498 Q5.4 (the CNN's batch norm)",
            "The formulas of batch normalisation per channel, with every sum over the M = N·H·W values of a channel:\n" + BatchNormFormula,
            $"x {ShapeText(shape)} ~ N(−1, 1.5²), γ ~ N(1, 0.3²), β ~ N(0, 1) [{c}], training mode",
            [
                Row("∂L/∂x", shape, dx, ldx.ToDoubleArray(), ag[0], Numeric(Forward, x, dout, s.Fd)),
                Row("∂L/∂γ", [c], dg, ldg.ToDoubleArray(), ag[1], Numeric(Forward, gamma, dout, s.Fd)),
                Row("∂L/∂β", [c], db, ldb.ToDoubleArray(), ag[2], Numeric(Forward, beta, dout, s.Fd)),
            ]);
    }

    /// <summary>
    /// The EECS 498 variant Y_i = (X_i − μ)/σ, σ = √(Σ_j ‖X_j − μ‖² + ε), with ∂μ/∂X_i, ∂σ/∂X_i and ∂L/∂X_i, in training
    /// and test mode, and the per-feature reading of σ.
    /// </summary>
    internal static GradientSection EecsBatchNorm(LayerGradientsSettings s, Generator g)
    {
        int n = s.Batch + 2, d = s.Features;
        int[] shape = [n, d];
        double[] x = Map(Randn(g, n * d), v => 1 + 2 * v), dout = Randn(g, n * d);
        double[] runMean = Randn(g, d), runSumSq = [n * d * (1 + g.NextDouble())];

        // The lab's own forward: μ, σ (one scalar) and Y.
        var mu = Scale(SumRows(x, n, d), 1.0 / n);
        double sumSq = 0;
        for (int k = 0; k < x.Length; k++) sumSq += (x[k] - mu[k % d]) * (x[k] - mu[k % d]);
        double sigma = Math.Sqrt(sumSq + Eps);
        var y = new double[x.Length];
        for (int k = 0; k < x.Length; k++) y[k] = (x[k] - mu[k % d]) / sigma;

        // ∂μ_k/∂X_{i,k'} = δ_kk'/n: the Jacobian [D, N·D].
        var dmu = new double[d * n * d];
        for (int k = 0; k < d; k++)
            for (int i = 0; i < n; i++) dmu[k * n * d + i * d + k] = 1.0 / n;
        // ∂σ/∂X_i = (X_i − μ)/σ = Y_i (Σ_j (X_j − μ) = 0 kills the μ-dependence).
        var dsigma = (double[])y.Clone();
        // ∂L/∂X_i = (1/σ)(G_i − (1/n)Σ_j G_j − Y_i Σ_j ⟨G_j, Y_j⟩).
        var sumG = SumRows(dout, n, d);
        double sumGY = 0;
        for (int k = 0; k < x.Length; k++) sumGY += dout[k] * y[k];
        var dx = new double[x.Length];
        for (int k = 0; k < x.Length; k++) dx[k] = (dout[k] - sumG[k % d] / n - y[k] * sumGY) / sigma;
        var testDx = Scale(dout, 1 / Math.Sqrt(runSumSq[0] + Eps));
        var perFeatureDx = EecsPerFeatureClosed(x, dout, n, d);

        EecsBatchNormState State(EecsSigmaScope scope = EecsSigmaScope.AllFeatures, double momentum = 0.9)
        {
            var st = new EecsBatchNormState(d, scope: scope, momentum: momentum, eps: Eps);
            runMean.CopyTo(st.RunningMean.AsSpan<double>());
            if (scope == EecsSigmaScope.AllFeatures) runSumSq.CopyTo(st.RunningSumSq.AsSpan<double>());
            return st;
        }
        (Tensor Out, Layers.EecsBatchNormCache Cache) Fwd(bool train, EecsSigmaScope scope = EecsSigmaScope.AllFeatures) =>
            Layers.EecsBatchNormForward(T(x, shape), State(scope), train);
        double[] LayerDx(bool train, EecsSigmaScope scope = EecsSigmaScope.AllFeatures) =>
            Layers.EecsBatchNormBackward(T(dout, shape), Fwd(train, scope).Cache).ToDoubleArray();

        static Tensor Centered(Tensor t) => t.Sub(t.Mean(0, keepDim: true));
        static Tensor SigmaOp(Tensor t) => Centered(t).Square().Sum().Add(Eps).Sqrt();
        var agMu = AutogradJacobian(t => t.Mean(0), x, shape);
        var agSigma = ByAutograd(t => SigmaOp(t[0]), null, (x, shape))[0];
        var agDx = ByAutograd(t => Centered(t[0]).Div(SigmaOp(t[0])), dout, (x, shape))[0];
        var agTest = ByAutograd(t => t[0].Sub(T(runMean, d)).Div(Math.Sqrt(runSumSq[0] + Eps)), dout, (x, shape))[0];
        var agPerFeature = ByAutograd(t => Centered(t[0]).Div(Centered(t[0]).Square().Sum(0, keepDim: true).Add(Eps).Sqrt()), dout, (x, shape))[0];

        // Finite differences of the layer's own forward: μ is the running mean after one step with momentum 0, σ is in the cache.
        var fdMu = NumericJacobian(() => { var st = State(momentum: 0); Layers.EecsBatchNormForward(T(x, shape), st, true); return st.RunningMean.ToDoubleArray(); }, x, s.Fd);
        var fdSigma = Numeric(() => Fwd(true).Cache.Sigma[0], x, s.Fd);

        return new GradientSection("eecs-batchnorm", "Batch normalisation, EECS 498 variant (σ a sum without 1/n)", "EECS 498 Q1.4 (derive)",
            """
            Seed: Y_i = (X_i − μ)/σ,  μ = (1/n) Σ_j X_j,  σ = √(Σ_j ‖X_j − μ‖² + ε)   (rows X_j ∈ ℝ^D; one scalar σ, no 1/n, no γ, β)
              ∂μ/∂X_i = (1/n) I
              ∂σ/∂X_i = (1/σ) Σ_j (X_j − μ)ᵀ(δ_ij I − (1/n) I) = (X_i − μ)/σ = Y_i        (Σ_j (X_j − μ) = 0)
              ∂L/∂X_i = Σ_j (∂Y_j/∂X_i)ᵀ ∂L/∂Y_j = (1/σ) (∂L/∂Y_i − (1/n) Σ_j ∂L/∂Y_j − Y_i Σ_j ⟨∂L/∂Y_j, Y_j⟩)
              test mode (μ, σ from the running statistics, constants): ∂L/∂X_i = ∂L/∂Y_i / σ
              per-feature reading σ_d = √(Σ_j (X_jd − μ_d)² + ε): the same formula with every product and sum taken feature by feature
            Unlike the standard layer the last term has Σ_j, not (1/n)Σ_j: σ² here is n times the usual variance.
            """,
            $"X {ShapeText(shape)} ~ N(1, 2²), ∂L/∂Y ~ N(0, 1); the layer has no backward for μ or σ alone (column (b) empty there)",
            [
                Row("∂μ/∂X (Jacobian)", [d, n * d], dmu, null, agMu, fdMu),
                Row("∂σ/∂X", shape, dsigma, null, agSigma, fdSigma),
                Row("train ∂L/∂X", shape, dx, LayerDx(true), agDx, Numeric(() => Fwd(true).Out.ToDoubleArray(), x, dout, s.Fd)),
                Row("test ∂L/∂X", shape, testDx, LayerDx(false), agTest, Numeric(() => Fwd(false).Out.ToDoubleArray(), x, dout, s.Fd)),
                Row("train ∂L/∂X, per-feature σ", shape, perFeatureDx, LayerDx(true, EecsSigmaScope.PerFeature), agPerFeature,
                    Numeric(() => Fwd(true, EecsSigmaScope.PerFeature).Out.ToDoubleArray(), x, dout, s.Fd)),
            ]);
    }

    /// <summary>∂L/∂X_id = (1/σ_d)(G_id − (1/n)Σ_j G_jd − Y_id Σ_j G_jd Y_jd) with σ_d = √(Σ_j (X_jd − μ_d)² + ε).</summary>
    private static double[] EecsPerFeatureClosed(double[] x, double[] dout, int n, int d)
    {
        var dx = new double[x.Length];
        for (int k = 0; k < d; k++)
        {
            double mu = 0, sq = 0, sumG = 0, sumGY = 0;
            for (int j = 0; j < n; j++) mu += x[j * d + k] / n;
            for (int j = 0; j < n; j++) sq += (x[j * d + k] - mu) * (x[j * d + k] - mu);
            double sigma = Math.Sqrt(sq + Eps);
            for (int j = 0; j < n; j++)
            {
                sumG += dout[j * d + k];
                sumGY += dout[j * d + k] * (x[j * d + k] - mu) / sigma;
            }
            for (int i = 0; i < n; i++)
                dx[i * d + k] = (dout[i * d + k] - sumG / n - (x[i * d + k] - mu) / sigma * sumGY) / sigma;
        }
        return dx;
    }
}
