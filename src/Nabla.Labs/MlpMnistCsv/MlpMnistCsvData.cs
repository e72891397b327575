using System.Diagnostics;
using Nabla.Data;

namespace Nabla.Labs;

/// <summary>
/// The CSV side of the mlp-mnist-csv lab: writes mnist_train.csv / mnist_test.csv from the IDX files with the
/// library's converter (the code path of <c>nabla data convert --from idx --to csv</c>: <see cref="Mnist.ReadSplit"/>
/// then <see cref="MnistCsv.Write"/>) unless they already exist, and reads them back with <see cref="MnistCsv.Read"/>.
/// </summary>
internal static class MlpMnistCsvData
{
    public const string TrainFile = "mnist_train.csv", TestFile = "mnist_test.csv";

    /// <summary>With <paramref name="sharedCache"/> the files live in ~/.nabla/cache/mnist-csv (the full 60k + 10k-line
    /// files, about 130 MB, are converted once and reused by later runs; truncated files get a folder of their own);
    /// otherwise they are written into the report folder.</summary>
    public static string CsvFolder(string reportDir, bool sharedCache, int? trainLines, int? testLines) => !sharedCache
        ? Path.Combine(reportDir, "csv")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nabla", "cache",
            trainLines is null && testLines is null ? "mnist-csv" : $"mnist-csv-{trainLines?.ToString() ?? "all"}-{testLines?.ToString() ?? "all"}");

    /// <summary>Makes sure both CSV files exist in <paramref name="folder"/> (the first <paramref name="trainLines"/> /
    /// <paramref name="testLines"/> images of each IDX split; null = all) and returns their paths.</summary>
    public static (string Train, string Test) Prepare(LabKit kit, string folder, int? trainLines, int? testLines)
    {
        Directory.CreateDirectory(folder);
        string? idxDir = null;
        var paths = new List<string>();
        foreach (var (file, train, lines) in new[] { (TrainFile, true, trainLines), (TestFile, false, testLines) })
        {
            string path = Path.Combine(folder, file);
            paths.Add(path);
            if (File.Exists(path))
            {
                kit.Out.WriteLine($"  {path} exists ({new FileInfo(path).Length / 1e6:F1} MB), reusing it");
                continue;
            }
            var clock = Stopwatch.StartNew();
            idxDir ??= DataRoot.Locate(DatasetSpec.Mnist, kit.DataRoot);    // DatasetNotFoundException when absent
            var set = Head(Mnist.ReadSplit(idxDir, DatasetSpec.Mnist, train), lines);
            MnistCsv.Write(path, set);
            kit.Out.WriteLine($"  wrote {path}: {set.Count} lines, {new FileInfo(path).Length / 1e6:F1} MB ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        return (paths[0], paths[1]);
    }

    /// <summary>The first <paramref name="count"/> images (all when null).</summary>
    public static LabeledImages Head(LabeledImages set, int? count)
    {
        if (count is not int n || n >= set.Count) return set;
        return new LabeledImages(set.Pixels.AsSpan(0, n * set.ImageSize).ToArray(), set.Labels.AsSpan(0, n).ToArray(), set.Rows, set.Cols, set.Channels);
    }
}
