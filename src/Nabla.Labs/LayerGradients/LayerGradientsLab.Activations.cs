using Nabla.Course;
using static Nabla.Labs.ClosedForms;
using static Nabla.Labs.GradientComparison;

namespace Nabla.Labs;

// The affine layer, the element-wise activations with their Jacobians, and dropout. Letters: N batch, D features,
// M outputs, G = ∂L/∂Y the random upstream gradient, n a vector length.
public sealed partial class LayerGradientsLab
{
    internal static GradientSection Affine(LayerGradientsSettings s, Generator g)
    {
        int n = s.Batch, d = Product(s.AffineInput), m = s.Features;
        int[] xShape = [n, .. s.AffineInput], wShape = [d, m];
        double[] x = Randn(g, n * d), w = Randn(g, d * m, 1 / Math.Sqrt(d)), b = Randn(g, m), dout = Randn(g, n * m);

        var dx = MatMul(dout, Transpose(w, d, m), n, m, d);   // ∂L/∂X̃ = G·Wᵀ   [N, D]
        var dw = MatMul(Transpose(x, n, d), dout, d, n, m);   // ∂L/∂W = X̃ᵀ·G   [D, M]
        var db = SumRows(dout, n, m);                          // ∂L/∂b = Σ_n G_n

        var (_, cache) = Layers.AffineForward(T(x, xShape), T(w, wShape), T(b, m));
        var (ldx, ldw, ldb) = Layers.AffineBackward(T(dout, n, m), cache);
        var ag = ByAutograd(t => t[0].Reshape(n, d).MatMul(t[1]).Add(t[2]), dout, (x, xShape), (w, wShape), (b, [m]));
        double[] Forward() => Layers.AffineForward(T(x, xShape), T(w, wShape), T(b, m)).Out.ToDoubleArray();

        return new GradientSection("affine", "Fully-connected layer", "EECS 498 Q1.1 (derive)",
            """
            Seed: Y = WᵀX + b for one example X ∈ ℝ^(d_k), W ∈ ℝ^(d_k×d_o), b ∈ ℝ^(d_o). With the N examples as the rows of X̃ [N, D]
            (layers.py flattens x [N, d1, …, dk] to D = d1·…·dk), Y = X̃·W + b and
              ∂L/∂X = ∂L/∂Y · Wᵀ          (per example: W · ∂L/∂Y)
              ∂L/∂W = X̃ᵀ · ∂L/∂Y          (per example: X · (∂L/∂Y)ᵀ)
              ∂L/∂b = Σ_n ∂L/∂Y_n
            """,
            $"x {ShapeText(xShape)}, W {ShapeText(wShape)}, b [{m}], ∂L/∂Y [{n}, {m}], all N(0, 1) (W scaled by 1/√D)",
            [
                Row("∂L/∂X", xShape, dx, ldx.ToDoubleArray(), ag[0], Numeric(Forward, x, dout, s.Fd)),
                Row("∂L/∂W", wShape, dw, ldw.ToDoubleArray(), ag[1], Numeric(Forward, w, dout, s.Fd)),
                Row("∂L/∂b", [m], db, ldb.ToDoubleArray(), ag[2], Numeric(Forward, b, dout, s.Fd)),
            ]);
    }

    /// <summary>One element-wise activation: the closed form dx, the explicit layer's forward/backward pair, the library op.</summary>
    private static GradientRow ElementwiseRow(string name, int[] shape, double[] x, double[] dout, double[] closed,
        Func<Tensor, (Tensor Out, Func<Tensor, Tensor> Backward)> layer, Func<Tensor, Tensor> op, FiniteDifference h)
    {
        var (_, backward) = layer(T(x, shape));
        var ldx = backward(T(dout, shape)).ToDoubleArray();
        var ag = ByAutograd(t => op(t[0]), dout, (x, shape))[0];
        var fd = Numeric(() => layer(T(x, shape)).Out.ToDoubleArray(), x, dout, h);
        return Row(name, shape, closed, ldx, ag, fd);
    }

