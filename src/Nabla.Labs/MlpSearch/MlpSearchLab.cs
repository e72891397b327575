using System.Diagnostics;
using System.Globalization;
using Nabla.Models;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Sizes and search space of the mlp-search lab: a baseline and the values each one-factor sweep tries.</summary>
public sealed record MlpSearchSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 1, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("validation images (the first of the 10k held out)", Min = 1, Max = 10_000)] public int ValidationImages { get; init; }
    [Setting("test images (the first of the test file)", Min = 1, Max = 10_000)] public int TestImages { get; init; }
    [Setting("epochs of plain SGD per setting", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("baseline hidden layer widths", Min = 1, Max = 4096)] public int[] Hidden { get; init; } = [512, 512];
    [Setting("baseline activation (relu, tanh, sigmoid, …)")] public string Activation { get; init; } = "relu";
    [Setting("baseline SGD learning rate", Min = 1e-6, Max = 10)] public double LearningRate { get; init; } = 0.1;
    [Setting("baseline mini-batch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; } = 64;
    [Setting("learning rates of the learning-rate sweep", Min = 1e-6, Max = 10)] public double[] SweepLearningRates { get; init; } = [0.01, 0.03, 0.3];
    [Setting("activations of the activation sweep")] public string[] SweepActivations { get; init; } = ["tanh", "sigmoid"];
    [Setting("hidden widths of the width sweep, one net per entry, layers joined by '-' (e.g. 128,256-256)")] public string[] SweepHidden { get; init; } = ["128", "256-256", "1024"];
    [Setting("batch sizes of the batch-size sweep", Min = 1, Max = 50_000)] public int[] SweepBatchSizes { get; init; } = [32, 128];
}

/// <summary>One point of the search: which factor it varies and the full setting.</summary>
public sealed record SearchSetting(string Factor, int[] Hidden, string Activation, double LearningRate, int BatchSize)
{
    public string HiddenText => string.Join("-", Hidden);

    public bool SameAs(SearchSetting o) =>
        Hidden.SequenceEqual(o.Hidden) && Activation == o.Activation && LearningRate == o.LearningRate && BatchSize == o.BatchSize;
}

/// <summary>One trained setting: parameters, last-epoch training loss, validation accuracy (NaN if it diverged), time.</summary>
public sealed record SearchOutcome(SearchSetting Setting, long Parameters, double TrainLoss, double ValAccuracy, double Seconds);

public sealed record MlpSearchResult(int TrainCount, int ValidationCount, int TestCount, SearchSetting Baseline, IReadOnlyList<SearchOutcome> Outcomes,
    SearchSetting Combined, bool CombinedTrained, int BestIndex, double TestAccuracy, IReadOnlyList<EpochRecord> BestHistory, double SearchSeconds)
{
    public SearchOutcome Best => Outcomes[BestIndex];
}

/// <summary>
/// A small hyper-parameter search for an MNIST MLP on the 50k/10k split: one factor at a time around a baseline
/// (learning rate, activation, hidden widths, batch size), then the best value of each factor combined; the best
/// setting by validation accuracy is evaluated once on the test set.
/// </summary>
public sealed partial class MlpSearchLab : Lab<MlpSearchSettings, MlpSearchResult>
{
    public override string Name => "mlp-search";

    public override string Description => "MLP on MNIST: search over widths, learning rate, activation and batch size (validation accuracy)";

    public override string Title => "Hyper-parameter search for an MLP on MNIST";

    public override MlpSearchSettings Quick => new() { TrainImages = 2000, ValidationImages = 1000, TestImages = 1000, Epochs = 1 };

    public override MlpSearchSettings Full => new() { TrainImages = 50_000, ValidationImages = 10_000, TestImages = 10_000, Epochs = 5 };

    public static SearchSetting Baseline(MlpSearchSettings s) => new("baseline", s.Hidden, s.Activation, s.LearningRate, s.BatchSize);

    /// <summary>The one-factor-at-a-time sweeps: each changes one field of the baseline.</summary>
    public static IReadOnlyList<SearchSetting> Sweeps(MlpSearchSettings s)
    {
        var b = Baseline(s);
        return
        [
            .. s.SweepLearningRates.Select(lr => b with { Factor = "learning rate", LearningRate = lr }),
            .. s.SweepActivations.Select(a => b with { Factor = "activation", Activation = a }),
            .. s.SweepHidden.Select(h => b with { Factor = "hidden widths", Hidden = ParseWidths(h) }),
            .. s.SweepBatchSizes.Select(n => b with { Factor = "batch size", BatchSize = n }),
        ];
    }

    /// <summary>"256-256" → [256, 256]; throws <see cref="ArgumentException"/> naming the entry when it is not positive
    /// integers joined by '-'.</summary>
    public static int[] ParseWidths(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"mlp-search: sweep-hidden entry '{text}' must be positive widths joined by '-', e.g. 256-256");
        return widths;
    }

    public override MlpSearchResult Experiment(MlpSearchSettings s, LabKit kit)
    {
        var baseline = Baseline(s);
        var sweeps = Sweeps(s);
        foreach (var a in sweeps.Select(x => x.Activation).Prepend(baseline.Activation).Distinct())
            _ = NN.Activation.Parse(a);   // an unknown name fails here, before any training
        var data = kit.Mnist(s.TrainImages, s.ValidationImages, s.TestImages);
        var clock = Stopwatch.StartNew();
        var outcomes = new List<SearchOutcome>();
        var trainers = new List<Trainer>();
        var histories = new List<IReadOnlyList<EpochRecord>>();
        void Train(SearchSetting x)
        {
            kit.Out.WriteLine($"setting {outcomes.Count + 1}: {Describe(x)}");
            var model = Mlp.Create(new MlpOptions(Hidden: x.Hidden, Activation: NN.Activation.Parse(x.Activation), Init: NN.InitScheme.XavierUniform), kit.Generator(5));
            var t = Stopwatch.StartNew();
            var (trainer, fit) = MlpTraining.TrainSgd(model, data, s.Epochs, x.LearningRate, x.BatchSize, kit.Seed + 3, kit.Out, $"#{outcomes.Count + 1}");
            var last = fit.History.Count > 0 ? fit.History[^1] : null;
            outcomes.Add(new SearchOutcome(x, model.ParameterCount(), last?.TrainLoss ?? double.NaN,
                fit.Diverged ? double.NaN : last?.ValidationAccuracy ?? double.NaN, t.Elapsed.TotalSeconds));
            trainers.Add(trainer);
            histories.Add(fit.History.ToList());
        }

        Train(baseline);
        foreach (var x in sweeps) Train(x);
        // Combine the best value of each factor (the baseline competes in every factor).
        SearchSetting BestFor(string factor) => outcomes.Where(r => r.Setting.Factor == factor || r.Setting.Factor == "baseline")
            .OrderByDescending(r => Score(r.ValAccuracy)).First().Setting;
        var combined = new SearchSetting("combined", BestFor("hidden widths").Hidden, BestFor("activation").Activation,
            BestFor("learning rate").LearningRate, BestFor("batch size").BatchSize);
        bool combinedTrained = !outcomes.Any(r => r.Setting.SameAs(combined));
        if (combinedTrained) Train(combined);

        int best = outcomes.Select((r, i) => (r, i)).OrderByDescending(p => Score(p.r.ValAccuracy)).First().i;
        var test = MlpTraining.Evaluate(trainers[best], data.Test);   // the only look at the test set
        kit.Out.WriteLine($"best: {Describe(outcomes[best].Setting)}, validation {Pct(outcomes[best].ValAccuracy)}, test {Pct(test.Accuracy)}");
        return new MlpSearchResult(data.Train.Count, data.Validation.Count, data.Test.Count, baseline, outcomes, combined, combinedTrained,
            best, test.Accuracy, histories[best], clock.Elapsed.TotalSeconds);
    }

    private static double Score(double accuracy) => double.IsNaN(accuracy) ? -1 : accuracy;

    public static string Describe(SearchSetting s) => string.Create(CultureInfo.InvariantCulture,
        $"hidden {s.HiddenText}, {s.Activation}, lr {s.LearningRate}, batch {s.BatchSize}");

    private static string Pct(double a) => double.IsNaN(a) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * a:F2}%");
}
