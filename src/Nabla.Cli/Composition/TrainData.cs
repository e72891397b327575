using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Training;

namespace Nabla.Cli.Composition;

/// <summary>
/// What <c>nabla train</c> trains on, whatever the source: batches per epoch, validation and test passes, the loss,
/// the feature shape and the <see cref="Preprocess"/> record that <c>nabla predict</c> replays.
/// </summary>
public sealed class TrainData
{
    /// <summary>One line naming the data and where it came from.</summary>
    public required string Description { get; init; }
    /// <summary>What turns raw inputs into features (saved as preprocess.json).</summary>
    public required Preprocess Preprocess { get; init; }
    /// <summary>Shape of one example's features.</summary>
    public int[] FeatureShape => Preprocess.FeatureShape;
    /// <summary>The training batches of an epoch (shuffled from the seed and the epoch, augmented if asked).</summary>
    public required Func<int, IEnumerable<(Tensor Input, Tensor Target)>> TrainEpoch { get; init; }
    /// <summary>Batches in one training epoch.</summary>
    public required int BatchesPerEpoch { get; init; }
    /// <summary>Training examples.</summary>
    public required int TrainCount { get; init; }
    /// <summary>Validation examples (0 without a validation set).</summary>
    public int ValidationCount { get; init; }
    /// <summary>One pass over the validation set, or null.</summary>
    public Func<IEnumerable<(Tensor Input, Tensor Target)>>? Validation { get; init; }
    /// <summary>The held-out test set; null for your own data (the final evaluation then uses the validation set).</summary>
    public Func<IEnumerable<(Tensor Input, Tensor Target)>>? Test { get; init; }
    /// <summary>Test examples (0 without a test set).</summary>
    public int TestCount { get; init; }
    /// <summary>Cross-entropy on class indices, or MSE on the standardised target (regression).</summary>
    public required Func<Tensor, Tensor, Tensor> Loss { get; init; }

    /// <summary>One rank's share of the training set in a data-parallel run: rank <see cref="Rank"/> of <see cref="Ranks"/>.</summary>
    internal sealed record DataShard(int Ranks, int Rank);

    /// <summary>The built-in datasets <c>--data</c> accepts by name.</summary>
    public static readonly string[] BuiltIn = ["mnist", "fashion-mnist", "cifar10", "dogs-vs-cats"];

    private static readonly string[] FashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads <c>o.Data</c>: an image folder (class = sub-folder), a .csv table, or a built-in dataset; writes
    /// the data summary (classes with counts, shapes, feature columns) to <paramref name="log"/>.</summary>
    public static TrainData Load(TrainOptions o, TextWriter log) => Load(o, log, null);

    /// <summary><see cref="Load(TrainOptions, TextWriter)"/> for one rank of a data-parallel run: every epoch visits
    /// only that rank's share of the training set (<see cref="DistributedSampler"/>); validation and test stay whole.</summary>
    internal static TrainData Load(TrainOptions o, TextWriter log, DataShard? shard)
    {
        try { return LoadNamed(o, log, shard); }
        catch (DatasetNotFoundException e) when (o.DataImplicit && !o.NoDownload)
        {
            throw new DatasetNotFoundException($"{e.Message}. No --data was given, so the default ({o.Data}) is not downloaded: " +
                                               $"'--data {o.Data}' downloads it");
        }
    }

    private static TrainData LoadNamed(TrainOptions o, TextWriter log, DataShard? shard)
    {
        if (Directory.Exists(o.Data)) return FromFolder(o, o.Data, log, shard);
        if (o.Data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || File.Exists(o.Data))
        {
            if (!File.Exists(o.Data)) throw new FileNotFoundException($"--data: the table {o.Data} does not exist");
            return FromTable(o, log, shard);
        }
        return o.Data switch
        {
            "mnist" or "fashion-mnist" => FromMnist(o, log, shard),
            "cifar10" => FromCifar10(o, log, shard),
            "dogs-vs-cats" => FromFolder(o, DataRoot.Locate(DatasetSpec.DogsVsCats, o.DataRoot), log, shard),
            _ => throw new ArgumentException($"--data '{o.Data}' is neither a folder, a .csv file, nor a built-in dataset ({string.Join(", ", BuiltIn)})"),
        };
    }

    private static TrainData FromMnist(TrainOptions o, TextWriter log, DataShard? shard)
    {
        var spec = DatasetSpec.Find(o.Data);
        int v = o.ValidationFraction is double f ? (int)Math.Round(60_000 * f) : o.ValidationCount ?? 10_000;
        var splits = Mnist.Load(spec, new MnistOptions
        {
            Root = o.DataRoot, ValidationCount = v, Normalize = true, Download = o.MayDownload, DownloadOptions = DownloadProgress(log),
        });
        var pre = MnistPreprocess(spec);
        return FromImageSets(o, log, shard, $"{spec.Title} from {splits.Directory}", pre, splits.Train, splits.Validation, splits.Test);
    }

