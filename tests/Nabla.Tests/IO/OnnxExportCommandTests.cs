using System.CommandLine;
using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.IO;
using Nabla.Data;
using Nabla.NN;
using Nabla.Tests.Data;

namespace Nabla.Tests.IO;

/// <summary><c>nabla export RUN_DIR --format onnx|safetensors</c> on a run folder laid out as <c>nabla train</c>
/// writes it (config.json + model.npz), without needing the data set.</summary>
public class OnnxExportCommandTests
{
    /// <summary>A run folder with a CLI model of random weights (BatchNorm buffers moved by a training pass).</summary>
    private static (Module Model, TrainOptions Options) MakeRun(string dir, string model, bool batchNorm = true, string data = "mnist")
    {
        var o = new TrainOptions { Model = model, Data = data, Hidden = [32], BatchNorm = batchNorm, Dropout = 0.1, Out = dir };
        var m = ModelFactory.Create(o.Resolved(), [1, 28, 28], 10, new Generator(4));
        using (GradMode.NoGrad()) m.Invoke(Tensor.Randn([8, 1, 28, 28], generator: new Generator(5)));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(o, Json.Options));
        Npz.Save(Path.Combine(dir, "model.npz"), m.StateDict());
        return (m, o);
    }

    private static int Invoke(params string[] args) => new RootCommand { ExportCommand.Create() }.Parse(args).Invoke();

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public void Export_onnx_writes_a_model_that_matches_the_run(string kind)
    {
        using var dir = new TempDir();
        var (model, _) = MakeRun(dir.Path, kind);
        Assert.Equal(0, Invoke("export", dir.Path, "--format", "onnx"));
        var bytes = File.ReadAllBytes(dir.File("model.onnx"));
        var x = Tensor.Randn([3, 1, 28, 28], generator: new Generator(6));
        var (y, shape) = OnnxTestRunner.Run(bytes, x);
        Assert.Equal([3L, 10L], shape);
        TestUtil.AssertClose(OnnxTestRunner.Reference(model, x).ToDoubleArray(), Tensor.FromArray(y, y.Length));
    }

    /// <summary>The bar of issue 14 as worded: a run trained by <c>nabla train</c> on MNIST, exported by
    /// <c>nabla export --format onnx</c>, predicts in ONNX Runtime the class that <c>nabla predict</c> writes to its
    /// CSV for every one of the 10 000 test images. The images go to <c>nabla predict</c> as PNG files (written byte by
    /// byte here, in class folders), so its whole path is exercised: file decoding, preprocess.json's mean/std, the
    /// model rebuilt from config.json and model.npz. ONNX Runtime gets the IDX pixels normalised here by hand with
    /// MNIST's published mean 0.1307 and std 0.3081.</summary>
    [RequiresDataFact("mnist")]
    public void Exported_run_predicts_what_nabla_predict_writes_on_the_whole_mnist_test_set()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        var trained = TrainRun.Run(new TrainOptions { Model = "mlp", Epochs = 1, Limit = 3000, ValidationCount = 1000, Hidden = [64], Out = run, Seed = 1 }, TextWriter.Null);
        Assert.Equal(0, trained.ExitCode);
        Assert.Equal(0, Invoke("export", run, "--format", "onnx"));

        var test = Mnist.ReadSplit(RequiresDataFactAttribute.Folder("mnist"), DatasetSpec.Find("mnist"), train: false);
        const int n = 10_000, plane = 28 * 28;
        Assert.Equal(n, test.Labels.Length);
        string images = dir.File("images");
        var fileOf = new string[n];
        for (int i = 0; i < n; i++)
        {
            string folder = Path.Combine(images, test.Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            fileOf[i] = Path.Combine(folder, $"{i:D5}.png");
            File.WriteAllBytes(fileOf[i], VisionTestFiles.Png(test.Pixels.AsSpan(i * plane, plane).ToArray(), 1, 28, 28));
        }
        string csv = dir.File("predictions.csv");
        Assert.Equal(0, new RootCommand { PredictCommand.Create() }.Parse(["predict", run, images, "--out", csv, "--show", "0"]).Invoke());
        var predicted = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal(n, predicted.Count);

        byte[] onnx = File.ReadAllBytes(Path.Combine(run, "model.onnx"));
        int same = 0, correct = 0;
        for (int start = 0; start < n; start += 1000)
        {
            var x = new float[1000 * plane];
            for (int k = 0; k < x.Length; k++) x[k] = (float)((test.Pixels[start * plane + k] / 255.0 - 0.1307) / 0.3081);
            var (logits, shape) = OnnxTestRunner.Run(onnx, Tensor.FromArray(x, 1000, 1, 28, 28));
            Assert.Equal([1000L, 10L], shape);
            for (int i = 0; i < 1000; i++)
            {
                var row = logits.AsSpan(i * 10, 10);
                int cls = 0;
                for (int c = 1; c < 10; c++) if (row[c] > row[cls]) cls = c;
                string label = cls.ToString(System.Globalization.CultureInfo.InvariantCulture);
                same += predicted[fileOf[start + i]] == label ? 1 : 0;
                correct += cls == test.Labels[start + i] ? 1 : 0;
            }
        }
        Assert.Equal(n, same);
        Assert.InRange(correct, 8500, n);                  // 3 000 images, 1 epoch: a real model, well above chance
    }

    [Fact]
    public void Export_onnx_with_softmax_and_opset_20_outputs_probabilities()
    {
        using var dir = new TempDir();
        var (model, _) = MakeRun(dir.Path, "mlp");
        string path = dir.File("probs.onnx");
        Assert.Equal(0, Invoke("export", dir.Path, "--softmax", "--opset", "20", "--out", path));
        var x = Tensor.Randn([2, 1, 28, 28], generator: new Generator(7));
        var (p, _) = OnnxTestRunner.Run(File.ReadAllBytes(path), x);
        TestUtil.AssertClose(OnnxTestRunner.Reference(model, x).Softmax(-1).ToDoubleArray(), Tensor.FromArray(p, p.Length));
    }

    [Fact]
    public void Export_safetensors_writes_the_state_dict()
    {
        using var dir = new TempDir();
        var (model, _) = MakeRun(dir.Path, "cnn");
        Assert.Equal(0, Invoke("export", dir.Path, "--format", "safetensors"));
        var content = Safetensors.Read(dir.File("model.safetensors"));
        Assert.Equal("pt", content.Metadata["format"]);
        var state = model.StateDict();
        Assert.Equal(state.Keys.Order(), content.Tensors.Keys.Order());
        foreach (var (k, t) in state) Assert.Equal(t.ToDoubleArray(), content.Tensors[k].ToDoubleArray());
    }

    [Fact]
    public void Errors_name_the_problem()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => ExportCommand.Run(dir.Path, "onnx", null, 17, false, null, TextWriter.Null));
        Assert.Contains("config.json not found", e.Message);
        MakeRun(dir.Path, "mlp", data: "cifar10");
        Assert.Contains("--input-shape", Assert.Throws<ArgumentException>(() =>
            ExportCommand.Run(dir.Path, "onnx", null, 17, false, null, TextWriter.Null)).Message);
        Assert.Equal(1, Invoke("export", dir.Path, "--opset", "11", "--input-shape", "1,28,28"));
        Assert.NotEqual(0, Invoke("export", dir.Path, "--format", "tflite"));
        Assert.False(File.Exists(dir.File("model.onnx")));
    }
}
