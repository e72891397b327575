using System.Globalization;
using Nabla.Autograd;
using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>Sizes of the finite-difference lab.</summary>
public sealed record FiniteDifferenceSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 1, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("validation images (the first of the 10k held out)", Min = 1, Max = 10_000)] public int ValidationImages { get; init; }
    [Setting("hidden layer widths", Min = 1, Max = 4096)] public int[] Hidden { get; init; } = [512, 512];
    [Setting("epochs of SGD before the check", Min = 0, Max = 1000)] public int Epochs { get; init; }
    [Setting("SGD learning rate", Min = 1e-6, Max = 10)] public double LearningRate { get; init; } = 0.1;
    [Setting("mini-batch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; } = 64;
    [Setting("weights checked: p first-layer weights W₁[0, j] of hidden unit 0 on pixels j that are foreground in the example, with distinct values", Min = 1, Max = 784)] public int Weights { get; init; } = 10;
    [Setting("the values of N, step ε = 1/N", Min = 1, Max = 1e9)] public int[] Ns { get; init; } = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 50000, 100000];
    [Setting("smallest N of the truncation-slope fit", Min = 1, Max = 1e9)] public int SlopeFrom { get; init; } = 10;
    [Setting("largest N of the truncation-slope fit", Min = 1, Max = 1e9)] public int SlopeTo { get; init; } = 100;
}

/// <summary>What the check measured: the trained net's validation accuracy, the example and its first hidden unit's
/// pre-activation z₀, the pixels j whose weights W₁[0, j] are checked and their standardised values x_j, the values of
/// the first p pixels (those the first p weights of W₁ in row-major order multiply), the probe in
/// float64 and in float32, and the fitted truncation slope.</summary>
public sealed record FiniteDifferenceLabResult(int TrainCount, double ValAccuracy, int ExampleIndex, int Label, double Z0,
    int[] Pixels, double[] PixelValues, double[] FirstPixelValues, FiniteDifferenceResult Float64, FiniteDifferenceResult Float32, double Slope);

/// <summary>
/// Checks backprop against central finite differences on a trained MNIST MLP: for one training image and p = 10
/// first-layer weights whose true gradients differ (hidden unit 0's weights on ten foreground pixels of that image with
/// distinct values), max_i |∇_i^N − ∂L/∂θ_i| for ε = 1/N, N = 1 … 100000, in float64 (and, to show why, in float32).
/// </summary>
public sealed partial class FiniteDifferenceLab : Lab<FiniteDifferenceSettings, FiniteDifferenceLabResult>
{
    public override string Name => "finite-difference";

    public override string Description => "finite-difference vs backprop gradient of a trained MNIST MLP, error against N (ε = 1/N), log-log";

    public override string Title => "Finite-difference check of backprop on a trained MLP";

    public override FiniteDifferenceSettings Quick => new() { TrainImages = 2000, ValidationImages = 1000, Epochs = 1 };

    public override FiniteDifferenceSettings Full => new() { TrainImages = 50_000, ValidationImages = 10_000, Epochs = 3 };

    /// <summary>x_j of a background pixel after standardisation: −0.1307/0.3081.</summary>
    public const double Background = -0.1307 / 0.3081;

