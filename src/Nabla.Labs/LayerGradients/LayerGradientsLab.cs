using System.Diagnostics;

namespace Nabla.Labs;

/// <summary>The sizes and the finite-difference step of the <c>layer-gradients</c> lab (the random inputs come from
/// the run's <c>--seed</c>). Pairs are written "height,width".</summary>
public sealed record LayerGradientsSettings
{
    [Setting("batch size N of every layer's and loss's input", Min = 2, Max = 64)] public int Batch { get; init; }
    [Setting("per-example shape d1,…,dk of the affine layer's input (flattened to D = d1·…·dk)")] public int[] AffineInput { get; init; } = [];
    [Setting("outputs M of the affine layer; features D of the activations, dropout and batch norms", Min = 1, Max = 256)] public int Features { get; init; }
    [Setting("classes C of the losses and vector length n of the softmax and sigmoid Jacobians", Min = 2, Max = 100)] public int Classes { get; init; }
    [Setting("input channels C of convolution, spatial batch norm and max pooling", Min = 1, Max = 16)] public int Channels { get; init; }
    [Setting("filters F of the convolution", Min = 1, Max = 16)] public int Filters { get; init; }
    [Setting("image height,width H,W")] public int[] Image { get; init; } = [];
    [Setting("convolution kernel height,width HH,WW")] public int[] Kernel { get; init; } = [];
    [Setting("stride sh,sw of the second convolution section")] public int[] Stride { get; init; } = [];
    [Setting("zero padding ph,pw of the second convolution section")] public int[] Pad { get; init; } = [];
    [Setting("max-pooling window height,width")] public int[] Pool { get; init; } = [];
    [Setting("max-pooling stride height,width")] public int[] PoolStride { get; init; } = [];
    [Setting("dropout's drop probability p (keep probability 1 − p)", Min = 0, Max = 0.95)] public double DropP { get; init; }
    [Setting("24789 P3 network sizes: input N, hidden M, classes K")] public int[] Net { get; init; } = [];
    [Setting("Workbook Q19 sparsity weight λ", Min = 0)] public double Lambda { get; init; }
    [Setting("vector lengths n at which the O(n²) and O(n) softmax vector-Jacobian products are timed")] public int[] VjpSizes { get; init; } = [];
    [Setting("central-difference step h", Min = 1e-10, Max = 0.1)] public double Step { get; init; }
    [Setting("central-difference stencil: five-point (O(h⁴) truncation) or two-point (cs231n's, O(h²))")] public DifferenceStencil Stencil { get; init; }

    /// <summary>The finite-difference rule of these settings.</summary>
    public FiniteDifference Fd => new(Step, Stencil);

    /// <summary>Throws naming the setting when a pair or triple has the wrong length or a size is out of range.</summary>
    public void Validate()
    {
        Need(AffineInput, "affine-input", AffineInput.Length, 1);
        Need(Image, "image", 2, 1);
        Need(Kernel, "kernel", 2, 1);
        Need(Stride, "stride", 2, 1);
        Need(Pad, "pad", 2, 0);
        Need(Pool, "pool", 2, 1);
        Need(PoolStride, "pool-stride", 2, 1);
        Need(Net, "net", 3, 1);
        Need(VjpSizes, "vjp-sizes", VjpSizes.Length, 2);
        if (AffineInput.Length == 0) throw new ArgumentException("layer-gradients: setting 'affine-input' needs at least one dimension");
        if (Kernel[0] > Image[0] || Kernel[1] > Image[1])
            throw new ArgumentException($"layer-gradients: the kernel {Kernel[0]}×{Kernel[1]} must fit in the image {Image[0]}×{Image[1]} (stride-1 section, no padding)");
        if (Pool[0] > Image[0] || Pool[1] > Image[1])
            throw new ArgumentException($"layer-gradients: the pool window {Pool[0]}×{Pool[1]} must fit in the image {Image[0]}×{Image[1]}");
    }

    private static void Need(int[] v, string key, int length, int min)
    {
        if (v.Length != length) throw new ArgumentException($"layer-gradients: setting '{key}' needs {length} values, got {v.Length}");
        foreach (int e in v)
            if (e < min) throw new ArgumentException($"layer-gradients: setting '{key}' needs values ≥ {min}, got {e}");
    }
}

/// <summary>ReLU and its derivative candidates at one point x (IFT6135 Q1.1): the Heaviside step H(x) with H(0) = ½,
/// the subgradient the library's autograd and the explicit layer use, and the left, right and central difference quotients.</summary>
public sealed record KinkPoint(double X, double Heaviside, double Autograd, double Layer, double Left, double Right, double Central);

/// <summary>The softmax vector-Jacobian product (∂S/∂x)ᵀg at one length n (IFT6135 Q2.4): the best of three timed runs
/// of the dense product (build diag(S) − SSᵀ, then multiply: O(n²)) and of S ⊙ (g − ⟨g, S⟩) (O(n)), and their relative error.</summary>
public sealed record VjpTiming(int N, double DenseMicroseconds, double LinearMicroseconds, double RelError);

/// <summary>Everything the report needs.</summary>
public sealed record LayerGradientsResult(IReadOnlyList<GradientSection> Sections, IReadOnlyList<KinkPoint> ReluAtKink,
    IReadOnlyList<VjpTiming> VjpTimings, double KinkGap, double Seconds)
{
    /// <summary>The headline: the largest error over every row of every section.</summary>
    public double MaxError => Sections.Max(s => s.Max);

    public int RowCount => Sections.Sum(s => s.Rows.Count);
}

