using System.Globalization;
using Nabla.Models;
using Nabla.NN;

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
    [Setting("smallest N of the truncation-slope fit", Min = 1, Max = 1e9)] public int SlopeFrom { get; init; } = 50;
    [Setting("largest N of the truncation-slope fit", Min = 1, Max = 1e9)] public int SlopeTo { get; init; } = 1000;
}

/// <summary>What the check measured: the trained net's validation accuracy, the example and its first hidden unit's
/// pre-activation z₀, the pixels j whose weights W₁[0, j] are checked and their standardised values x_j, the values of
/// the first p pixels (those the first p weights of W₁ in row-major order multiply), for each N the number of hidden
/// ReLUs whose on/off state differs between θ_i − ε and θ_i + ε (summed over the p weights: kinks inside the step), the probe in
/// float64 and in float32, and the fitted truncation slope.</summary>
public sealed record FiniteDifferenceLabResult(int TrainCount, double ValAccuracy, int ExampleIndex, int Label, double Z0, bool SmoothInFit,
    int[] Pixels, double[] PixelValues, double[] FirstPixelValues, int[] SwitchedRelus, FiniteDifferenceResult Float64, FiniteDifferenceResult Float32, double Slope);

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
        var (index, x, y, z0, pixels, smooth) = PickExample(net64, w64, data.Train, s.Weights, 1.0 / s.SlopeFrom);
        var x64 = x.To(DType.Float64);
        var switched = s.Ns.Select(n => SwitchedRelus(net64, w64, x64, pixels, 1.0 / n)).ToArray();
        var xs = x64.Reshape([-1]).ToDoubleArray();
        // W₁ is [hidden, 784]: the weight of hidden unit 0 on pixel j sits at flat position j.
        var r64 = FiniteDifferenceProbe.Run(() => net64.Invoke(x64).CrossEntropy(y), w64, pixels, s.Ns);
        var w32 = model.Layers.OfType<Linear>().First().Weight;
        var r32 = FiniteDifferenceProbe.Run(() => model.Invoke(x).CrossEntropy(y), w32, pixels, s.Ns);
        double slope = LogLogSlope(s.Ns, r64.MaxError, s.SlopeFrom, s.SlopeTo);
        kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"example {index}, loss {r64.Loss:G6}; float64 error at N={s.Ns[0]}: {r64.MaxError[0]:G3}, N={s.Ns[^1]}: {r64.MaxError[^1]:G3}"));
        return new FiniteDifferenceLabResult(data.Train.Count, val.Accuracy, index, (int)y.At(0), z0, smooth, pixels, [.. pixels.Select(j => xs[j])], xs[..s.Weights], switched, r64, r32, slope);
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

    /// <summary>Training examples scanned for the check's example.</summary>
    public const int Candidates = 100;

    /// <summary>Of the first <see cref="Candidates"/> training examples with at least <paramref name="count"/> distinct
    /// foreground values and an active first hidden unit (z₀ = W₁[0]·x + b₁[0] &gt; 0, so that its weights get a non-zero
    /// gradient), the one with the largest z₀ among those where no ReLU switches within steps up to
    /// <paramref name="largestFitStep"/> (the truncation-slope fit then sees no kink), or with the largest z₀ when every
    /// candidate has such a switch (Smooth tells which); and the pixels chosen in it (<see cref="PickPixels"/>).</summary>
    private static (int Index, Tensor X, Tensor Y, double Z0, int[] Pixels, bool Smooth) PickExample(Sequential net64, Tensor w1, Data.IDataset train,
        int count, double largestFitStep)
    {
        var b1 = net64.Layers.OfType<Linear>().First().Bias!;
        (int Index, Tensor X, Tensor Y, double Z0, int[] Pixels, bool Smooth)? best = null;
        for (int i = 0; i < Math.Min(Candidates, train.Count); i++)
        {
            var (x, y) = LabKit.Example(train, i);
            var x64 = x.Reshape([1, -1]).To(DType.Float64);
            double z0;
            using (GradMode.NoGrad()) z0 = x64.Linear(w1, b1).At(0, 0);
            if (z0 <= 0 || PickPixels(x64.Reshape([-1]).ToDoubleArray(), count) is not { } pixels) continue;
            bool smooth = SwitchedRelus(net64, w1, x.To(DType.Float64), pixels, largestFitStep) == 0;
            if (best is not { } b || (smooth && !b.Smooth) || (smooth == b.Smooth && z0 > b.Z0)) best = (i, x, y, z0, pixels, smooth);
        }
        if (best is not { } found)
            throw new InvalidOperationException($"finite-difference: none of the first {Candidates} training examples activates hidden unit 0 and has {count} distinct foreground pixel values");
        return found;
    }

    /// <summary>Summed over the weights W₁[0, j] of <paramref name="pixels"/>: how many hidden ReLUs of
    /// <paramref name="net"/> are on for one of W₁[0, j] ± <paramref name="eps"/> and off for the other (a kink inside
    /// the central difference's interval) on the example x. The weights are restored exactly.</summary>
    public static int SwitchedRelus(Sequential net, Tensor w1, Tensor x, int[] pixels, double eps)
    {
        using var _ = GradMode.NoGrad();
        int switched = 0;
        foreach (int j in pixels)
        {
            double theta = w1.At(0, j);
            w1.SetAt(theta + eps, 0, j);
            var plus = ReluStates(net, x);
            w1.SetAt(theta - eps, 0, j);
            var minus = ReluStates(net, x);
            w1.SetAt(theta, 0, j);
            switched += plus.Zip(minus).Count(p => p.First != p.Second);
        }
        return switched;
    }

    /// <summary>On (output &gt; 0) or off for every unit of every ReLU layer, in order.</summary>
    private static List<bool> ReluStates(Sequential net, Tensor x)
    {
        var states = new List<bool>();
        foreach (var layer in net.Layers)
        {
            x = layer.Invoke(x);
            if (layer is ReLU) states.AddRange(x.ToDoubleArray().Select(v => v > 0));
        }
        return states;
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
