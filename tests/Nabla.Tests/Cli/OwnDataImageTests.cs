using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.IO;
using Nabla.Models;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train` on a user's own image folder and `nabla predict` on it, end to end on a tiny generated folder:
/// two classes of 16×16 RGB PNGs ("bright" pixels 150..230, "dark" 20..100), written byte by byte by the test.
/// </summary>
public class OwnDataImageTests : IDisposable
{
    private const int PerClass = 20, Size = 16;
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-owndata-img-").FullName;
    private readonly string _folder;
    private readonly Dictionary<string, byte[]> _pixels = [];   // path → [3, 16, 16] bytes

    public OwnDataImageTests()
    {
        _folder = Path.Combine(_dir, "pets");
        var rng = new Random(5);
        foreach (var (cls, lo) in new[] { ("bright", 150), ("dark", 20) })
        {
            Directory.CreateDirectory(Path.Combine(_folder, cls));
            for (int i = 0; i < PerClass; i++)
            {
                var chw = new byte[3 * Size * Size];
                for (int k = 0; k < chw.Length; k++) chw[k] = (byte)(lo + rng.Next(81));
                string path = Path.Combine(_folder, cls, $"img{i:D2}.png");
                File.WriteAllBytes(path, VisionTestFiles.Png(chw, 3, Size, Size));
                _pixels[path] = chw;
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private TrainOptions Options(string model, string sub) => new()
    {
        Model = model, Data = _folder, Epochs = 8, BatchSize = 8, ImageSize = Size, ValidationFraction = 0.25, Out = Path.Combine(_dir, sub), Seed = 3,
    };

    /// <summary>Images 15..19 of each class are the validation tail (round-robin order, last 10 of 40); the rest train.</summary>
    private static bool IsValidation(string path) => int.Parse(Path.GetFileNameWithoutExtension(path)[3..]) >= PerClass - 5;

    [Fact]
    public void Train_on_a_folder_stores_the_training_statistics_and_predict_reproduces_the_model()
    {
        var log = new StringWriter();
        var r = TrainRun.Run(Options("cnn", "cnn"), log);
        string summary = log.ToString();
        Assert.Contains("train 30, validation 10", summary);
        Assert.Matches(@"bright\s+15\s+5", summary);
        Assert.Matches(@"dark\s+15\s+5", summary);

        // preprocess.json holds the per-channel mean/std of the 30 training images, computed here by hand
        var pre = Preprocess.Load(r.OutDir);
        Assert.Equal(["bright", "dark"], pre.ClassNames);
        Assert.Equal([3, Size, Size], pre.FeatureShape);
        var train = _pixels.Where(kv => !IsValidation(kv.Key)).Select(kv => kv.Value).ToList();
        int plane = Size * Size;
        var mean = new double[3];
        var std = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var v = train.SelectMany(p => p.Skip(c * plane).Take(plane)).Select(b => b / 255.0).ToArray();
            mean[c] = v.Average();
            std[c] = Math.Sqrt(v.Select(x => (x - mean[c]) * (x - mean[c])).Average());
            Assert.Equal(mean[c], pre.Mean[c], 5);
            Assert.Equal(std[c], pre.Std[c], 5);
        }

        // predict = the saved model (rebuilt independently) on (p/255 − mean)/std of the original pixels
        var set = Predictor.Run(r.OutDir, [_folder]);
        Assert.Equal(2 * PerClass, set.Rows.Count);
        var model = Cnn.Create(new CnnOptions(InChannels: 3, Height: Size, Width: Size, Classes: 2));
        model.LoadStateDict(Npz.Load(Path.Combine(r.OutDir, "model.npz")));
        model.Eval();
        var files = set.Rows.Select(row => row.Input).ToList();
        var x = new float[files.Count * 3 * plane];
        for (int i = 0; i < files.Count; i++)
            for (int k = 0; k < 3 * plane; k++)
                x[i * 3 * plane + k] = (float)((_pixels[files[i]][k] / 255.0 - mean[k / plane]) / std[k / plane]);
        using (GradMode.NoGrad())
        {
            var p = model.Invoke(Tensor.FromArray(x, files.Count, 3, Size, Size)).Softmax(1).ToArray<float>();
            for (int i = 0; i < files.Count; i++)
            {
                Assert.Equal(p[2 * i], set.Rows[i].Probabilities[0], 4);
                Assert.Equal(p[2 * i + 1], set.Rows[i].Probabilities[1], 4);
                Assert.Equal(p[2 * i] >= p[2 * i + 1] ? "bright" : "dark", set.Rows[i].Label);
                Assert.Equal(Path.GetFileName(Path.GetDirectoryName(files[i])), set.Rows[i].Truth);
            }
        }

        // the run's own validation accuracy = predict's accuracy on the validation files
        var val = set.Rows.Where(row => IsValidation(row.Input)).ToList();
        Assert.Equal(10, val.Count);
        Assert.Equal(r.Test.Accuracy, val.Count(row => row.Label == row.Truth) / 10.0, 6);
        // metrics.json says its final figures are the validation set's: your own folder has no test split
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal("validation", (string)metrics["test_split"]!);
        Assert.Equal(10, (int)metrics["test_samples"]!);
        Assert.Equal(r.Test.Accuracy, (double)metrics["test_accuracy"]!, 6);
        Assert.InRange(set.Accuracy!.Value, 0.9, 1.0);   // bright vs dark is learnable in 8 short epochs
    }

    /// <summary>Stopped before its first epoch finished (Ctrl-C at once): metrics.json says so, and the closing
    /// "wrote" line names only the files that exist — no model.npz, checkpoint or curves.</summary>
    [Fact]
    public void A_run_stopped_before_its_first_epoch_lists_only_the_files_it_wrote()
    {
        var log = new StringWriter();
        var r = TrainRun.Run(Options("cnn", "stopped"), log, new CancellationToken(canceled: true));
        Assert.Equal(130, r.ExitCode);
        string wrote = log.ToString().Split('\n').Single(l => l.StartsWith("wrote ", StringComparison.Ordinal));
        foreach (var f in new[] { "metrics.json", "config.json", "preprocess.json" })
        {
            Assert.True(File.Exists(Path.Combine(r.OutDir, f)), f);
            Assert.Contains(f, wrote);
        }
        foreach (var f in new[] { "model.npz", "checkpoint.npz", "curves.png", "metrics.jsonl" })
        {
            Assert.False(File.Exists(Path.Combine(r.OutDir, f)), f);
            Assert.DoesNotContain(f, wrote);
        }
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal("interrupted", (string)metrics["stop_reason"]!);
        Assert.Empty(metrics["history"]!.AsArray());
    }

    [Fact]
    public void Predict_command_writes_csv_and_json_files()
    {
        var r = TrainRun.Run(Options("cnn", "cmd") with { Epochs = 1 }, TextWriter.Null);
        string csv = Path.Combine(_dir, "out", "p.csv"), json = Path.Combine(_dir, "out", "p.json");
        var root = new RootCommand { PredictCommand.Create() };
        string one = Path.Combine(_folder, "dark", "img03.png");
        Assert.Equal(0, root.Parse(["predict", r.OutDir, one, Path.Combine(_folder, "bright"), "--out", csv, "--show", "0"]).Invoke());
        Assert.Equal(0, root.Parse(["predict", r.OutDir, one, "--out", json, "--show", "0"]).Invoke());
        var lines = File.ReadAllLines(csv);
        Assert.Equal("input,label,probability,p_bright,p_dark,truth", lines[0]);
        Assert.Equal(1 + 1 + PerClass, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(one, first[0]);
        Assert.Equal(1.0, double.Parse(first[3], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(first[4], System.Globalization.CultureInfo.InvariantCulture), 4);
        var j = JsonNode.Parse(File.ReadAllText(json))!.AsArray();
        Assert.Single(j);
        Assert.Equal(first[1], (string)j[0]!["label"]!);
        Assert.Equal("dark", (string)j[0]!["truth"]!);
        Assert.Equal(1, root.Parse(["predict", r.OutDir, one, "--out", Path.Combine(_dir, "p.txt")]).Invoke());   // bad extension
        Assert.Equal(1, root.Parse(["predict", _dir, one]).Invoke());                                             // not a run folder
    }

    [Fact]
    public void Resnet_trains_on_the_folder_and_takes_any_image_size()
    {
        var r = TrainRun.Run(Options("resnet", "resnet") with { Epochs = 1, Widths = [4, 8] }, TextWriter.Null);
        Assert.Equal(10, r.Test.Samples);
        var net = SmallResNet.Create(new SmallResNetOptions(InChannels: 3, Height: 20, Width: 12, Classes: 5, Widths: [4, 8, 8]));
        net.Eval();
        using var _ = GradMode.NoGrad();
        Assert.Equal([2, 5], net.Invoke(Tensor.Zeros(2, 3, 20, 12)).Shape.ToArray());
    }

    [Fact]
    public void A_train_and_val_layout_uses_its_val_folder_and_augmentation_is_accepted()
    {
        string root = Path.Combine(_dir, "split");
        foreach (var (src, dst) in new[] { ("bright", "train/bright"), ("dark", "train/dark") })
            CopyDir(Path.Combine(_folder, src), Path.Combine(root, dst), i => i < 15);
        foreach (var (src, dst) in new[] { ("bright", "val/bright"), ("dark", "val/dark") })
            CopyDir(Path.Combine(_folder, src), Path.Combine(root, dst), i => i >= 15);
        var log = new StringWriter();
        var r = TrainRun.Run(Options("cnn", "split") with { Data = root, ValidationFraction = null, Epochs = 1, Augment = "flip,crop" }, log);
        Assert.Contains("train 30, validation 10", log.ToString());
        Assert.Contains("augmented: flip,crop", log.ToString());
        Assert.Equal(10, r.Test.Samples);
        Assert.Contains("unknown augmentation 'blur'", Assert.Throws<ArgumentException>(() =>
            TrainRun.Run(Options("cnn", "bad") with { Augment = "flip,blur" }, TextWriter.Null)).Message);
    }

    [Fact]
    public void Missing_builtin_data_without_download_says_where_to_put_the_files()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty-root")).FullName;
        var e = Assert.Throws<Nabla.Data.DatasetNotFoundException>(() =>
            TrainData.Load(new TrainOptions { Data = "cifar10", DataRoot = empty, NoDownload = true, BatchSize = 8 }, TextWriter.Null));
        Assert.Contains($"Put the files in {Path.Combine(empty, "cifar10")}", e.Message);
        Assert.Contains("nor a built-in dataset", Assert.Throws<ArgumentException>(() =>
            TrainData.Load(new TrainOptions { Data = "imagenet", BatchSize = 8 }, TextWriter.Null)).Message);
    }

    private static void CopyDir(string from, string to, Func<int, bool> take)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
            if (take(int.Parse(Path.GetFileNameWithoutExtension(f)[3..]))) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