    /// <summary>The preprocessing of the MNIST-family runs: 28×28 grey, the published mean/std, class names.
    /// Also rebuilds it for runs trained before preprocess.json was written.</summary>
    public static Preprocess MnistPreprocess(DatasetSpec spec)
    {
        var (mean, std) = Mnist.Statistics(spec);
        string[] classes = spec == DatasetSpec.FashionMnist ? FashionClasses : Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return Preprocess.ForImages(1, Mnist.ImageRows, Mnist.ImageCols, [mean], [std], classes);
    }

    private static TrainData FromCifar10(TrainOptions o, TextWriter log, DataShard? shard)
    {
        int v = o.ValidationFraction is double f ? (int)Math.Round(Cifar10.TrainCount * f) : o.ValidationCount ?? 5_000;
        var c = Cifar10.Load(new Cifar10Options { Root = o.DataRoot, ValidationCount = v, Normalize = true, Download = o.MayDownload, DownloadOptions = DownloadProgress(log) });
        var pre = Preprocess.ForImages(3, Cifar10.ImageRows, Cifar10.ImageCols, c.Mean, c.Std, c.ClassNames);
        return FromImageSets(o, log, shard, $"{c.DisplayName} from {c.Path}", pre, c.Train, c.Validation, c.Test);
    }

    /// <summary>A folder of class sub-folders, or one holding train/ and val/ (or validation/) [and test/] folders.</summary>
    private static TrainData FromFolder(TrainOptions o, string dir, TextWriter log, DataShard? shard)
    {
        string? Sub(params string[] names) => names.Select(n => Path.Combine(dir, n)).FirstOrDefault(Directory.Exists);
        string? trainDir = Sub("train"), valDir = trainDir is null ? null : Sub("val", "validation", "valid"), testDir = trainDir is null ? null : Sub("test");
        int size = o.ImageSize ?? 64;
        var folder = new ImageFolderOptions { Size = (size, size), Channels = o.Grayscale ? 1 : 3, Interleave = true };
        var train = ImageFolder.Read(trainDir ?? dir, folder);
        var images = train.Images;
        int n = images.Count, v;
        ImageFolderData? val = null, test = null;
        if (valDir is not null)
        {
            val = ImageFolder.Read(valDir, folder with { Classes = train.Classes });
            v = 0;
        }
        else
        {
            v = o.ValidationFraction is double f ? (int)Math.Round(n * f) : o.ValidationCount ?? (int)Math.Round(n * 0.1);
            if (v >= n) throw new ArgumentException($"--validation {v} leaves no training images ({n} in {dir})");
        }
        if (testDir is not null) test = ImageFolder.Read(testDir, folder with { Classes = train.Classes });
        var (mean, std) = ImageStatistics.ChannelMeanStd(images, 0, n - v);
        var pre = Preprocess.ForImages(images.Channels, size, size, mean, std, train.Classes);
        var all = pre.Dataset(images);
        var trainSet = all.Slice(0, n - v);
        var valSet = val is not null ? pre.Dataset(val.Images) : v > 0 ? all.Slice(n - v, v) : null;
        string how = val is not null ? $"validation from {valDir}" : v > 0 ? $"validation = the last {v} images, class-balanced (--validation)" : "no validation";
        return FromImageSets(o, log, shard, $"image folder {train.Source} ({size}×{size}, {how})", pre, trainSet, valSet, test is null ? null : pre.Dataset(test.Images));
    }

    private static TrainData FromImageSets(TrainOptions o, TextWriter log, DataShard? shard, string description, Preprocess pre, ImageDataset trainAll, ImageDataset? val, ImageDataset? test)
    {
        IDataset train = o.Limit is int lim && lim < trainAll.Count ? Subset.Range(trainAll, 0, lim) : trainAll;
        var transform = Augmentation(o.Augment, pre);
        var (epoch, batches) = TrainBatches(o, train, transform, shard);
        log.WriteLine($"data       {description}");
        log.WriteLine($"           images {string.Join("×", pre.FeatureShape)} (C×H×W), normalised per channel with mean [{Floats(pre.Mean)}] std [{Floats(pre.Std)}]{(transform is null ? "" : $", augmented: {o.Augment}")}");
        log.WriteLine($"           train {train.Count}, validation {val?.Count ?? 0}, test {test?.Count ?? 0}");
        var counts = new int[pre.ClassNames.Length, 3];
        for (int i = 0; i < train.Count; i++) counts[Label(trainAll, train, i), 0]++;
        if (val is not null) for (int i = 0; i < val.Count; i++) counts[val.Label(i), 1]++;
        if (test is not null) for (int i = 0; i < test.Count; i++) counts[test.Label(i), 2]++;
        ClassTable(log, pre.ClassNames, counts);
        Func<IEnumerable<(Tensor, Tensor)>>? Eval(ImageDataset? d) => d is null ? null : () => new DataLoader(d, 500).Batches();
        return new TrainData
        {
            Description = description, Preprocess = pre, TrainEpoch = epoch, BatchesPerEpoch = batches, TrainCount = train.Count,
            Validation = Eval(val), ValidationCount = val?.Count ?? 0, Test = Eval(test), TestCount = test?.Count ?? 0,
            Loss = (y, t) => y.CrossEntropy(t),
        };
    }

