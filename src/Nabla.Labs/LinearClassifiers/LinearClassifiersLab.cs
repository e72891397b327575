using Nabla.Data;

namespace Nabla.Labs;

/// <summary>Settings of the linear-classifiers lab: the binary (4 vs 9) and softmax tasks' sizes, widths and SGD.</summary>
public sealed record LinearClassifiersSettings
{
    [Setting("4-vs-9 training examples (sampled from the 50k training part)", Min = 2, Max = 9_000)] public int BinaryTrain { get; init; } = 500;
    [Setting("4-vs-9 validation examples (sampled from the 10k validation part)", Min = 1, Max = 1_900)] public int BinaryValid { get; init; } = 250;
    [Setting("4-vs-9 test examples (sampled from the test file)", Min = 1, Max = 1_900)] public int BinaryTest { get; init; } = 250;
    [Setting("hidden widths tried for the binary classifiers", Min = 1, Max = 4096)] public int[] BinaryWidths { get; init; } = [];
    [Setting("epochs of the binary classifiers", Min = 1, Max = 1000)] public int BinaryEpochs { get; init; }
    [Setting("batch size of the binary classifiers", Min = 1, Max = 9_000)] public int BinaryBatchSize { get; init; } = 25;
    [Setting("SGD learning rate (binary)", Min = 1e-6, Max = 10)] public double BinaryLearningRate { get; init; } = 0.01;
    [Setting("SGD momentum (binary)", Min = 0, Max = 0.999)] public double BinaryMomentum { get; init; } = 0.9;
    [Setting("L2 weight decay λ (binary)", Min = 0, Max = 1)] public double BinaryWeightDecay { get; init; } = 1e-4;
    [Setting("softmax training images (the first of the 50k training part)", Min = 1, Max = 50_000)] public int SoftmaxTrainImages { get; init; }
    [Setting("softmax validation images (the first of the 10k validation part)", Min = 1, Max = 10_000)] public int SoftmaxValidationImages { get; init; }
    [Setting("softmax test images (the first of the test file)", Min = 1, Max = 10_000)] public int SoftmaxTestImages { get; init; }
    [Setting("hidden widths tried for softmax regression", Min = 1, Max = 4096)] public int[] SoftmaxWidths { get; init; } = [];
    [Setting("epochs of softmax regression", Min = 1, Max = 1000)] public int SoftmaxEpochs { get; init; }
    [Setting("batch size of softmax regression", Min = 1, Max = 50_000)] public int SoftmaxBatchSize { get; init; } = 128;
    [Setting("SGD learning rate (softmax)", Min = 1e-6, Max = 10)] public double SoftmaxLearningRate { get; init; } = 0.01;
    [Setting("SGD momentum (softmax)", Min = 0, Max = 0.999)] public double SoftmaxMomentum { get; init; } = 0.9;
    [Setting("L2 weight decay λ (softmax)", Min = 0, Max = 1)] public double SoftmaxWeightDecay { get; init; } = 1e-4;

    internal SgdSettings Binary => new(BinaryLearningRate, BinaryMomentum, BinaryWeightDecay, BinaryBatchSize, BinaryEpochs);

    internal SgdSettings Softmax => new(SoftmaxLearningRate, SoftmaxMomentum, SoftmaxWeightDecay, SoftmaxBatchSize, SoftmaxEpochs);
}

/// <summary>One task's size and fits: <see cref="Fits"/>[0] is the linear model, the others the hidden widths in order;
/// <see cref="Chosen"/> indexes the width picked on validation.</summary>
public sealed record LinearTaskResult(string Name, int TrainCount, int ValidCount, int TestCount, IReadOnlyList<ClassifierFit> Fits, int Chosen)
{
    public ClassifierFit Linear => Fits[0];

    public ClassifierFit Hidden => Fits[Chosen];
}

/// <summary>The three tasks in report order, and the digit counts of the binary samples (fours, nines per split).</summary>
public sealed record LinearClassifiersResult(IReadOnlyList<LinearTaskResult> Tasks, IReadOnlyList<(string Split, int Fours, int Nines)> BinaryCounts)
{
    public LinearTaskResult this[string name] => Tasks.Single(t => t.Name == name);
}

/// <summary>
/// Logistic regression, a binary linear SVM and softmax regression on MNIST, each without a hidden layer and with one
/// hidden ReLU layer whose width is chosen on a validation set. Binary tasks: digit 4 against digit 9 with
/// 500/250/250 train/valid/test examples; softmax: the ten digits with the standard 50k/10k/10k split.
/// </summary>
public sealed partial class LinearClassifiersLab : Lab<LinearClassifiersSettings, LinearClassifiersResult>
{
    /// <summary>The binary pair: 4 and 9 are MNIST's most confused pair of digits (a closed or open top loop on a
    /// vertical stroke), so a linear boundary is not trivially enough, unlike e.g. 0 vs 1.</summary>
    public const int NegativeDigit = 4, PositiveDigit = 9;

