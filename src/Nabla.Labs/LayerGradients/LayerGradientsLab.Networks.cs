using Nabla.Course;
using static Nabla.Labs.ClosedForms;
using static Nabla.Labs.GradientComparison;

namespace Nabla.Labs;

// The seeds' small networks: 24789 P3 (sigmoid hidden layer, softmax output, cross-entropy), the Workbook's
// log-likelihood gradient (Q4) on softmax regression, and the Workbook's sparse autoencoder (Q19).
public sealed partial class LayerGradientsLab
{
    /// <summary>24789 P3 in the seed's notation: f₁ = xW₁ + b₁, a = σ(f₁), f₂ = aW₂ + b₂, o = S(f₂), E = −Σ_k y_k log o_k,
    /// x [1, N], W₁ [N, M], W₂ [M, K]. Every intermediate's gradient is checked, autograd and the finite differences
    /// starting from that intermediate.</summary>
    internal static GradientSection SigmoidSoftmaxNet(LayerGradientsSettings s, Generator g)
    {
        var (ni, m, k) = (s.Net[0], s.Net[1], s.Net[2]);
        double[] x = Randn(g, ni), w1 = Randn(g, ni * m, 1 / Math.Sqrt(ni)), b1 = Randn(g, m, 0.5), w2 = Randn(g, m * k, 1 / Math.Sqrt(m)), b2 = Randn(g, k, 0.5);
        int label = g.NextInt(k);
        var yt = Tensor.FromArray(new[] { label }, 1);

        // The lab's forward and the closed-form backward.
        var f1 = Zip(MatMul(x, w1, 1, ni, m), b1, (u, v) => u + v);
        var a = Map(f1, ClosedForms.Sigmoid);
        var f2 = Zip(MatMul(a, w2, 1, m, k), b2, (u, v) => u + v);
        var o = Softmax(f2);
        var df2 = Zip(o, OneHot([label], k), (oi, yi) => oi - yi);         // ∂E/∂f₂ = o − y
        var da = MatMul(df2, Transpose(w2, m, k), 1, k, m);                 // ∂E/∂a = (o − y)W₂ᵀ
        var df1 = Zip(da, a, (u, ai) => u * ai * (1 - ai));                 // ∂E/∂f₁ = ∂E/∂a ⊙ a ⊙ (1 − a)
        var dx = MatMul(df1, Transpose(w1, ni, m), 1, m, ni);               // ∂E/∂x = ∂E/∂f₁ W₁ᵀ

        // The explicit layers, forward then backward.
        var (lf1, c1) = Layers.AffineForward(T(x, 1, ni), T(w1, ni, m), T(b1, m));
        var (la, cs) = Layers.SigmoidForward(lf1);
        var (lf2, c2) = Layers.AffineForward(la, T(w2, m, k), T(b2, k));
        var (_, ldf2) = Layers.SoftmaxLoss(lf2, yt);
        var (lda, _, _) = Layers.AffineBackward(ldf2, c2);
        var ldf1 = Layers.SigmoidBackward(lda, cs);
        var (ldx, _, _) = Layers.AffineBackward(ldf1, c1);

        // E from each intermediate onwards, by the library's ops (autograd) and by the explicit forwards (finite differences).
        Tensor FromF2(Tensor t) => t.CrossEntropy(yt, LossReduction.Sum);
        Tensor FromA(Tensor t) => FromF2(t.MatMul(T(w2, m, k)).Add(T(b2, k)));
        Tensor FromF1(Tensor t) => FromA(t.Sigmoid());
        Tensor FromX(Tensor t) => FromF1(t.MatMul(T(w1, ni, m)).Add(T(b1, m)));
        double EF2(double[] v) => Layers.SoftmaxLoss(T(v, 1, k), yt).Loss;
        double EA(double[] v) => EF2(Layers.AffineForward(T(v, 1, m), T(w2, m, k), T(b2, k)).Out.ToDoubleArray());
        double EF1(double[] v) => EA(Layers.SigmoidForward(T(v, 1, m)).Out.ToDoubleArray());
        double EX(double[] v) => EF1(Layers.AffineForward(T(v, 1, ni), T(w1, ni, m), T(b1, m)).Out.ToDoubleArray());
        GradientRow R(string name, int width, double[] at, double[] closed, Tensor layer, Func<Tensor, Tensor> lib, Func<double[], double> e) =>
            Row(name, [1, width], closed, layer.ToDoubleArray(), ByAutograd(t => lib(t[0]), null, (at, [1, width]))[0], Numeric(() => e(at), at, s.Fd));

        return new GradientSection("mlp-24789", "One hidden layer: sigmoid hidden, softmax output, cross-entropy", "24789 theory P3(a), P3(b)",
            """
            Seed: f₁ = xW₁ + b₁,  a = σ(f₁),  f₂ = aW₂ + b₂,  o = S(f₂),  E = −Σ_k y_k log o_k  (x 1×N, W₁ N×M, W₂ M×K, y one-hot)
              (a) ∂E/∂f₂ = o − y                       (∂E/∂o_k = −y_k/o_k through the softmax Jacobian o_k(δ_kj − o_j))
              (b) ∂E/∂a = (o − y)W₂ᵀ,  ∂E/∂f₁ = ∂E/∂a ⊙ a ⊙ (1 − a),  ∂E/∂x = ((o − y)W₂ᵀ ⊙ a ⊙ (1 − a)) W₁ᵀ
            """,
            $"N = {ni}, M = {m}, K = {k}; x ~ N(0, 1), W₁, W₂ ~ N(0, 1/fan-in), b₁, b₂ ~ N(0, 0.5²), label {label}; autograd and the finite differences start at each intermediate",
            [
                R("(a) ∂E/∂f₂", k, f2, df2, ldf2, FromF2, EF2),
                R("∂E/∂a", m, a, da, lda, FromA, EA),
                R("∂E/∂f₁", m, f1, df1, ldf1, FromF1, EF1),
                R("(b) ∂E/∂x", ni, x, dx, ldx, FromX, EX),
            ]);
    }

