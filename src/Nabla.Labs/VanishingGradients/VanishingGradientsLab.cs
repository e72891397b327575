using System.Globalization;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Vanishing and exploding gradients in a deep linear network h_k = W·h_{k−1}, k = 1..L, with one shared square
/// W = U·Σ·Vᵀ (U, V random orthogonal). Backpropagating a unit upstream gradient g = ∂E/∂h_L gives
/// ∂E/∂h_k = (Wᵀ)^(L−k)·g; with Σ = σI, Wᵀ = σ·V·Uᵀ is σ times an orthogonal matrix, so ‖∂E/∂h_k‖ = σ^(L−k) exactly.
/// The norms are read from Nabla's autograd (zero "probe" leaves added to each h_k receive ∂E/∂h_k).
/// Shape legend: D = width (row vectors [1, D]), L = depth.
/// </summary>
public sealed class VanishingGradientsLab : ILab
{
    public const int Depth = 50;
    public const int Width = 16;

    /// <summary>The singular-value cases σ·I.</summary>
    public static readonly double[] Sigmas = [1.0, 0.5, 2.0];

    public string Name => "vanishing-gradients";
    public string Description => "gradient norms through a 50-layer linear network W = UΣVᵀ for Σ = I, ½I, 2I";

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        var gen = new Generator(ctx.Seed);
        var u = RandomOrthogonal(Width, gen);
        var v = RandomOrthogonal(Width, gen);
        double orthError = Math.Max(OrthogonalityError(u), OrthogonalityError(v));
        var h0 = Tensor.Randn([1, Width], 0, 1, DType.Float64, gen);
        var g = Tensor.Randn([1, Width], 0, 1, DType.Float64, gen);
        g = g / Math.Sqrt(g.Square().Sum().Item());     // unit upstream gradient ∂E/∂y

