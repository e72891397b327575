using Nabla.Data;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Logistic regression, a binary linear SVM and softmax regression on MNIST, each without a hidden layer and with one
/// hidden ReLU layer whose width is chosen on a validation set. Binary tasks: digit 4 against digit 9 with
/// 500/250/250 train/valid/test examples; softmax: the ten digits with the standard 50k/10k/10k split.
/// </summary>
public sealed class LinearClassifiersLab : ILab
{
    /// <summary>The binary pair: 4 and 9 are MNIST's most confused pair of digits (a closed or open top loop on a
    /// vertical stroke), so a linear boundary is not trivially enough, unlike e.g. 0 vs 1.</summary>
    public const int NegativeDigit = 4, PositiveDigit = 9;

    public const int BinaryTrain = 500, BinaryValid = 250, BinaryTest = 250;

    public string Name => "linear-classifiers";

    public string Description => "logistic regression, binary SVM (4 vs 9) and softmax regression, linear vs one hidden layer (width by validation)";

    private sealed record Plan(int[] BinaryWidths, SgdSettings Binary, int[] SoftmaxWidths, SgdSettings Softmax, int? SoftmaxTrain, int? SoftmaxEval);

    public LabResult Run(LabContext ctx)
    {
        var plan = ctx.Quick
            ? new Plan([8, 32], new SgdSettings(0.01, 0.9, 1e-4, 25, 5), [32, 128], new SgdSettings(0.01, 0.9, 1e-4, 128, 2), 3000, 1000)
            : new Plan([8, 32, 128, 512], new SgdSettings(0.01, 0.9, 1e-4, 25, 50), [32, 128, 512], new SgdSettings(0.01, 0.9, 1e-4, 128, 10), null, null);
        var mnist = Mnist.Load("mnist", new MnistOptions { Root = ctx.DataRoot, ValidationCount = 10_000, Normalize = true, Flatten = true });
        var validation = mnist.Validation!;

        // Binary data: fixed-seed samples of the 4s and 9s of each split (train/valid from the 50k/10k parts of the
        // training file, test from the test file), so the three sets are disjoint.
        var split = BinarySplit(mnist.Train, validation, mnist.Test, ctx.Seed);
        var tasks = new List<(ClassifierTask Task, int[] Widths, SgdSettings Settings)>
        {
            (ClassifierTask.Binary("logistic", split.Train, split.Valid, split.Test, PositiveDigit, hinge: false), plan.BinaryWidths, plan.Binary),
            (ClassifierTask.Binary("svm", split.Train, split.Valid, split.Test, PositiveDigit, hinge: true), plan.BinaryWidths, plan.Binary),
            (ClassifierTask.Softmax("softmax",
                plan.SoftmaxTrain is int n ? Subset.Range(mnist.Train, 0, n) : mnist.Train,
                plan.SoftmaxEval is int v ? Subset.Range(validation, 0, v) : validation,
                plan.SoftmaxEval is int t ? Subset.Range(mnist.Test, 0, t) : mnist.Test), plan.SoftmaxWidths, plan.Softmax),
        };

        var results = new Dictionary<string, List<ClassifierFit>>();
        var chosen = new Dictionary<string, ClassifierFit>();
        foreach (var (task, widths, settings) in tasks)
        {
            ctx.Out.WriteLine($"{task.Name}: {task.Train.Count}/{task.Valid.Count}/{task.Test.Count} examples");
            var fits = new List<ClassifierFit>();
            ulong k = 0;
            foreach (int h in widths.Prepend(0))
                fits.Add(LinearClassifiersTraining.Fit(task, h, settings, ctx.Seed * 7919 + 101 + k++, ctx.Out));
            results[task.Name] = fits;
            // Width by validation accuracy at the last epoch; ties go to the narrower network.
            chosen[task.Name] = fits.Where(f => f.Hidden > 0).OrderByDescending(f => f.ValidAccuracyFinal).ThenBy(f => f.Hidden).First();
        }

        LinearClassifiersReport.Plot(ctx, results, chosen);
        var report = LinearClassifiersReport.Write(Name, ctx, plan.Binary, plan.Softmax, split.Counts, tasks.Select(t => t.Task).ToList(), results, chosen);
        return report.Save(ctx);
    }

    internal sealed record BinaryData(IDataset Train, IDataset Valid, IDataset Test, string Counts);

    /// <summary>500 / 250 / 250 examples drawn without replacement (fixed seed) from the 4s and 9s of each split.</summary>
    internal static BinaryData BinarySplit(ImageDataset train, ImageDataset valid, ImageDataset test, ulong seed)
    {
        var tr = Sample(train, BinaryTrain, seed * 31 + 1);
        var va = Sample(valid, BinaryValid, seed * 31 + 2);
        var te = Sample(test, BinaryTest, seed * 31 + 3);
        string Count(Subset s, int digit) => Enumerable.Range(0, s.Count).Count(i => s.Get(i, new float[784]) == digit).ToString();
        string counts = string.Join(", ", new[] { ("train", tr), ("valid", va), ("test", te) }
            .Select(p => $"{p.Item1} {Count(p.Item2, NegativeDigit)} fours / {Count(p.Item2, PositiveDigit)} nines"));
        return new BinaryData(tr, va, te, counts);
    }

    private static Subset Sample(ImageDataset data, int count, ulong seed)
    {
        var pool = Enumerable.Range(0, data.Count).Where(i => data.Label(i) is NegativeDigit or PositiveDigit).ToArray();
        if (pool.Length < count)
            throw new ArgumentException($"linear-classifiers: {count} examples of digits {NegativeDigit}/{PositiveDigit} requested, the split has {pool.Length}");
        var order = new Generator(seed).Permutation(pool.Length);
        return new Subset(data, order.Take(count).Select(j => pool[j]).ToArray());
    }
}