    /// <summary>Workbook Q4: the gradient of the log-likelihood loss, here on softmax regression z = XW + b (the
    /// lecture slide the question points to is not in the seed; the Bernoulli case is the logistic-loss section).</summary>
    internal static GradientSection LogLikelihood(LayerGradientsSettings s, Generator g)
    {
        int n = LossBatch(s), d = s.Features, c = s.Classes;
        double[] x = Randn(g, n * d), w = Randn(g, d * c, 1 / Math.Sqrt(d)), b = Randn(g, c, 0.5);
        var labels = Labels(g, n, c);
        var yt = Tensor.FromArray(labels, n);
        var z = Zip(MatMul(x, w, n, d, c), Enumerable.Range(0, n * c).Select(i => b[i % c]).ToArray(), (u, v) => u + v);
        var dz = Zip(SoftmaxRows(z, n, c), OneHot(labels, c), (p, y) => (p - y) / n);   // (P − Y)/N
        var dw = MatMul(Transpose(x, n, d), dz, d, n, c);                                   // Xᵀ(P − Y)/N
        var db = SumRows(dz, n, c);

        var (lz, cache) = Layers.AffineForward(T(x, n, d), T(w, d, c), T(b, c));
        var (_, ldz) = Layers.SoftmaxLoss(lz, yt);
        var (_, ldw, ldb) = Layers.AffineBackward(ldz, cache);
        var ag = ByAutograd(t => T(x, n, d).MatMul(t[0]).Add(t[1]).CrossEntropy(yt), null, (w, [d, c]), (b, [c]));
        double Loss() => Layers.SoftmaxLoss(Layers.AffineForward(T(x, n, d), T(w, d, c), T(b, c)).Out, yt).Loss;
        return new GradientSection("log-likelihood", "Log-likelihood loss of softmax regression", "Workbook Q4",
            """
            Model p(y = j | x) = S(z)_j, z = xW + b. The loss is the mean negative log-likelihood ℓ = −(1/N) Σ_n log p(y_n | x_n).
              ∂ℓ/∂z_n = (p_n − e_{y_n}) / N            (log p_y = z_y − log Σ_k e^(z_k), so ∂/∂z_j = δ_{j,y} − p_j)
              ∂ℓ/∂W = Xᵀ (P − Y) / N,   ∂ℓ/∂b = Σ_n (p_n − e_{y_n}) / N
            The Bernoulli model p(y = 1 | x) = σ(z) gives ∂ℓ/∂z = (σ(z) − y)/N: the logistic-loss section.
            (The seed asks to research "slide 18 of the second lecture", which is not in the seed text: this is the standard derivation.)
            """,
            $"X [{n}, {d}] ~ N(0, 1), W [{d}, {c}] ~ N(0, 1/D), b [{c}] ~ N(0, 0.5²), random labels",
            [
                Row("∂ℓ/∂W", [d, c], dw, ldw.ToDoubleArray(), ag[0], Numeric(Loss, w, s.Fd)),
                Row("∂ℓ/∂b", [c], db, ldb.ToDoubleArray(), ag[1], Numeric(Loss, b, s.Fd)),
            ]);
    }