        var report = new LabReport(Name, "Vanishing and exploding gradients in a deep linear network");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Network: h_k = W·h_(k−1) for k = 1..{Depth}, width D = {Width}, no biases or nonlinearities, one weight
            matrix W = U·Σ·Vᵀ shared by every layer. U and V are random orthogonal matrices from modified Gram–Schmidt
            (run twice) on D×D standard-normal matrices drawn with seed {ctx.Seed}; max |QᵀQ − I| = {orthError:0.#e+0}.
            Σ = σ·I with σ ∈ {"{"}1, ½, 2{"}"}, so every singular value of W equals σ. The input h_0 is a standard-normal
            vector; the output y = h_{Depth} is scored by E = gᵀy with g a random unit vector, so ‖∂E/∂y‖ = 1. We run
            E.Backward() in float64 and read ∂E/∂h_k for every layer from the autograd engine (a zero leaf tensor p_k
            is added to each h_k; its gradient is ∂E/∂h_k, and ∂E/∂h_0 is the gradient of the input leaf).
            Closed form: ∂E/∂h_k = (Wᵀ)^({Depth}−k)·g and Wᵀ = σ·V·Uᵀ is σ times an orthogonal matrix, so
            ‖∂E/∂h_k‖ = σ^({Depth}−k) exactly, independent of U, V, h_0 and g.
            """));

        var norms = new Dictionary<double, double[]>();
        double worst = 0;
        foreach (double sigma in Sigmas)
        {
            var w = Weight(u, v, Enumerable.Repeat(sigma, Width).ToArray());
            var n = norms[sigma] = GradientNorms(w, h0, g);
            for (int k = 0; k <= Depth; k++) worst = Math.Max(worst, RelativeError(n[k], Math.Pow(sigma, Depth - k)));
            ctx.Out.WriteLine(FormattableString.Invariant($"  σ = {sigma}: ‖∂E/∂h_0‖ = {n[0]:0.####e+0} (closed form {Math.Pow(sigma, Depth):0.####e+0})"));
            string key = sigma.ToString(CultureInfo.InvariantCulture);
            report.Metric($"sigma_{key}_norm_h0", n[0]);
            report.Metric($"sigma_{key}_norm_h25", n[25]);
        }
        report.Metric("max_relative_error_vs_closed_form", worst);
        report.Metric("orthogonality_error", orthError);

        // A contrast case: singular values spread over [½, 2] — the norm now depends on directions.
        var spread = Enumerable.Range(0, Width).Select(i => Math.Pow(2, -1 + 2.0 * i / (Width - 1))).ToArray();
        var spreadNorms = GradientNorms(Weight(u, v, spread), h0, g);

        int[] shown = [Depth, 49, 45, 40, 30, 25, 20, 10, 1, 0];
        var rows = shown.Select(k => (IReadOnlyList<object>)
        [
            k, Depth - k,
            .. Sigmas.SelectMany(s => new object[] { norms[s][k], RelativeError(norms[s][k], Math.Pow(s, Depth - k)) }),
            spreadNorms[k],
        ]).ToList();
        report.Heading("Gradient norm per layer");
        report.Table(["layer k", "50 − k", "σ = 1: ‖∂E/∂h_k‖", "rel. error", "σ = ½: ‖∂E/∂h_k‖", "rel. error", "σ = 2: ‖∂E/∂h_k‖", "rel. error", "σ ∈ [½, 2]: ‖∂E/∂h_k‖"], rows);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Largest relative difference from σ^(50−k) over all 51 layers and the three cases: {worst:0.##e+0}."));

        var layers = Enumerable.Range(0, Depth + 1).Select(k => (double)k).ToArray();
        var chart = new LineChart { Title = $"‖∂E/∂h_k‖ through {Depth} linear layers (D = {Width})", XLabel = "layer k", YLabel = "‖∂E/∂h_k‖", LogY = true, LegendAlignment = ScottPlot.Alignment.UpperRight };
        chart.Add("Σ = 2I (explodes: 2^(50−k))", layers, norms[2.0]);
        chart.Add("Σ = I (preserved)", layers, norms[1.0]);
        chart.Add("Σ = ½I (vanishes: 2^−(50−k))", layers, norms[0.5]);
        chart.Add("singular values spread over [½, 2]", layers, spreadNorms);
        chart.SavePng(ctx.PathOf("gradient_norms.png"));
        report.Figure("gradient_norms.png", "Norm of the gradient reaching each layer (log scale); the output is layer 50, where the norm is 1.");

        report.Heading("Discussion");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Backpropagation multiplies the upstream gradient by Wᵀ once per layer. With every singular value equal to σ,
            each multiplication scales the norm by exactly σ, so after 50 layers the gradient at the input is
            2⁻⁵⁰ ≈ {Math.Pow(0.5, 50):0.#e+0} (σ = ½: vanishing; the first layers receive essentially no learning
            signal) or 2⁵⁰ ≈ {Math.Pow(2, 50):0.#e+0} (σ = 2: exploding; one step would destroy the weights), while σ = 1
            (orthogonal W) keeps it at 1 at every depth. Autograd reproduces σ^(50−k) to {worst:0.#e+0} relative error,
            float64 rounding accumulated over 50 matrix products. The straight lines on the log plot are the geometric
            law: slope log₁₀σ per layer. When the singular values are spread over [½, 2] (last column) the norm depends
            on how the directions line up from layer to layer; here it ends at ‖∂E/∂h_0‖ = {spreadNorms[0]:0.##e+0},
            between the bounds 2⁻⁵⁰ and 2⁵⁰. The lesson for deep networks is that the depth acts as an exponent:
            keeping the per-layer Jacobian's singular values near 1 (orthogonal or variance-preserving initialisation,
            normalisation layers, residual connections) is what lets a gradient reach the first layers intact.
            """));
        return report.Save(ctx);
    }

    /// <summary>‖∂E/∂h_k‖ for k = 0..Depth, E = gᵀh_Depth, h_k = W·h_(k−1) (row-vector form h_k = h_(k−1)·Wᵀ),
    /// by autograd through Nabla's Linear op.</summary>
    public static double[] GradientNorms(Tensor w, Tensor h0, Tensor g, int depth = Depth)
    {
        var x = h0.Detach().Clone().RequiresGrad_();
        var probes = new Tensor[depth + 1];
        var h = x;
        for (int k = 1; k <= depth; k++)
        {
            probes[k] = Tensor.Zeros([1, w.Size(0)], w.DType).RequiresGrad_();
            h = h.Linear(w) + probes[k];                        // [1, D]; the zero probe's gradient is ∂E/∂h_k
        }
        var e = (h * g).Sum();                                  // E = gᵀ h_L, so ∂E/∂h_L = g
        e.Backward();
        var norms = new double[depth + 1];
        norms[0] = Norm(x.Grad!);
        for (int k = 1; k <= depth; k++) norms[k] = Norm(probes[k].Grad!);
        return norms;
    }

    /// <summary>W = U·diag(s)·Vᵀ (float64, [D, D]).</summary>
    public static Tensor Weight(Tensor u, Tensor v, double[] singularValues) =>
        (u * Tensor.FromArray(singularValues, 1, singularValues.Length)).MatMul(v.Transpose(0, 1)).Contiguous();

    /// <summary>A random orthogonal D×D matrix: modified Gram–Schmidt, applied twice for orthogonality to rounding
    /// error, on the columns of a standard-normal matrix (the Q of its QR decomposition).</summary>
    public static Tensor RandomOrthogonal(int n, Generator gen)
    {
        var a = Tensor.Randn([n, n], 0, 1, DType.Float64, gen).ToArray<double>();   // row-major; column j = a[i·n + j]
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += a[i * n + p] * a[i * n + j];
                    for (int i = 0; i < n; i++) a[i * n + j] -= dot * a[i * n + p];
                }
                double norm = 0;
                for (int i = 0; i < n; i++) norm += a[i * n + j] * a[i * n + j];
                norm = Math.Sqrt(norm);
                for (int i = 0; i < n; i++) a[i * n + j] /= norm;
            }
        return Tensor.FromArray(a, n, n);
    }

    /// <summary>max |QᵀQ − I|.</summary>
    public static double OrthogonalityError(Tensor q)
    {
        var qtq = q.Transpose(0, 1).MatMul(q).ToDoubleArray();
        int n = q.Size(0);
        double err = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) err = Math.Max(err, Math.Abs(qtq[i * n + j] - (i == j ? 1 : 0)));
        return err;
    }

    private static double Norm(Tensor t) => Math.Sqrt(t.ToDoubleArray().Sum(x => x * x));

    private static double RelativeError(double value, double expected) => Math.Abs(value - expected) / expected;
}
