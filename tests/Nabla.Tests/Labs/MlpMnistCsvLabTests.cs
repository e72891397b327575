using System.Text.Json;
using Nabla.Data;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Course;

namespace Nabla.Tests.Labs;

public class MlpMnistCsvLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-mlp-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_run_writes_the_csv_files_the_report_and_a_model_that_loads_back()
    {
        var log = new StringWriter();
        var result = LabRegistry.Find("mlp-mnist-csv").Run(new LabContext(_dir, Quick: true, Log: log));

        foreach (var f in new[] { "report.md", "results.json", "loss.png", "error.png", "loss_normal.png", "error_normal.png", "valid_error.png", "model.npz", "csv/mnist_train.csv", "csv/mnist_test.csv" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;

        // The CSV lines are the first images of the IDX files, pixel for pixel (checked against the IDX reader).
        var idxDir = DataRoot.Locate(DatasetSpec.Mnist);
        foreach (var (file, train) in new[] { ("mnist_train.csv", true), ("mnist_test.csv", false) })
        {
            var csv = MnistCsv.Read(Path.Combine(_dir, "csv", file));
            var idx = Mnist.ReadSplit(idxDir, DatasetSpec.Mnist, train);
            Assert.Equal(train ? metrics["csv_train_lines"] : metrics["csv_test_lines"], csv.Count);
            Assert.InRange(csv.Count, 1000, 5000);                     // "a few thousand lines"
            Assert.Equal(idx.Pixels.AsSpan(0, csv.Pixels.Length).ToArray(), csv.Pixels);
            Assert.Equal(idx.Labels.AsSpan(0, csv.Count).ToArray(), csv.Labels);
        }

        // model.npz rebuilds the network, whose test error recomputed here is the reported best one.
        var model = ClassicMlp.FromFile(Path.Combine(_dir, "model.npz"));
        Assert.Equal([784, 512, 256, 10], model.LayerSizes);
        var test = MnistCsv.Read(Path.Combine(_dir, "csv", "mnist_test.csv"));
        var x = new float[test.Pixels.Length];
        for (int i = 0; i < x.Length; i++) x[i] = test.Pixels[i] / 255f;
        var pred = model.Predict(Tensor.FromArray(x, test.Count, 784));
        double error = (double)Enumerable.Range(0, test.Count).Count(i => pred[i] != test.Labels[i]) / test.Count;
        Assert.Equal(metrics["best_test_error"], error, 12);
        Assert.True(metrics["best_test_error"] == metrics[$"test_error_{model.Activation}"] || metrics["best_test_error"] == metrics[$"test_error_{model.Activation}_normal"]);
        Assert.Equal(metrics["best_test_error"], metrics["reloaded_test_error"]);

        // The template's standard-normal rows: with 784 unit-variance weights per first-layer unit the initial training loss
        // is far above ln 10 ≈ 2.30, the loss of a uniform guess (the Glorot rows start near it).
        foreach (var a in new[] { "sigmoid", "tanh", "relu" })
        {
            Assert.True(metrics[$"initial_train_loss_{a}_normal"] > 2 * Math.Log(10), $"{a}: {metrics[$"initial_train_loss_{a}_normal"]}");
            Assert.InRange(metrics[$"diverged_epoch_{a}_normal"], 0, 2);
        }

        // Two epochs on 2,500 images already beat chance (90 % error) by far with tanh and ReLU.
        Assert.InRange(metrics["test_error_tanh"], 0, 0.5);
        Assert.InRange(metrics["test_error_relu"], 0, 0.5);
        string report = File.ReadAllText(result.ReportPath);
        Assert.Contains("| sigmoid, Glorot |", report);
        Assert.Contains("| relu, N(0, 1) |", report);

        // A second run reuses the CSV files instead of converting again.
        var again = new StringWriter();
        LabRegistry.Find("mlp-mnist-csv").Run(new LabContext(_dir, Quick: true, Log: again));
        Assert.Contains("reusing", again.ToString());
        Assert.DoesNotContain("reusing", log.ToString());
    }

    [RequiresDataFact]
    public void Overrides_choose_the_activations_and_the_data()
    {
        var r = new MlpMnistCsvLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["activations"] = "relu", ["epochs"] = "1", ["train-lines"] = "1200", ["validation-lines"] = "200", ["sizes"] = "784,32,10",
            ["normal-init-activations"] = "tanh",
        }));
        Assert.True(r.Metrics.ContainsKey("test_error_relu"));
        Assert.False(r.Metrics.ContainsKey("test_error_tanh"));
        Assert.True(r.Metrics.ContainsKey("test_error_tanh_normal"));
        Assert.False(r.Metrics.ContainsKey("test_error_relu_normal"));
        Assert.Equal(1200, r.Metrics["csv_train_lines"]);
        Assert.Equal([784, 32, 10], ClassicMlp.FromFile(Path.Combine(_dir, "model.npz")).LayerSizes);
        string md = string.Join(" ", File.ReadAllText(r.ReportPath).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));   // paragraphs wrap
        Assert.Contains("the other 1,000 train the network", md);
    }

    [Fact]
    public void Bad_activation_and_too_many_validation_lines_are_refused_before_any_work()
    {
        var lab = new MlpMnistCsvLab();
        var kit = new LabKit(new LabContext(_dir), lab.Name);
        Assert.Contains("unknown activation 'gelu'", Assert.Throws<ArgumentException>(() => lab.Experiment(lab.Quick with { Activations = ["gelu"] }, kit)).Message);
        Assert.Contains("leave no training lines", Assert.Throws<ArgumentException>(() => lab.Experiment(lab.Quick with { ValidationLines = 3000 }, kit)).Message);
        Assert.Contains("unknown activation 'elu'", Assert.Throws<ArgumentException>(() => lab.Experiment(lab.Quick with { NormalInitActivations = ["elu"] }, kit)).Message);
        Assert.Contains("unknown init 'he'", Assert.Throws<ArgumentException>(() => lab.Experiment(lab.Quick with { Init = "he" }, kit)).Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "csv")));
    }

    [Fact]
    public void Csv_cache_folder_is_per_size_and_only_when_asked()
    {
        Assert.Equal(Path.Combine("out", "csv"), MlpMnistCsvData.CsvFolder("out", false, null, null));
        Assert.EndsWith(Path.Combine(".nabla", "cache", "mnist-csv"), MlpMnistCsvData.CsvFolder("out", true, null, null));
        Assert.EndsWith(Path.Combine(".nabla", "cache", "mnist-csv-3000-all"), MlpMnistCsvData.CsvFolder("out", true, 3000, null));
    }

    [Fact]
    public void Prose_rules_follow_the_numbers()
    {
        Assert.Contains("identical", MlpMnistCsvLab.ReloadSays(0.189, 0.189));
        Assert.Contains("DIFFERENT", MlpMnistCsvLab.ReloadSays(0.19, 0.189));
        Assert.Contains("σ′ ≤ 1/4", MlpMnistCsvLab.WorstSays("sigmoid"));
        Assert.Contains("uses relu, not sigmoid", MlpMnistCsvLab.WorstSays("relu"));
        Assert.Contains("still falling", MlpMnistCsvLab.UnderTrainedSays("sigmoid", [2.6, 2.56]));
        Assert.Contains("no longer falls", MlpMnistCsvLab.UnderTrainedSays("sigmoid", [2.5, 2.56]));
        Assert.Equal("", MlpMnistCsvLab.UnderTrainedSays("sigmoid", [2.5]));
        Assert.Contains("a generalisation gap of 1.48 points", MlpMnistCsvLab.GapSays(0.0148));
        Assert.Contains("no generalisation gap", MlpMnistCsvLab.GapSays(-0.002));
        Assert.Contains("longer training would mostly widen the gap", MlpMnistCsvLab.SecondHalfSays([0.5, 0.4, 0.2, 0.1], [0.5, 0.45, 0.4, 0.38]));
        Assert.DoesNotContain("widen", MlpMnistCsvLab.SecondHalfSays([0.5, 0.4, 0.3, 0.3], [0.5, 0.4, 0.2, 0.1]));
    }

    [Fact]
    public void Normal_init_rule_follows_the_numbers()
    {
        // 10,000 test images: 5.0 % vs 2.0 % is far beyond two standard errors (≈ 0.25 points); 2.1 % vs 2.0 % is not.
        string worse = MlpMnistCsvLab.NormalInitSays("relu", "Glorot", 950, 2.3, 0, 0.05, 0.02, 10_000, 0.4);
        Assert.Contains("starts at a training loss of 950 (against 2.3 with Glorot)", worse);
        Assert.Contains("spread the pre-activations", worse);
        Assert.Contains("clearly worse", worse);
        Assert.Contains("recovered from the bad start", MlpMnistCsvLab.NormalInitSays("tanh", "Glorot", 9, 2.3, 0, 0.021, 0.02, 10_000, 0.1));
        Assert.Contains("clearly better than Glorot", MlpMnistCsvLab.NormalInitSays("tanh", "Glorot", 9, 2.3, 0, 0.01, 0.02, 10_000, 0.1));
        string diverged = MlpMnistCsvLab.NormalInitSays("relu", "Glorot", 950, 2.3, 3, double.NaN, 0.02, 10_000, double.NaN);
        Assert.Contains("diverged", diverged);
        Assert.Contains("epoch 3", diverged);
        Assert.DoesNotContain("clearly", diverged);
        Assert.Contains("no worse a start", MlpMnistCsvLab.NormalInitSays("tanh", "Glorot", 2.4, 2.3, 0, 0.02, 0.02, 10_000, 0.1));
        string collapsed = MlpMnistCsvLab.NormalInitSays("relu", "Glorot", 2071, 2.3, 0, 0.8865, 0.0189, 10_000, 2.3013);
        Assert.Contains("that of a uniform guess", collapsed);
        Assert.DoesNotContain("clearly worse", collapsed);
        Assert.Equal("N(0, 1)", MlpMnistCsvLab.InitLabel("normal"));
        Assert.Equal("Glorot", MlpMnistCsvLab.InitLabel("glorot"));
    }
}
