using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Nabla.Cli.Composition;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla data info|convert|download</c>: where a dataset was found and whether its files are the published ones;
/// IDX ⇄ CSV conversion (mnist_train.csv / mnist_test.csv); fetching from the official mirrors.
/// </summary>
public static class DataCommand
{
    /// <summary>Builds the <c>nabla data</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var cmd = new Command("data", "inspect, convert and download datasets (MNIST, Fashion-MNIST)");
        cmd.Subcommands.Add(Info());
        cmd.Subcommands.Add(Convert());
        cmd.Subcommands.Add(Download());
        return cmd;
    }

    private static Option<string> DataOption() => new Option<string>("--data")
    {
        Description = "dataset: " + string.Join(", ", DatasetSpec.All.Select(s => s.Name)),
        DefaultValueFactory = _ => "mnist",
    }.AcceptOnlyFromAmong(DatasetSpec.All.Select(s => s.Name).ToArray());

    private static Option<string?> RootOption() => new("--data-root")
    {
        Description = $"data root (default: ${DataRoot.EnvironmentVariable}, then ~/.nabla/data); a dataset lives in <root>/<name>/",
    };

    private static Command Info()
    {
        var data = DataOption();
        var root = RootOption();
        var json = new Option<bool>("--json") { Description = "also print one JSON line with the same facts" };
        var cmd = new Command("info", "where the dataset was found, its files' md5 against the published ones, counts") { data, root, json };
        cmd.SetAction(p => Run(() =>
        {
            var spec = DatasetSpec.Find(p.GetValue(data)!);
            var (rootPath, source) = DataRoot.Resolve(p.GetValue(root));
            string dir = DataRoot.Locate(spec, p.GetValue(root));
            Console.WriteLine($"dataset    {spec.Title} ({spec.Name})");
            Console.WriteLine($"data root  {rootPath} (from {source})");
            Console.WriteLine($"found in   {dir}");
            Console.WriteLine();
            Console.WriteLine($"{"file",-30} {"bytes",12}  {"md5",-32}  published md5");
            var files = new List<Dictionary<string, object?>>();
            foreach (var f in spec.Files)
            {
                string? path = DataRoot.FindFile(dir, f.FileName);
                if (path is null)
                {
                    // CIFAR-10 is also accepted as extracted .bin files or the JPEG copy: the tarball may be absent.
                    Console.WriteLine($"{f.FileName,-30} {"-",12}  {"absent",-32}  {(spec.Expected is null ? "" : "another accepted layout is used")}");
                    files.Add(new() { ["file"] = f.FileName, ["present"] = false });
                    continue;
                }
                string md5 = DatasetDownloader.Md5Of(path);
                string name = Path.GetFileName(path);
                string verdict = name != f.FileName ? "n/a (uncompressed or renamed)"
                    : md5 == f.Md5 ? "match"
                    : $"differs ({f.Md5}); re-compressed copy? contents are validated on load";
                long bytes = new FileInfo(path).Length;
                Console.WriteLine($"{name,-30} {bytes,12}  {md5}  {verdict}");
                files.Add(new() { ["file"] = name, ["bytes"] = bytes, ["md5"] = md5, ["published_md5_match"] = md5 == f.Md5 });
            }
            Console.WriteLine();
            var splits = new Dictionary<string, object?>();
            foreach (var (split, set, ms) in ReadSplits(spec, dir, p.GetValue(root)))
            {
                var perClass = new int[set.Labels.Length == 0 ? 0 : set.Labels.Max() + 1];
                foreach (byte l in set.Labels) perClass[l]++;
                double mean = 0;
                foreach (byte b in set.Pixels) mean += b;
                mean /= 255.0 * Math.Max(1, set.Pixels.Length);
                string size = set.Channels == 1 ? $"{set.Rows}x{set.Cols}" : $"{set.Channels}x{set.Rows}x{set.Cols}";
                Console.WriteLine($"{split,-6} {set.Count,6} images {size}, pixel mean {mean:F4}, per class [{string.Join(", ", perClass)}], read in {ms:F0} ms");
                splits[split] = new Dictionary<string, object?> { ["count"] = set.Count, ["channels"] = set.Channels, ["rows"] = set.Rows, ["cols"] = set.Cols, ["pixel_mean"] = Math.Round(mean, 6), ["per_class"] = perClass };
            }
            if (p.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["dataset"] = spec.Name, ["root"] = rootPath, ["root_source"] = source, ["directory"] = dir, ["files"] = files, ["splits"] = splits,
                }));
        }));
        return cmd;
    }

    /// <summary>The train and test images of the image datasets (MNIST layout or CIFAR-10 in any accepted layout),
    /// with the milliseconds each took to read; nothing for the others.</summary>
    private static IEnumerable<(string Split, LabeledImages Set, double Ms)> ReadSplits(DatasetSpec spec, string dir, string? root)
    {
        if (spec == DatasetSpec.Cifar10)
        {
            var sw = Stopwatch.StartNew();
            var c = Cifar10.Load(new Cifar10Options { Root = root });
            double ms = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"format {c.DisplayName} from {c.Path}");
            yield return ("train", c.Train.Images, ms);
            yield return ("test", c.Test.Images, 0);
            yield break;
        }
        if (spec != DatasetSpec.Mnist && spec != DatasetSpec.FashionMnist)
        {
            Console.WriteLine($"(no split summary for {spec.Title})");
            yield break;
        }
        foreach (bool train in new[] { true, false })
        {
            var sw = Stopwatch.StartNew();
            var set = Mnist.ReadSplit(dir, spec, train);
            yield return (train ? "train" : "test", set, sw.Elapsed.TotalMilliseconds);
        }
    }

    private static Command Convert()
    {
        var from = new Option<string>("--from") { Description = "input format", Required = true }.AcceptOnlyFromAmong("idx", "csv");
        var to = new Option<string>("--to") { Description = "output format", Required = true }.AcceptOnlyFromAmong("idx", "csv");
        var data = DataOption();
        var root = RootOption();
        var input = new Option<string?>("--in") { Description = "folder holding <name>_train.csv and <name>_test.csv (--from csv)" };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var header = new Option<bool>("--header") { Description = "CSV: write a header line label,1x1,...,28x28" };
        var raw = new Option<bool>("--raw") { Description = "IDX: write uncompressed files instead of .gz" };
        var cmd = new Command("convert", "convert between the IDX files and the CSV form (one image per line: label, 784 pixels)")
        {
            from, to, data, root, input, output, header, raw,
        };
        cmd.SetAction(p => Run(() =>
        {
            var spec = DatasetSpec.Find(p.GetValue(data)!);
            string f = p.GetValue(from)!, t = p.GetValue(to)!, outDir = p.GetValue(output)!;
            if (f == t) throw new ArgumentException($"--from and --to are both '{f}'");
            Directory.CreateDirectory(outDir);
            foreach (bool train in new[] { true, false })
            {
                string split = train ? "train" : "test";
                string csv = $"{spec.Name}_{split}.csv";
                var sw = Stopwatch.StartNew();
                if (f == "idx")
                {
                    string dir = DataRoot.Locate(spec, p.GetValue(root));
                    var set = Mnist.ReadSplit(dir, spec, train);
                    string dst = Path.Combine(outDir, csv);
                    MnistCsv.Write(dst, set, p.GetValue(header));
                    Console.WriteLine($"{dst}: {set.Count} images ({sw.Elapsed.TotalSeconds:F1} s)");
                }
                else
                {
                    string inDir = p.GetValue(input) ?? throw new ArgumentException("--from csv needs --in DIR (the folder holding the CSV files)");
                    var set = MnistCsv.Read(Path.Combine(inDir, csv), Mnist.ImageRows, Mnist.ImageCols, Mnist.NumClasses);
                    string prefix = train ? "train" : "t10k", ext = p.GetValue(raw) ? "" : ".gz";
                    string images = Path.Combine(outDir, $"{prefix}-images-idx3-ubyte{ext}"), labels = Path.Combine(outDir, $"{prefix}-labels-idx1-ubyte{ext}");
                    IdxFile.Write(set, images, labels);
                    Console.WriteLine($"{images}, {Path.GetFileName(labels)}: {set.Count} images ({sw.Elapsed.TotalSeconds:F1} s)");
                }
            }
        }));
        return cmd;
    }

    private static Command Download()
    {
        var data = DataOption();
        var root = RootOption();
        var cmd = new Command("download", "fetch the published files (md5-checked) into <root>/<name>/") { data, root };
        cmd.SetAction(p => Run(() =>
        {
            var spec = DatasetSpec.Find(p.GetValue(data)!);
            string dir = DatasetDownloader.Download(spec, p.GetValue(root), TrainData.DownloadProgress(Console.Out));
            Console.WriteLine($"{spec.Title} is in {dir}");
        }));
        return cmd;
    }

    /// <summary>Runs an action, turning Nabla's typed errors into a one-line message and exit code 1.</summary>
    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is NablaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nabla data: {e.Message}");
            return 1;
        }
    }
}