/// <summary>
/// The closed-form gradients that the course assignments ask students to derive, for every explicit-backprop layer
/// and loss of <see cref="Nabla.Course.Layers"/> (and the seeds' small networks), each evaluated four ways in float64 —
/// the formula coded in this lab, the explicit layer's Backward, Nabla's autograd through the library ops, and central
/// finite differences — with the largest relative error of every comparison tabled.
/// </summary>
public sealed partial class LayerGradientsLab : Lab<LayerGradientsSettings, LayerGradientsResult>
{
    public override string Name => "layer-gradients";

    public override string Description => "closed-form layer and loss gradients vs explicit backward vs autograd vs finite differences (float64)";

    public override string Title => "Layer gradients: the closed forms, checked four ways";

    public override LayerGradientsSettings Quick => new()
    {
        Batch = 3, AffineInput = [2, 3], Features = 4, Classes = 4, Channels = 2, Filters = 3, Image = [6, 5], Kernel = [3, 2],
        Stride = [2, 1], Pad = [1, 0], Pool = [2, 2], PoolStride = [2, 1], DropP = 0.4, Net = [5, 4, 3], Lambda = 0.1,
        VjpSizes = [16, 64, 256], Step = 1e-3, Stencil = DifferenceStencil.FivePoint,
    };

    public override LayerGradientsSettings Full => new()
    {
        Batch = 7, AffineInput = [3, 5], Features = 6, Classes = 10, Channels = 3, Filters = 4, Image = [9, 8], Kernel = [3, 4],
        Stride = [2, 3], Pad = [1, 2], Pool = [3, 2], PoolStride = [2, 2], DropP = 0.4, Net = [7, 6, 5], Lambda = 0.1,
        VjpSizes = [64, 256, 1024, 2048], Step = 1e-3, Stencil = DifferenceStencil.FivePoint,
    };

    /// <summary>How far every input is kept from a kink (ReLU at 0, a max-pool tie, a hinge at margin 0, |h| at 0):
    /// ten times the stencil's reach, so no difference quotient straddles one.</summary>
    public static double KinkGap(FiniteDifference fd) => Math.Max(1e-3, 10 * fd.Reach);

    /// <summary>The sections in report order; each draws its inputs from its own generator stream.</summary>
    internal static IReadOnlyList<(string Key, Func<LayerGradientsSettings, Generator, GradientSection> Build)> Builders { get; } =
    [
        ("affine", (s, g) => Affine(s, g)),
        ("relu", (s, g) => Relu(s, g)),
        ("sigmoid", (s, g) => Sigmoid(s, g)),
        ("tanh", (s, g) => Tanh(s, g)),
        ("sigmoid-jacobian", (s, g) => SigmoidJacobian(s, g)),
        ("softmax-jacobian", (s, g) => SoftmaxJacobian(s, g)),
        ("vjp", (s, g) => VectorJacobianProducts(s, g)),
        ("dropout", (s, g) => Dropout(s, g)),
        ("batchnorm", (s, g) => BatchNorm(s, g)),
        ("eecs-batchnorm", (s, g) => EecsBatchNorm(s, g)),
        ("spatial-batchnorm", (s, g) => SpatialBatchNorm(s, g)),
        ("conv", (s, g) => ConvStride1(s, g)),
        ("conv-strided", (s, g) => ConvStrided(s, g)),
        ("maxpool", (s, g) => MaxPool(s, g)),
        ("softmax-loss", (s, g) => SoftmaxLoss(s, g)),
        ("svm-loss", (s, g) => SvmLoss(s, g)),
        ("logistic-loss", (s, g) => LogisticLoss(s, g)),
        ("binary-hinge", (s, g) => BinaryHinge(s, g)),
        ("mlp-24789", (s, g) => SigmoidSoftmaxNet(s, g)),
        ("log-likelihood", (s, g) => LogLikelihood(s, g)),
        ("sparse-autoencoder", (s, g) => SparseAutoencoder(s, g)),
    ];

    public override LayerGradientsResult Experiment(LayerGradientsSettings s, LabKit kit)
    {
        s.Validate();
        var clock = Stopwatch.StartNew();
        var sections = new List<GradientSection>();
        for (int i = 0; i < Builders.Count; i++)
        {
            var t0 = clock.Elapsed.TotalSeconds;
            var section = Builders[i].Build(s, kit.Generator((ulong)(i + 1) * 1000));
            sections.Add(section);
            kit.Out.WriteLine($"  {section.Key,-20} {section.Rows.Count} gradients, max rel. error {LabReport.Format(section.Max)} ({clock.Elapsed.TotalSeconds - t0:F2} s)");
        }
        var kink = ReluAtKink(s.Step);
        var t1 = clock.Elapsed.TotalSeconds;
        var timings = s.VjpSizes.Select(n => TimeVjp(n, kit.Generator(99_000 + (ulong)n))).ToList();
        kit.Out.WriteLine($"  vjp timings at n = {string.Join(", ", s.VjpSizes)} ({clock.Elapsed.TotalSeconds - t1:F2} s)");
        return new LayerGradientsResult(sections, kink, timings, KinkGap(s.Fd), clock.Elapsed.TotalSeconds);
    }
}