    /// <summary>The training batches of each epoch: the whole set shuffled from (seed, epoch), or with a
    /// <paramref name="shard"/> that rank's share of the same permutation (padded so every rank runs as many steps).
    /// Augmentation draws from (seed, epoch, position), so each rank's seed is offset to keep their draws apart.</summary>
    private static (Func<int, IEnumerable<(Tensor, Tensor)>> Epoch, int Batches) TrainBatches(TrainOptions o, IDataset train, SampleTransform? transform, DataShard? shard, bool reuseBuffers = true)
    {
        int batch = o.BatchSize!.Value;
        if (shard is null)
        {
            var loader = new DataLoader(train, batch, shuffle: true, seed: o.Seed, reuseBuffers: reuseBuffers, transform: transform);
            return (loader.ForEpoch, loader.BatchCount);
        }
        var sampler = new DistributedSampler(train, shard.Ranks, shard.Rank, shuffle: true, seed: o.Seed);
        ulong seed = o.Seed + (ulong)shard.Rank * 0x9E3779B97F4A7C15UL;
        return (e => new DataLoader(sampler.Shard(e), batch, seed: seed, reuseBuffers: reuseBuffers, transform: transform).ForEpoch(e),
            (sampler.NumSamples + batch - 1) / batch);
    }

    private static int Label(ImageDataset all, IDataset train, int i) => train is Subset s ? all.Label(s.Indices[i]) : all.Label(i);