    /// <summary>Workbook Q19: h = g(Wx) with g = tanh, x̃ = Vh, 𝓛 = Σ_i (x̃_i − x_i)² + λ Σ_i |h_i|, x ∈ ℝ³, W 2×3, V 3×2.</summary>
    internal static GradientSection SparseAutoencoder(LayerGradientsSettings s, Generator g)
    {
        double lambda = s.Lambda, gap = KinkGap(s.Fd);
        var x = Randn(g, 3);
        double[] w = Randn(g, 6), v = Randn(g, 6, 0.7);
        for (int tries = 0; MatMul(w, x, 2, 3, 1).Any(u => Math.Abs(u) < gap); tries++)   // keep |h_i| away from the kink of |·|
        {
            if (tries == 100) throw new InvalidOperationException("layer-gradients: could not draw W with Wx away from 0");
            w = Randn(g, 6);
        }
        var h = Map(MatMul(w, x, 2, 3, 1), Math.Tanh);
        var r = Zip(MatMul(v, h, 3, 2, 1), x, (xt, xi) => xt - xi);                              // x̃ − x
        var dv = MatMul(Scale(r, 2), h, 3, 1, 2);                                                // ∂𝓛/∂V = 2(x̃ − x)hᵀ
        var dh = Zip(MatMul(Transpose(v, 3, 2), Scale(r, 2), 2, 3, 1), h, (u, hi) => u + lambda * Math.Sign(hi));   // 2Vᵀ(x̃ − x) + λ sign(h)
        var dw = MatMul(Zip(dh, h, (u, hi) => u * (1 - hi * hi)), x, 2, 1, 3);                  // ∂𝓛/∂W = (∂𝓛/∂h ⊙ g′(Wx)) xᵀ

        // The explicit layers (row convention: a row times Wᵀ), with the loss head's gradient 2(x̃ − x) and λ sign(h) added by hand.
        var zero2 = T(new double[2], 2);
        var zero3 = T(new double[3], 3);
        var (a, c1) = Layers.AffineForward(T(x, 1, 3), T(Transpose(w, 2, 3), 3, 2), zero2);
        var (lh, ct) = Layers.TanhForward(a);
        var (xt, c2) = Layers.AffineForward(lh, T(Transpose(v, 3, 2), 2, 3), zero3);
        var head = Zip(xt.ToDoubleArray(), x, (u, xi) => 2 * (u - xi));
        var (ldh, ldvt, _) = Layers.AffineBackward(T(head, 1, 3), c2);
        var ldhTotal = Zip(ldh.ToDoubleArray(), lh.ToDoubleArray(), (u, hi) => u + lambda * Math.Sign(hi));
        var (_, ldwt, _) = Layers.AffineBackward(Layers.TanhBackward(T(ldhTotal, 1, 2), ct), c1);

        var xc = T(x, 3, 1);
        var ag = ByAutograd(t =>
        {
            var hh = t[0].MatMul(xc).Tanh();
            return t[1].MatMul(hh).Sub(xc).Square().Sum().Add(hh.Abs().Sum().Mul(lambda));
        }, null, (w, [2, 3]), (v, [3, 2]));
        double Loss()
        {
            var hl = Layers.TanhForward(Layers.AffineForward(T(x, 1, 3), T(Transpose(w, 2, 3), 3, 2), zero2).Out).Out;
            var rec = Layers.AffineForward(hl, T(Transpose(v, 3, 2), 2, 3), zero3).Out.ToDoubleArray();
            return Zip(rec, x, (u, xi) => (u - xi) * (u - xi)).Sum() + lambda * hl.ToDoubleArray().Sum(Math.Abs);
        }
        return new GradientSection("sparse-autoencoder", "Sparse autoencoder loss", "Workbook Q19",
            $"""
            Seed: h = g(Wx), x̃ = Vh, 𝓛(x, W, V) = Σ_(i=1..3) (x̃_i − x_i)² + λ Σ_(i=1..2) |h_i|,  x ∈ ℝ³, W ∈ ℝ^(2×3), V ∈ ℝ^(3×2); here g = tanh, λ = {LabReport.Format(lambda)}
              ∂𝓛/∂V = 2(x̃ − x) hᵀ                                     (3×2)
              ∂𝓛/∂h = 2Vᵀ(x̃ − x) + λ sign(h)
              ∂𝓛/∂W = (∂𝓛/∂h ⊙ g′(Wx)) xᵀ,  g′(Wx) = 1 − h²           (2×3)
            """,
            $"x ~ N(0, 1) in ℝ³, W ~ N(0, 1) with |Wx| ≥ {LabReport.Format(gap)}, V ~ N(0, 0.7²); h = ({string.Join(", ", h.Select(v => LabReport.Format(v)))})",
            [
                Row("∂𝓛/∂W", [2, 3], dw, Transpose(ldwt.ToDoubleArray(), 3, 2), ag[0], Numeric(Loss, w, s.Fd)),
                Row("∂𝓛/∂V", [3, 2], dv, Transpose(ldvt.ToDoubleArray(), 2, 3), ag[1], Numeric(Loss, v, s.Fd)),
            ]);
    }
}
