using System.CommandLine;
using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.IO;
using Nabla.NN;

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