    public override string Name => "linear-classifiers";

    public override string Description => "logistic regression, binary SVM (4 vs 9) and softmax regression, linear vs one hidden layer (width by validation)";

    public override string Title => "Linear classifiers on MNIST: logistic regression, SVM, softmax regression";

    public override LinearClassifiersSettings Quick => new()
    {
        BinaryWidths = [8, 32], BinaryEpochs = 5, SoftmaxWidths = [32, 128], SoftmaxEpochs = 2,
        SoftmaxTrainImages = 3000, SoftmaxValidationImages = 1000, SoftmaxTestImages = 1000,
    };

    public override LinearClassifiersSettings Full => new()
    {
        BinaryWidths = [8, 32, 128, 512], BinaryEpochs = 50, SoftmaxWidths = [32, 128, 512], SoftmaxEpochs = 10,
        SoftmaxTrainImages = 50_000, SoftmaxValidationImages = 10_000, SoftmaxTestImages = 10_000,
    };

    public override LinearClassifiersResult Experiment(LinearClassifiersSettings s, LabKit kit)
    {
        var mnist = kit.Mnist(50_000, 10_000, 10_000, flatten: true);

        // Binary data: fixed-seed samples of the 4s and 9s of each split (train/valid from the 50k/10k parts of the
        // training file, test from the test file), so the three sets are disjoint.
        var split = BinarySplit(mnist.Train, mnist.Validation, mnist.Test, kit.Seed, s.BinaryTrain, s.BinaryValid, s.BinaryTest);
        var tasks = new List<(ClassifierTask Task, int[] Widths, SgdSettings Settings)>
        {
            (ClassifierTask.Binary("logistic", split.Train, split.Valid, split.Test, PositiveDigit, hinge: false), s.BinaryWidths, s.Binary),
            (ClassifierTask.Binary("svm", split.Train, split.Valid, split.Test, PositiveDigit, hinge: true), s.BinaryWidths, s.Binary),
            (ClassifierTask.Softmax("softmax", mnist.Train.Slice(0, s.SoftmaxTrainImages), mnist.Validation.Slice(0, s.SoftmaxValidationImages),
                mnist.Test.Slice(0, s.SoftmaxTestImages)), s.SoftmaxWidths, s.Softmax),
        };

        var results = new List<LinearTaskResult>();
        foreach (var (task, widths, settings) in tasks)
        {
            kit.Out.WriteLine($"{task.Name}: {task.Train.Count}/{task.Valid.Count}/{task.Test.Count} examples");
            var fits = new List<ClassifierFit>();
            ulong k = 0;
            foreach (int h in widths.Prepend(0))
                fits.Add(LinearClassifiersTraining.Fit(task, h, settings, kit.Seed * 7919 + 101 + k++, kit.Out));
            results.Add(new LinearTaskResult(task.Name, task.Train.Count, task.Valid.Count, task.Test.Count, fits, ChooseWidth(fits)));
        }
        return new LinearClassifiersResult(results, split.Counts);
    }

    /// <summary>Index of the hidden-layer fit with the best validation accuracy at the last epoch; ties go to the
    /// narrower network.</summary>
    public static int ChooseWidth(IReadOnlyList<ClassifierFit> fits) =>
        Enumerable.Range(0, fits.Count).Where(i => fits[i].Hidden > 0)
            .OrderByDescending(i => fits[i].ValidAccuracyFinal).ThenBy(i => fits[i].Hidden).First();

    internal sealed record BinaryData(IDataset Train, IDataset Valid, IDataset Test, IReadOnlyList<(string Split, int Fours, int Nines)> Counts);

    /// <summary>Examples drawn without replacement (fixed seed) from the 4s and 9s of each split (500 / 250 / 250 by default).</summary>
    internal static BinaryData BinarySplit(ImageDataset train, ImageDataset valid, ImageDataset test, ulong seed,
        int trainCount = 500, int validCount = 250, int testCount = 250)
    {
        var tr = Sample(train, trainCount, seed * 31 + 1);
        var va = Sample(valid, validCount, seed * 31 + 2);
        var te = Sample(test, testCount, seed * 31 + 3);
        int Count(Subset s, int digit) => Enumerable.Range(0, s.Count).Count(i => s.Get(i, new float[s.FeatureSize()]) == digit);
        var counts = new[] { ("train", tr), ("valid", va), ("test", te) }
            .Select(p => (p.Item1, Count(p.Item2, NegativeDigit), Count(p.Item2, PositiveDigit))).ToList();
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