    private static int[] ActivationShape(LayerGradientsSettings s) => [s.Batch, s.Features, 3];

    internal static GradientSection Relu(LayerGradientsSettings s, Generator g)
    {
        int[] shape = ActivationShape(s);
        var x = AwayFrom(Randn(g, Product(shape)), 0, KinkGap(s.Fd));
        var dout = Randn(g, x.Length);
        var closed = Zip(dout, x, (gy, xi) => gy * (xi > 0 ? 1 : 0));   // ∂E/∂x = ∂E/∂y · H(x)
        return new GradientSection("relu", "ReLU", "AMMI Q1, IFT6135 Q1.1, EECS 498 Q1.2 (derive)",
            """
            y = (x)⁺ = max(0, x), element-wise.
              ∂E/∂x = ∂E/∂y · H(x),  H(x) = 1 if x > 0, 0 if x < 0  (ReLU′ = H wherever it exists; at x = 0 it does not)
            """,
            $"x {ShapeText(shape)} ~ N(0, 1) with |x| ≥ {LabReport.Format(KinkGap(s.Fd))} (see the kink table), ∂E/∂y ~ N(0, 1)",
            [ElementwiseRow("∂E/∂x", shape, x, dout, closed, t => { var (o, c) = Layers.ReluForward(t); return (o, d => Layers.ReluBackward(d, c)); }, t => t.Relu(), s.Fd)]);
    }

    /// <summary>The sigmoid section. <paramref name="derivativeFromOutput"/> is σ′ written in terms of y = σ(x)
    /// (default y(1 − y)); the tests pass a wrong one to show the comparison catches it.</summary>
    internal static GradientSection Sigmoid(LayerGradientsSettings s, Generator g, Func<double, double>? derivativeFromOutput = null)
    {
        var dydx = derivativeFromOutput ?? (y => y * (1 - y));
        int[] shape = ActivationShape(s);
        double[] x = Randn(g, Product(shape), 2), dout = Randn(g, x.Length);
        var closed = Zip(dout, Map(x, ClosedForms.Sigmoid), (gy, y) => gy * dydx(y));   // ∂E/∂x = ∂E/∂y · σ′
        return new GradientSection("sigmoid", "Sigmoid", "AMMI Q1",
            """
            y = σ(x) = 1 / (1 + exp(−x)), element-wise.  σ′(x) = exp(−x)/(1 + exp(−x))² = σ(x)(1 − σ(x)), so
              ∂E/∂x = ∂E/∂y · y(1 − y)
            """,
            $"x {ShapeText(shape)} ~ N(0, 2²), ∂E/∂y ~ N(0, 1)",
            [ElementwiseRow("∂E/∂x", shape, x, dout, closed, t => { var (o, c) = Layers.SigmoidForward(t); return (o, d => Layers.SigmoidBackward(d, c)); }, t => t.Sigmoid(), s.Fd)]);
    }

    internal static GradientSection Tanh(LayerGradientsSettings s, Generator g)
    {
        int[] shape = ActivationShape(s);
        double[] x = Randn(g, Product(shape), 1.5), dout = Randn(g, x.Length);
        var closed = Zip(dout, Map(x, Math.Tanh), (gy, y) => gy * (1 - y * y));
        return new GradientSection("tanh", "Tanh", "AMMI Q1",
            """
            y = tanh(x) = (exp(2x) − 1)/(exp(2x) + 1), element-wise.  tanh′(x) = 4/(eˣ + e⁻ˣ)² = 1 − tanh²(x), so
              ∂E/∂x = ∂E/∂y · (1 − y²)
            """,
            $"x {ShapeText(shape)} ~ N(0, 1.5²), ∂E/∂y ~ N(0, 1)",
            [ElementwiseRow("∂E/∂x", shape, x, dout, closed, t => { var (o, c) = Layers.TanhForward(t); return (o, d => Layers.TanhBackward(d, c)); }, t => t.Tanh(), s.Fd)]);
    }