    /// <summary>A CSV table: every column but --target is a feature; rows are split at random (seeded) into train and validation.</summary>
    private static TrainData FromTable(TrainOptions o, TextWriter log, DataShard? shard)
    {
        var table = CsvTable.Read(o.Data);
        if (o.Target is null) throw new ArgumentException($"--data {o.Data} is a table: name the column to predict with --target (one of: {string.Join(", ", table.Columns)})");
        int n = table.RowCount;
        int v = o.ValidationFraction is double f ? (int)Math.Round(n * f) : o.ValidationCount ?? (int)Math.Round(n * 0.1);
        if (v >= n) throw new ArgumentException($"--validation {v} leaves no training rows ({n} in {o.Data})");
        var order = Enumerable.Range(0, n).ToArray();
        new Random((int)(o.Seed % int.MaxValue)).Shuffle(order);
        var trainRows = order[..(n - v)].Order().ToArray();
        var valRows = order[(n - v)..].Order().ToArray();
        if (o.Limit is int lim && lim < trainRows.Length) trainRows = trainRows[..lim];
        var pre = Preprocess.FitTable(table, o.Target, o.Task, trainRows, o.Missing);
        var xTrain = pre.EncodeTable(table, trainRows, out _);
        var yTrain = pre.EncodeTarget(table, trainRows);
        bool regression = pre.Task == "regression";

        log.WriteLine($"data       table {o.Data}: {n} rows, target '{o.Target}' → {pre.Task}{(o.Task == "auto" ? " (from the target's values; --task to force)" : "")}");
        log.WriteLine($"           train {trainRows.Length}, validation {valRows.Length} (rows drawn at random with --seed), features {pre.FeatureShape[0]}");
        foreach (var c in pre.Columns.Take(20))
            log.WriteLine(c.Kind == "numeric"
                ? $"           {c.Name,-20} numeric, standardised (train mean {c.Mean:G5}, std {c.Std:G5})"
                : $"           {c.Name,-20} categorical, one-hot over {c.Levels!.Length} levels: {string.Join(", ", c.Levels.Take(8).Select(l => l.Length == 0 ? "(missing)" : l))}{(c.Levels.Length > 8 ? ", …" : "")}");
        if (pre.Columns.Length > 20)
            log.WriteLine($"           … {pre.Columns.Length - 20} more columns ({pre.Columns.Skip(20).Count(c => c.Kind == "numeric")} numeric, {pre.Columns.Skip(20).Count(c => c.Kind != "numeric")} categorical; all listed in preprocess.json)");
        if (regression)
            log.WriteLine($"           target {o.Target}: mean {pre.Target!.Mean:G5}, std {pre.Target.Std:G5} (trained on the standardised value; loss = MSE in std units)");
        else
        {
            var counts = new int[pre.ClassNames.Length, 3];
            foreach (int y in yTrain.ToArray<int>()) counts[y, 0]++;
            if (valRows.Length > 0) foreach (int y in pre.EncodeTarget(table, valRows).ToArray<int>()) counts[y, 1]++;
            ClassTable(log, pre.ClassNames, counts);
        }

        // Regression targets are floats: the dataset's "label" is the row's position, mapped to its value per batch.
        TensorDataset Set(Tensor x, Tensor y) => regression ? new TensorDataset(x, Tensor.FromArray(Enumerable.Range(0, x.Size(0)).ToArray(), x.Size(0))) : new TensorDataset(x, y);
        IEnumerable<(Tensor, Tensor)> Map(IEnumerable<(Tensor, Tensor)> batches, Tensor y)
        {
            if (!regression) { foreach (var b in batches) yield return b; yield break; }
            var values = y.ToArray<float>();
            foreach (var (x, idx) in batches) yield return (x, Tensor.FromArray(idx.ToArray<int>().Select(i => values[i]).ToArray(), idx.Size(0), 1));
        }
        var (epoch, batches) = TrainBatches(o, Set(xTrain, yTrain), null, shard, reuseBuffers: false);
        Func<IEnumerable<(Tensor, Tensor)>>? val = null;
        if (valRows.Length > 0)
        {
            var xVal = pre.EncodeTable(table, valRows, out _);
            var yVal = pre.EncodeTarget(table, valRows);
            var valLoader = new DataLoader(Set(xVal, yVal), 1000);
            val = () => Map(valLoader.Batches(), yVal);
        }
        return new TrainData
        {
            Description = $"table {o.Data}", Preprocess = pre, TrainEpoch = e => Map(epoch(e), yTrain), BatchesPerEpoch = batches,
            TrainCount = trainRows.Length, Validation = val, ValidationCount = valRows.Length,
            Loss = regression ? (y, t) => y.MseLoss(t) : (y, t) => y.CrossEntropy(t),
        };
    }

    /// <summary>--augment flip,crop → the transforms (random horizontal flip; random crop with H/8 zero padding).</summary>
    private static SampleTransform? Augmentation(string? spec, Preprocess pre)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec == "none") return null;
        var list = new List<SampleTransform>();
        foreach (var name in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            list.Add(name switch
            {
                "flip" => Transforms.HorizontalFlip(),
                "crop" => Transforms.RandomCrop(pre.Height, padding: Math.Max(1, pre.Height / 8)),
                _ => throw new ArgumentException($"--augment: unknown augmentation '{name}'; choose from flip, crop"),
            });
        if (pre.Height != pre.Width && list.Count > 0 && spec.Contains("crop")) throw new ArgumentException("--augment crop needs square images");
        return Transforms.Compose(list.ToArray());
    }

    private static void ClassTable(TextWriter log, string[] classes, int[,] counts)
    {
        log.WriteLine($"           {"class",-20} {"train",7} {"val",7} {"test",7}");
        int shown = Math.Min(classes.Length, 30);
        for (int c = 0; c < shown; c++)
            log.WriteLine($"           {classes[c],-20} {counts[c, 0],7} {counts[c, 1],7} {counts[c, 2],7}");
        if (shown < classes.Length) log.WriteLine($"           … {classes.Length - shown} more classes");
    }

    private static string Floats(float[] v) => string.Join(", ", v.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)));

    /// <summary>Download settings that report on <paramref name="log"/>: a line per URL tried and a progress bar per
    /// file (redrawn in place on a terminal, every 10 % when the log is redirected). Used for a missing built-in
    /// dataset by <c>nabla train</c> and by <c>nabla data download</c>.</summary>
    /// <param name="log">where the lines go (Console.Out draws the bar in place when it is a terminal)</param>
    public static DownloadOptions DownloadProgress(TextWriter log)
    {
        int lastPct = -1;
        string lastFile = "";
        bool live = ReferenceEquals(log, Console.Out) && !Console.IsOutputRedirected;
        return new DownloadOptions
        {
            Log = log.WriteLine,
            Progress = (file, got, total) =>
            {
                int pct = (int)(100 * got / Math.Max(total, 1));
                if (file == lastFile && pct == lastPct) return;
                if (!live && file == lastFile && pct / 10 == lastPct / 10 && pct != 100) return;
                lastFile = file;
                lastPct = pct;
                int done = pct * 30 / 100;
                string line = $"  {file} [{new string('█', done)}{new string('░', 30 - done)}] {pct,3}%  {got / 1e6:F1}/{total / 1e6:F1} MB";
                if (live) { Console.Write("\r" + line); if (got >= total) Console.WriteLine(); }
                else log.WriteLine(line);
            },
        };
    }
}
