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
        Assert.Equal(669_706, MlpTraining.DenseParameterCount(784, 512, 512, 10));
        Assert.Equal(669_706, Mlp.Create(new MlpOptions(Hidden: new MlpInitLab().Full.Hidden)).ParameterCount());
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
        var train = m.Train.Slice(0, new MlpInitLab().Quick.TrainImages);
        var test = m.Test.Slice(0, new MlpInitLab().Quick.TestImages);
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
        // The zero-initialised net's end-of-epoch loss is that of constant logits b (only the output bias moves), whose
        // cross-entropy −Σ_c f_c·log softmax(b)_c is at least the entropy of the label frequencies f (Gibbs' inequality).
        Assert.True(r.Metrics["zeros_train_loss_epoch1"] >= entropy - 1e-4);
        // Glorot: the first epoch starts near ln 10 and ends far lower, so the loss measured after the epoch lies below the
        // running mean of its minibatch losses, which includes the early steps.
        Assert.True(r.Metrics["glorot_train_loss_epoch1"] < r.Metrics["glorot_running_train_loss_epoch1"]);
        Assert.Contains("running mean of the minibatch losses", md);
    }

    [Fact]
    public void Mean_loss_is_the_average_cross_entropy_over_every_example_in_eval_mode()
    {
        // A 2-feature, 3-class linear model with weights chosen so that logits are easy to write down: z = W·x.
        var model = new Nabla.NN.Sequential(new Nabla.NN.Linear(2, 3, bias: false), new Nabla.NN.Dropout(0.5));
        model.Layers.OfType<Nabla.NN.Linear>().Single().Weight.CopyFrom_(Tensor.FromArray(new float[] { 1, 0, 0, 1, 1, 1 }, 3, 2));
        // Three one-row "images" of two pixels: x = p/255 = (0, 0), (1, 0), (0, 1), labels 0, 1, 2.
        var data = new ImageDataset(new LabeledImages([0, 0, 255, 0, 0, 255], [0, 1, 2], 1, 2), flatten: true);
        // logits: x=(0,0) → (0,0,0); x=(1,0) → (1,0,1); x=(0,1) → (0,1,1).
        double L(double[] z, int y) => Math.Log(z.Sum(Math.Exp)) - z[y];
        double expected = (L([0, 0, 0], 0) + L([1, 0, 1], 1) + L([0, 1, 1], 2)) / 3;
        model.Train();
        Assert.Equal(expected, MlpInitLab.MeanLoss(model, data), 5);   // dropout off (eval mode), float32 logits
        Assert.True(model.Training);                                    // mode restored
    }

    [Fact]
    public void Running_mean_rule_follows_the_numbers()
    {
        string s = MlpInitLab.RunningMeanSays([("Glorot", 0.5, 0.9), ("N(0,1)", 120, 100), ("Zero", 2.301, 2.302)]);
        Assert.Contains("Glorot: 0.5 at the end against a running mean of 0.9 (lower", s);
        Assert.Contains("N(0,1): 120 at the end against a running mean of 100 (higher", s);
        Assert.Contains("Zero: 2.301 and 2.302, the same within 1 %", s);
        Assert.Contains("a value is missing", MlpInitLab.RunningMeanSays([("N(0,1)", double.NaN, 100)]));
    }

    [RequiresDataFact]
    public void Overrides_change_the_run_and_the_report()
    {
        var r = new MlpInitLab().Run(new LabContext(_dir, Quick: true,
            Overrides: new Dictionary<string, string> { ["epochs"] = "1", ["train-images"] = "500", ["hidden"] = "64" }));
        Assert.True(r.Metrics.ContainsKey("glorot_train_loss_epoch1"));
        Assert.False(r.Metrics.ContainsKey("glorot_train_loss_epoch2"));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("500 training", md);
        Assert.Contains("MLP 784-64-10", md);
        Assert.Contains("50,890 parameters (784·64 + 64 + 64·10 + 10)", md);   // 50,176 + 64 + 640 + 10
        Assert.Contains("| `epochs` | 1 (--set) |", md);
    }

    private static double[] Frequencies(ImageDataset d)
    {
        var f = new double[10];
        for (int i = 0; i < d.Count; i++) f[d.Label(i)] += 1.0 / d.Count;
        return f;
    }
}

public class MlpInitLabRuleTests
{
    [Fact]
    public void Zero_init_rule_says_frozen_only_when_every_weight_is_still_zero()
    {
        string frozen = MlpInitLab.ZeroInitSays(new ZeroInitState(0, 0, [0.1, -0.2, 0.3]), "9.80%");
        Assert.Contains("only the output bias moved", frozen);
        Assert.Contains("predicts class 2 for every image, hence a test accuracy of 9.80%", frozen);
        string moved = MlpInitLab.ZeroInitSays(new ZeroInitState(1e-3, 0, [0.1, -0.2, 0.3]), "12.00%");
        Assert.Contains("not all zero", moved);
        Assert.DoesNotContain("only the output bias moved", moved);
    }

    [Fact]
    public void N01_rules_follow_the_numbers()
    {
        Assert.Contains("saturate the softmax", MlpInitLab.SaturationSays(6570, 0.75, 9833, 2.68));
        Assert.Contains("not spread widely enough", MlpInitLab.SaturationSays(8, 0.75, 3, 2.68));        // below 10
        Assert.Contains("not spread widely enough", MlpInitLab.SaturationSays(50, 10, 30, 2.68));        // not 10× Glorot
        Assert.Equal("stays about 127× the Glorot loss", MlpInitLab.LossRatioSays(113.5, 0.8937));
        Assert.Equal("is below the Glorot loss (0.5×)", MlpInitLab.LossRatioSays(0.5, 1));
        Assert.Equal("is within a factor 1.5 of the Glorot loss (1.2×)", MlpInitLab.LossRatioSays(1.2, 1));
        Assert.Contains("fairly discriminative", MlpInitLab.RandomFeaturesSays(0.763));
        Assert.Contains("poor features", MlpInitLab.RandomFeaturesSays(0.3));
        Assert.Contains("best after epoch 1", MlpInitLab.BestEpochSays(0, "76.30%"));
        Assert.Contains("the best epoch is epoch 3 (80.00%)", MlpInitLab.BestEpochSays(2, "80.00%"));
        Assert.Contains("flat half of the ReLU", MlpInitLab.DeadUnitsSays([0, 0.2], [0, 0], 1000));
        Assert.Contains("no layer lost more than 5 %", MlpInitLab.DeadUnitsSays([0, 0.01], [0, 0], 1000));
    }

    [Fact]
    public void Glorot_rules_follow_the_numbers()
    {
        Assert.Contains("near the ln 10", MlpInitLab.GlorotStartSays(2.68));
        Assert.Contains("away from the ln 10", MlpInitLab.GlorotStartSays(4.0));
        Assert.Contains("still falling", MlpInitLab.StillFallingSays([1.0, 0.9]));
        Assert.Contains("flattened", MlpInitLab.StillFallingSays([1.0, 0.995]));
        Assert.Contains("single epoch", MlpInitLab.StillFallingSays([1.0]));
    }

    [Fact]
    public void Dead_fraction_counts_units_that_never_fire()
    {
        // h [3 images, 4 units]: unit 1 never fires, unit 3 fires once.
        double[] h = [1, 0, 2, 0,
                      0, 0, 1, 0,
                      3, 0, 0, 5];
        Assert.Equal(0.25, MlpInitLab.DeadFraction(h, 3));
    }
}
