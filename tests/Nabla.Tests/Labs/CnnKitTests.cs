using Nabla.Data;
using Nabla.Labs;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Labs;

/// <summary>The CNN labs' kit: Trainer-based training with per-epoch error curves, and the shared rules.</summary>
public class CnnKitTests
{
    /// <summary>Two well-separated Gaussian blobs in 2-D, labels 0/1 (class = sign of the first coordinate's mean).</summary>
    private static (Tensor X, Tensor Y) Blobs(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = Tensor.Randn([n, 2], generator: g).ToArray<float>();
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            x[2 * i] += y[i] == 1 ? 3f : -3f;
        }
        return (Tensor.FromArray(x, n, 2), Tensor.FromArray(y, n));
    }

    [Fact]
    public void Fit_trains_through_the_trainer_and_records_one_error_per_epoch()
    {
        var (x, y) = Blobs(200, 1);
        var (xv, yv) = Blobs(100, 2);
        var model = new Sequential(new Linear(2, 2, generator: new Generator(3)));
        var opt = new Sgd(model.Parameters(), new SgdOptions(0.1));
        double before = CnnLabTraining.Error(model, xv, yv);
        var loader = new DataLoader(new TensorDataset(x, y), 20, shuffle: true, seed: 4);
        var log = new StringWriter();
        var c = CnnTraining.Fit(model, opt, new CosineAnnealingLR(opt, 3), loader, 3, 5, (x, y), (xv, yv), log, "blobs");
        Assert.Equal(3, c.TrainLoss.Count);
        Assert.Equal(3, c.TrainError.Count);
        Assert.Equal(3, c.ValidError.Count);
        // The per-epoch errors are the model's eval-mode errors: the last ones equal a fresh measurement.
        Assert.Equal(CnnLabTraining.Error(model, x, y), c.TrainError[^1]);
        Assert.Equal(CnnLabTraining.Error(model, xv, yv), c.ValidError[^1]);
        Assert.True(c.ValidError[^1] < 0.05, $"separable blobs should be learned, validation error {c.ValidError[^1]} (before: {before})");
        Assert.True(c.TrainLoss[^1] < c.TrainLoss[0]);
        Assert.Contains("blobs epoch  3:", log.ToString());
        Assert.True(opt.ParamGroups[0].LearningRate < 0.1 * 0.5, "the scheduler stepped once per epoch (cosine over 3 epochs ends low)");
    }

    [Fact]
    public void Without_a_fit_set_the_training_error_is_the_running_error_of_the_batches()
    {
        var (x, y) = Blobs(64, 1);
        var model = new Sequential(new Linear(2, 2, generator: new Generator(3)));
        var opt = new Sgd(model.Parameters(), new SgdOptions(0.0));   // no learning: every batch sees the same weights
        var loader = new DataLoader(new TensorDataset(x, y), 16, shuffle: true, seed: 4);
        var c = CnnTraining.Fit(model, opt, null, loader, 1, 0, null, (x, y), TextWriter.Null, "frozen");
        // With frozen weights the running error over all batches equals the eval-mode error on the same images.
        Assert.Equal(CnnLabTraining.Error(model, x, y), c.TrainError[0], 12);
    }

    [Fact]
    public void Best_epoch_is_the_latest_lowest_validation_error()
    {
        Assert.Equal(3, new EpochCurves([], [], [0.3, 0.2, 0.2, 0.25], 0).BestEpoch);
        Assert.Equal(1, new EpochCurves([], [], [0.1, 0.2], 0).BestEpoch);
        Assert.Equal(0, new EpochCurves([], [], [], 0).BestEpoch);
    }

    [Fact]
    public void Clearly_different_uses_two_standard_errors_with_a_one_item_floor()
    {
        Assert.True(CnnLabTraining.ClearlyDifferent(0.10, 1000, 0.20, 1000));    // 10 points vs 2 s.e. ≈ 3.2
        Assert.False(CnnLabTraining.ClearlyDifferent(0.10, 1000, 0.12, 1000));   // 2 points < 2 s.e. ≈ 2.8
        Assert.False(CnnLabTraining.ClearlyDifferent(0.0, 100, 0.0, 100));       // zero noise, zero difference
        Assert.Equal(0.05, CnnLabTraining.StandardError(0.5, 100), 12);
    }

    [Fact]
    public void Confusion_rule_names_the_top_cell_or_says_there_is_no_mistake()
    {
        var cm = new int[,] { { 5, 1, 0 }, { 0, 6, 3 }, { 2, 0, 7 } };
        Assert.Equal((1, 2, 3), CnnLabTraining.TopConfusion(cm));
        Assert.Equal("The most frequent confusion is a true b predicted as c (3 times).", CnnLabTraining.ConfusionSentence((1, 2, 3), ["a", "b", "c"]));
        Assert.Equal("The most frequent confusion is a true a predicted as b (1 time).", CnnLabTraining.ConfusionSentence((0, 1, 1), ["a", "b", "c"]));
        var perfect = new int[,] { { 4, 0 }, { 0, 4 } };
        Assert.Equal(0, CnnLabTraining.TopConfusion(perfect).Count);
        Assert.Equal("No test image was misclassified.", CnnLabTraining.ConfusionSentence(CnnLabTraining.TopConfusion(perfect), ["a", "b"]));
    }
}