    /// <summary>The full Jacobian of the element-wise sigmoid on x ∈ ℝⁿ; the explicit layer's rows come from its
    /// backward seeded with each unit vector.</summary>
    internal static GradientSection SigmoidJacobian(LayerGradientsSettings s, Generator g)
    {
        int n = s.Classes;
        var x = Randn(g, n, 2);
        var y = Map(x, ClosedForms.Sigmoid);
        var closed = new double[n * n];
        for (int i = 0; i < n; i++) closed[i * n + i] = y[i] * (1 - y[i]);   // diag(σ(x) ⊙ (1 − σ(x)))
        var (_, cache) = Layers.SigmoidForward(T(x, n));
        var layer = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            var e = new double[n];
            e[i] = 1;
            Array.Copy(Layers.SigmoidBackward(T(e, n), cache).ToDoubleArray(), 0, layer, i * n, n);
        }
        var ag = AutogradJacobian(t => t.Sigmoid(), x, [n]);
        var fd = NumericJacobian(() => Layers.SigmoidForward(T(x, n)).Out.ToDoubleArray(), x, s.Fd);
        return new GradientSection("sigmoid-jacobian", "Jacobian of the element-wise sigmoid", "IFT6135 Q2.3",
            """
            σ(x) = 1/(1 + e^(−x)) applied to x ∈ ℝⁿ: y_i depends on x_i only, so
              ∂σ(x)/∂x = diag(σ(x) ⊙ (1 − σ(x)))     (∂y_i/∂x_j = δ_ij σ(x_i)(1 − σ(x_i)))
            """,
            $"x ∈ ℝ^{n} ~ N(0, 2²); the layer's and autograd's Jacobians are assembled row by row from backward passes seeded with e_i",
            [Row("∂σ/∂x", [n, n], closed, layer, ag, fd)]);
    }

    /// <summary>The softmax Jacobian on x ∈ ℝⁿ, element-wise (Q2.1) and in matrix form (Q2.2). layers.py has no
    /// stand-alone softmax layer, so column (b) is empty; the finite differences perturb the library's softmax forward.</summary>
    internal static GradientSection SoftmaxJacobian(LayerGradientsSettings s, Generator g)
    {
        int n = s.Classes;
        var x = Randn(g, n, 1.5);
        var sm = Softmax(x);
        var elementwise = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) elementwise[i * n + j] = sm[i] * ((i == j ? 1 : 0) - sm[j]);   // S_i(δ_ij − S_j)
        var matrix = new double[n * n];
        for (int i = 0; i < n; i++) matrix[i * n + i] = sm[i];                                          // diag(S)
        var outer = MatMul(sm, sm, n, 1, n);                                                             // S·Sᵀ
        for (int k = 0; k < matrix.Length; k++) matrix[k] -= outer[k];
        var ag = AutogradJacobian(t => t.Softmax(), x, [n]);
        var fd = NumericJacobian(() => LibrarySoftmax(x), x, s.Fd);
        return new GradientSection("softmax-jacobian", "Jacobian of the softmax", "IFT6135 Q2.1, Q2.2",
            """
            S(x)_i = e^(x_i) / Σ_j e^(x_j) on x ∈ ℝⁿ.
              dS(x)_i/dx_j = S(x)_i (δ_ij − S(x)_j)            (Q2.1)
              ∂S(x)/∂x = diag(S(x)) − S(x) S(x)ᵀ               (Q2.2, symmetric)
            """,
            $"x ∈ ℝ^{n} ~ N(0, 1.5²); layers.py has no stand-alone softmax layer (column (b) is empty)",
            [
                Row("dS_i/dx_j = S_i(δ_ij − S_j)", [n, n], elementwise, null, ag, fd),
                Row("∂S/∂x = diag(S) − SSᵀ", [n, n], matrix, null, ag, fd),
            ]);
    }

    private static double[] LibrarySoftmax(double[] x)
    {
        using var _ = Nabla.GradMode.NoGrad();
        return T(x, x.Length).Softmax().ToDoubleArray();
    }

    /// <summary>The O(n) vector-Jacobian products of IFT6135 Q2.4 next to the dense O(n²) one.</summary>
    internal static GradientSection VectorJacobianProducts(LayerGradientsSettings s, Generator g)
    {
        int n = s.Classes;
        double[] x = Randn(g, n, 1.5), gy = Randn(g, n);
        var y = Map(x, ClosedForms.Sigmoid);
        var sigmoidVjp = Zip(gy, y, (a, b) => a * b * (1 - b));            // g ⊙ σ ⊙ (1 − σ): n products
        var sm = Softmax(x);
        var softmaxVjp = SoftmaxVjp(sm, gy);
        var dense = DenseSoftmaxVjp(sm, gy, new double[n * n]);
        var (_, sc) = Layers.SigmoidForward(T(x, n));
        var sigLayer = Layers.SigmoidBackward(T(gy, n), sc).ToDoubleArray();
        var sigAg = ByAutograd(t => t[0].Sigmoid(), gy, (x, [n]))[0];
        var smAg = ByAutograd(t => t[0].Softmax(), gy, (x, [n]))[0];
        var sigFd = Numeric(() => Layers.SigmoidForward(T(x, n)).Out.ToDoubleArray(), x, gy, s.Fd);
        var smFd = Numeric(() => LibrarySoftmax(x), x, gy, s.Fd);
        return new GradientSection("vjp", "Vector-Jacobian products in O(n)", "IFT6135 Q2.4",
            """
            ∇_x L = (∂y/∂x)ᵀ ∇_y L costs O(n²) with a dense Jacobian. For the two Jacobians above it is O(n):
              sigmoid: (diag(σ ⊙ (1 − σ)))ᵀ g = g ⊙ σ ⊙ (1 − σ)                       (n products)
              softmax: (diag(S) − SSᵀ)ᵀ g = S ⊙ g − S (Sᵀg) = S ⊙ (g − ⟨g, S⟩)          (one dot product, n products)
            """,
            $"x, g ∈ ℝ^{n}; the timing table below runs the dense and the O(n) softmax products at larger n",
            [
                Row("sigmoid: g ⊙ σ(1 − σ)", [n], sigmoidVjp, sigLayer, sigAg, sigFd),
                Row("softmax: S ⊙ (g − ⟨g, S⟩)", [n], softmaxVjp, null, smAg, smFd),
                Row("softmax: dense (diag(S) − SSᵀ)ᵀ g", [n], dense, null, smAg, smFd),
            ]);
    }

    /// <summary>S ⊙ (g − ⟨g, S⟩).</summary>
    private static double[] SoftmaxVjp(double[] sm, double[] gy)
    {
        double dot = 0;
        for (int i = 0; i < sm.Length; i++) dot += gy[i] * sm[i];
        return Zip(sm, gy, (si, gi) => si * (gi - dot));
    }

    /// <summary>Builds J = diag(S) − SSᵀ in <paramref name="jac"/> [n, n] and returns Jᵀg.</summary>
    private static double[] DenseSoftmaxVjp(double[] sm, double[] gy, double[] jac)
    {
        int n = sm.Length;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) jac[i * n + j] = (i == j ? sm[i] : 0) - sm[i] * sm[j];
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double gi = gy[i];
            for (int j = 0; j < n; j++) r[j] += jac[i * n + j] * gi;
        }
        return r;
    }

    /// <summary>Best-of-three timings of the dense and the O(n) softmax products at length n.</summary>
    internal static VjpTiming TimeVjp(int n, Generator g)
    {
        double[] x = Randn(g, n), gy = Randn(g, n);
        var sm = Softmax(x);
        var jac = new double[(long)n * n];
        var dense = DenseSoftmaxVjp(sm, gy, jac);
        var fast = SoftmaxVjp(sm, gy);
        int denseReps = Math.Max(1, 1_000_000 / (n * n)), fastReps = Math.Max(1, 1_000_000 / n);
        double Best(int reps, Action run)
        {
            double best = double.PositiveInfinity;
            for (int round = 0; round < 3; round++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) run();
                best = Math.Min(best, clock.Elapsed.TotalMicroseconds / reps);
            }
            return best;
        }
        double denseUs = Best(denseReps, () => DenseSoftmaxVjp(sm, gy, jac));
        double fastUs = Best(fastReps, () => SoftmaxVjp(sm, gy));
        return new VjpTiming(n, denseUs, fastUs, Err(dense, fast));
    }

    /// <summary>ReLU at and around its kink: the Heaviside step, the subgradient autograd and the layer use, and the
    /// difference quotients with step h (IFT6135 Q1.1).</summary>
    internal static IReadOnlyList<KinkPoint> ReluAtKink(double h)
    {
        static double R(double v) => Math.Max(0, v);
        return new[] { -1, -h / 2, 0, h / 2, 1 }.Select(x =>
        {
            double heaviside = x > 0 ? 1 : x < 0 ? 0 : 0.5;
            double ag = ByAutograd(t => t[0].Relu(), [1.0], ([x], [1]))[0][0];
            var (_, c) = Layers.ReluForward(T([x], 1));
            double layer = Layers.ReluBackward(T([1.0], 1), c).ToDoubleArray()[0];
            return new KinkPoint(x, heaviside, ag, layer, (R(x) - R(x - h)) / h, (R(x + h) - R(x)) / h, (R(x + h) - R(x - h)) / (2 * h));
        }).ToList();
    }

    internal static GradientSection Dropout(LayerGradientsSettings s, Generator g)
    {
        int[] shape = [s.Batch, s.Features + 1];
        double p = s.DropP, q = 1 - p;
        double[] x = Randn(g, Product(shape)), dout = Randn(g, x.Length);
        var mask = Map(new double[x.Length], _ => g.NextDouble() < q ? 1 : 0);   // M_i ~ Bernoulli(1 − p), 1 = keep
        var m = T(mask, shape);

        GradientRow Mode(string name, double[] closed, bool train, bool inverted, Func<Tensor, Tensor> op)
        {
            (Tensor Out, Layers.DropoutCache Cache) Fwd(Tensor t) =>
                train ? Layers.DropoutForward(t, m, p, inverted) : Layers.DropoutForward(t, p, train: false, inverted: inverted);
            return ElementwiseRow(name, shape, x, dout, closed, t => { var (o, c) = Fwd(t); return (o, d => Layers.DropoutBackward(d, c)); }, op, s.Fd);
        }

        return new GradientSection("dropout", "Dropout with a given mask M", "EECS 498 Q1.3 (derive)",
            $"""
            Seed: Y = X ⊙ M for a given 0/1 mask M, so ∂L/∂X = ∂L/∂Y ⊙ M. Train and test, both conventions (p = {LabReport.Format(p)} dropped):
              textbook (seed)  train Y = X ⊙ M:            ∂L/∂X = ∂L/∂Y ⊙ M          test Y = (1 − p)X:  ∂L/∂X = (1 − p)·∂L/∂Y
              inverted (PyTorch) train Y = X ⊙ M/(1 − p):   ∂L/∂X = ∂L/∂Y ⊙ M/(1 − p)  test Y = X:         ∂L/∂X = ∂L/∂Y
            """,
            $"x {ShapeText(shape)} ~ N(0, 1), M drawn once with keep probability {LabReport.Format(q)} ({mask.Count(v => v == 1)} of {mask.Length} kept); autograd: x ⊙ M, the library's Dropout(M, p), and its eval mode",
            [
                Mode("train, textbook: ∂L/∂Y ⊙ M", Zip(dout, mask, (a, b) => a * b), true, false, t => t.Mul(m)),
                Mode("train, inverted: ∂L/∂Y ⊙ M/(1 − p)", Zip(dout, mask, (a, b) => a * b / q), true, true, t => t.Dropout(m, p)),
                Mode("test, textbook: (1 − p)·∂L/∂Y", Scale(dout, q), false, false, t => t.Mul(q)),
                Mode("test, inverted: ∂L/∂Y", (double[])dout.Clone(), false, true, t => t.Dropout(p, training: false)),
            ]);
    }
}
