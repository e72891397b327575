
namespace Nabla.Labs;

/// <summary>Sizes of the vanishing-gradients lab.</summary>
public sealed record VanishingGradientsSettings
{
    [Setting("depth L: number of linear layers h_k = W·h_(k−1)", Min = 1, Max = 1000)] public int Depth { get; init; } = 50;
    [Setting("width D of every layer (W is D×D)", Min = 2, Max = 1024)] public int Width { get; init; } = 16;
    [Setting("the singular-value cases Σ = σ·I (comma-separated σ)", Min = 0)] public double[] Sigmas { get; init; } = [1.0, 0.5, 2.0];
    [Setting("smallest singular value of the contrast case (values spread geometrically)", Min = 1e-6)] public double SpreadMin { get; init; } = 0.5;
    [Setting("largest singular value of the contrast case", Min = 1e-6)] public double SpreadMax { get; init; } = 2;
}

/// <summary>‖∂E/∂h_k‖ for k = 0..L for every σ (in the order of the settings) and for the spread case, the largest
/// relative difference from σ^(L−k), and how orthogonal U and V came out.</summary>
public sealed record VanishingGradientsResult(IReadOnlyList<double> Sigmas, IReadOnlyList<double[]> Norms, double[] SpreadValues, double[] SpreadNorms,
    double MaxRelativeError, double OrthogonalityError, ulong Seed);

/// <summary>
/// Vanishing and exploding gradients in a deep linear network h_k = W·h_{k−1}, k = 1..L, with one shared square
/// W = U·Σ·Vᵀ (U, V random orthogonal). Backpropagating a unit upstream gradient g = ∂E/∂h_L gives
/// ∂E/∂h_k = (Wᵀ)^(L−k)·g; with Σ = σI, Wᵀ = σ·V·Uᵀ is σ times an orthogonal matrix, so ‖∂E/∂h_k‖ = σ^(L−k) exactly.
/// The norms are read from Nabla's autograd (zero "probe" leaves added to each h_k receive ∂E/∂h_k).
/// Shape legend: D = width (row vectors [1, D]), L = depth.
/// </summary>
public sealed partial class VanishingGradientsLab : Lab<VanishingGradientsSettings, VanishingGradientsResult>
{
    public override string Name => "vanishing-gradients";
    public override string Description => "gradient norms through a 50-layer linear network W = UΣVᵀ for Σ = I, ½I, 2I";
    public override string Title => "Vanishing and exploding gradients in a deep linear network";

    /// <summary>The lab is small: the quick form is the full one.</summary>
    public override VanishingGradientsSettings Quick => new();
    public override VanishingGradientsSettings Full => new();

    public override VanishingGradientsResult Experiment(VanishingGradientsSettings s, LabKit kit)
    {
        if (s.SpreadMax < s.SpreadMin) throw new ArgumentException($"lab '{Name}': spread-max ({s.SpreadMax}) must not be below spread-min ({s.SpreadMin})");
        if (s.Sigmas.Length == 0) throw new ArgumentException($"lab '{Name}': sigmas must list at least one σ");
        var gen = kit.Generator();
        int d = s.Width, depth = s.Depth;
        var u = RandomOrthogonal(d, gen);
        var v = RandomOrthogonal(d, gen);
        double orthError = Math.Max(OrthogonalityError(u), OrthogonalityError(v));
        var h0 = Tensor.Randn([1, d], 0, 1, DType.Float64, gen);
        var g = Tensor.Randn([1, d], 0, 1, DType.Float64, gen);
        g = g / Math.Sqrt(g.Square().Sum().Item());     // unit upstream gradient ∂E/∂y

        var norms = new List<double[]>();
        double worst = 0;
        foreach (double sigma in s.Sigmas)
        {
            var n = GradientNorms(Weight(u, v, Enumerable.Repeat(sigma, d).ToArray()), h0, g, depth);
            norms.Add(n);
            for (int k = 0; k <= depth; k++) worst = Math.Max(worst, RelativeError(n[k], Math.Pow(sigma, depth - k)));
            kit.Out.WriteLine(FormattableString.Invariant($"  σ = {sigma}: ‖∂E/∂h_0‖ = {n[0]:0.####e+0} (closed form {Math.Pow(sigma, depth):0.####e+0})"));
        }

        // A contrast case: singular values spread geometrically over [min, max] — the norm now depends on directions.
        var spread = Enumerable.Range(0, d).Select(i => Math.Pow(2, Math.Log2(s.SpreadMin) + Math.Log2(s.SpreadMax / s.SpreadMin) * i / (d - 1))).ToArray();
        var spreadNorms = GradientNorms(Weight(u, v, spread), h0, g, depth);
        return new VanishingGradientsResult(s.Sigmas, norms, spread, spreadNorms, worst, orthError, kit.Seed);
    }

    /// <summary>‖∂E/∂h_k‖ for k = 0..L (L = <paramref name="depth"/>), E = gᵀh_L, h_k = W·h_(k−1) (row-vector form h_k = h_(k−1)·Wᵀ),
    /// by autograd through Nabla's Linear op.</summary>
    public static double[] GradientNorms(Tensor w, Tensor h0, Tensor g, int depth)
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

    public static double RelativeError(double value, double expected) => Math.Abs(value - expected) / expected;
}