    public override FiniteDifferenceLabResult Experiment(FiniteDifferenceSettings s, LabKit kit)
    {
        if (s.SlopeFrom >= s.SlopeTo || s.Ns.Count(n => n >= s.SlopeFrom && n <= s.SlopeTo) < 2)
            throw new ArgumentException($"finite-difference: the slope range [{s.SlopeFrom}, {s.SlopeTo}] must contain at least two of the Ns ({string.Join(", ", s.Ns)})");
        var data = kit.Mnist(s.TrainImages, s.ValidationImages, 0);
        var model = Mlp.Create(new MlpOptions(Hidden: s.Hidden, Activation: "relu", Init: "xavier_uniform"), kit.Generator(11));
        var (trainer, _) = MlpTraining.TrainSgd(model, data, s.Epochs, s.LearningRate, s.BatchSize, kit.Seed + 1, kit.Out, "train");
        var val = MlpTraining.Evaluate(trainer, data.Validation);

        var net64 = ToFloat64(model);
        var w64 = net64.Layers.OfType<Linear>().First().Weight;
        var (index, x, y, z0, pixels) = PickExample(net64, w64, data.Train, s.Weights);
        var x64 = x.To(DType.Float64);
        var xs = x64.Reshape([-1]).ToDoubleArray();
        // W₁ is [hidden, 784]: the weight of hidden unit 0 on pixel j sits at flat position j.
        var r64 = FiniteDifferenceProbe.Run(() => net64.Invoke(x64).CrossEntropy(y), w64, pixels, s.Ns);
        var w32 = model.Layers.OfType<Linear>().First().Weight;
        var r32 = FiniteDifferenceProbe.Run(() => model.Invoke(x).CrossEntropy(y), w32, pixels, s.Ns);
        double slope = LogLogSlope(s.Ns, r64.MaxError, s.SlopeFrom, s.SlopeTo);
        kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"example {index}, loss {r64.Loss:G6}; float64 error at N={s.Ns[0]}: {r64.MaxError[0]:G3}, N={s.Ns[^1]}: {r64.MaxError[^1]:G3}"));
        return new FiniteDifferenceLabResult(data.Train.Count, val.Accuracy, index, (int)y.At(0), z0, pixels, [.. pixels.Select(j => xs[j])], xs[..s.Weights], r64, r32, slope);
    }

    /// <summary>The same network with every parameter converted to float64 (values copied exactly).</summary>
    public static Sequential ToFloat64(Sequential trained)
    {
        var net = new Sequential();
        foreach (var layer in trained.Layers)
            net.Add(layer is Linear l ? new Linear(l.InFeatures, l.OutFeatures, l.Bias is not null, DType.Float64) : CloneStateless(layer));
        using var _ = GradMode.NoGrad();
        net.LoadStateDict(trained.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To(DType.Float64)));
        return net;
    }

    private static Module CloneStateless(Module layer) => layer switch
    {
        Flatten => new Flatten(),
        _ when !layer.Parameters().Any() && !layer.NamedBuffers().Any() => NN.Activation.FromName(layer.GetType().Name),
        _ => throw new ArgumentException($"ToFloat64: cannot convert layer {layer}"),
    };

    /// <summary>The first training example whose first hidden unit has a positive pre-activation z₀ = W₁[0]·x + b₁[0]
    /// and at least <paramref name="count"/> distinct foreground values, and the pixels chosen in it (<see cref="PickPixels"/>).</summary>
    private static (int Index, Tensor X, Tensor Y, double Z0, int[] Pixels) PickExample(Sequential net64, Tensor w1, Data.IDataset train, int count)
    {
        var b1 = net64.Layers.OfType<Linear>().First().Bias!;
        using var _ = GradMode.NoGrad();
        for (int i = 0; i < train.Count; i++)
        {
            var (x, y) = LabKit.Example(train, i);
            var x64 = x.Reshape([1, -1]).To(DType.Float64);
            double z0 = x64.Linear(w1, b1).At(0, 0);
            if (z0 <= 0) continue;
            var pixels = PickPixels(x64.Reshape([-1]).ToDoubleArray(), count);
            if (pixels is not null) return (i, x, y, z0, pixels);
        }
        throw new InvalidOperationException($"finite-difference: no training example activates hidden unit 0 and has {count} distinct foreground pixel values");
    }

    /// <summary><paramref name="count"/> pixels of one standardised image x whose values are foreground (above the
    /// background value, the smallest in the image) and pairwise distinct, spread evenly over the sorted distinct
    /// foreground values (the smallest and the largest included); for each value its first pixel. The pixel indices are
    /// returned in increasing order; null when the image has fewer distinct foreground values.</summary>
    public static int[]? PickPixels(double[] x, int count)
    {
        double background = x.Min();
        var values = x.Where(v => v > background).Distinct().Order().ToArray();
        if (values.Length < count) return null;
        var chosen = Enumerable.Range(0, count)
            .Select(k => values[count == 1 ? values.Length - 1 : (int)Math.Round((double)k * (values.Length - 1) / (count - 1))]);
        return chosen.Select(v => Array.IndexOf(x, v)).Order().ToArray();
    }

    /// <summary>Least-squares slope of log10(error) against log10(N) over lo ≤ N ≤ hi.</summary>
    public static double LogLogSlope(int[] ns, double[] errors, int lo, int hi)
    {
        var pts = ns.Select((n, k) => (X: Math.Log10(n), Y: Math.Log10(errors[k]))).Where((p, k) => ns[k] >= lo && ns[k] <= hi && double.IsFinite(p.Y)).ToList();
        double mx = pts.Average(p => p.X), my = pts.Average(p => p.Y);
        return pts.Sum(p => (p.X - mx) * (p.Y - my)) / pts.Sum(p => (p.X - mx) * (p.X - mx));
    }
}
