using Nabla.Data;
using Nabla.Labs;
using Nabla.Models;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class MlpInitLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Model_has_669706_parameters()
    {
        // By hand: 784·512 + 512 + 512·512 + 512 + 512·10 + 10 = 401,920 + 262,656 + 5,130.
        Assert.Equal(669_706, MnistMlpKit.DenseParameterCount(784, 512, 512, 10));
        Assert.Equal(669_706, Mlp.Create(new MlpOptions(Hidden: MlpInitLab.Hidden)).ParameterCount());
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_and_zero_init_learns_only_the_class_prior()
    {
        var r = new MlpInitLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "init_loss.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("| 2 |", md);   // one row per epoch (2 in quick mode)
        Assert.Contains("669,706", md);

        var m = Mnist.Load("mnist", new MnistOptions { ValidationCount = 10_000, Normalize = true });
        var train = m.Train.Slice(0, MnistMlpKit.QuickTrain);
        var test = m.Test.Slice(0, MnistMlpKit.QuickTest);
        // A zero-initialised ReLU net outputs the same logits for every image: its test accuracy is the frequency of
        // the one class it predicts, and its training loss cannot go below the entropy of the training labels.
        var testFreq = Frequencies(test);
        double acc = r.Metrics["zeros_test_accuracy"];
        Assert.Contains(testFreq, f => Math.Abs(f - acc) < 1e-9);
        var trainFreq = Frequencies(train);
        double entropy = -trainFreq.Where(p => p > 0).Sum(p => p * Math.Log(p));
        Assert.True(r.Metrics["zeros_final_train_loss"] >= entropy - 1e-4, $"loss {r.Metrics["zeros_final_train_loss"]} < entropy {entropy}");
        Assert.True(r.Metrics["glorot_final_train_loss"] < r.Metrics["zeros_final_train_loss"]);
        Assert.True(r.Metrics["normal_final_train_loss"] > r.Metrics["glorot_final_train_loss"]);
    }

    private static double[] Frequencies(ImageDataset d)
    {
        var f = new double[10];
        for (int i = 0; i < d.Count; i++) f[d.Label(i)] += 1.0 / d.Count;
        return f;
    }
}
