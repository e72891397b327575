using System.Text.Json.Nodes;
using Nabla.Cli.Composition;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>The `nabla train` pipeline end to end on a slice of real MNIST (skipped visibly without the data).</summary>
public class TrainRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private TrainOptions Quick(string model, string sub, int epochs = 2) => new()
    {
        Model = model, Epochs = epochs, Limit = 3000, ValidationCount = 1000, Hidden = [64], Out = Path.Combine(_dir, sub), Seed = 1,
    };

    [RequiresDataFact]
    public void Train_writes_every_output_and_learns()
    {
        var r = TrainRun.Run(Quick("mlp", "mlp"), TextWriter.Null);
        foreach (var f in new[] { "metrics.json", "metrics.jsonl", "metrics.csv", "model.npz", "checkpoint.npz", "config.json", "curves.png", "curves-loss.svg", "curves-accuracy.svg" })
            Assert.True(File.Exists(Path.Combine(r.OutDir, f)), f);
        var m = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        double acc = (double)m["test_accuracy"]!;
        Assert.InRange(acc, 0.85, 1.0);   // 3,000 examples, 2 epochs: well above chance (0.1)
        Assert.Equal(2, m["history"]!.AsArray().Count);
        Assert.Equal(r.Test.Accuracy, acc, 6);
        Assert.Equal(10_000, (int)m["test_samples"]!);
        Assert.Equal("test", (string)m["test_split"]!);          // MNIST's own test set, not the validation split
    }

    [RequiresDataFact]
    public void Resume_continues_to_the_same_weights_as_an_uninterrupted_run()
    {
        // A schedule that does not depend on the total epoch count, so "2 epochs, then resume to 3" is the same run.
        var full = TrainRun.Run(Quick("mlp", "full", 3) with { Schedule = "exponential" }, TextWriter.Null);
        TrainRun.Run(Quick("mlp", "part", 2) with { Schedule = "exponential" }, TextWriter.Null);
        var resumed = TrainRun.Run(Quick("mlp", "part", 3) with { Schedule = "exponential", Resume = true }, TextWriter.Null);
        var a = Nabla.IO.Npz.Load(Path.Combine(full.OutDir, "model.npz"));
        var b = Nabla.IO.Npz.Load(Path.Combine(resumed.OutDir, "model.npz"));
        foreach (var (k, t) in a) Assert.Equal(t.ToArray<float>(), b[k].ToArray<float>());
        Assert.Equal(full.Test.Accuracy, resumed.Test.Accuracy);
    }

    [RequiresDataFact]
    public void Cnn_trains_through_the_same_pipeline()
    {
        var r = TrainRun.Run(Quick("cnn", "cnn", 1), TextWriter.Null);
        Assert.InRange(r.Test.Accuracy, 0.8, 1.0);
    }

    [Fact]
    public void Bad_options_are_clear_errors()
    {
        Assert.Contains("--epochs", Assert.ThrowsAny<ArgumentException>(() => new TrainOptions { Epochs = 0 }.Validate()).Message);
        Assert.Contains("unknown model", Assert.ThrowsAny<ArgumentException>(() => new TrainOptions { Model = "transformer" }.Resolved()).Message);
        Assert.Contains("unknown optimizer", Assert.Throws<ArgumentException>(() =>
            OptimizerFactory.Create("lion", [Tensor.Zeros([1], requiresGrad: true)], 0.1, 0, 0)).Message);
    }
}
