using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Two Gaussian blobs in 2-d centred at (±1.5, ±1.5): linearly separable up to a few percent.</summary>
    private static TensorDataset Blobs(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[n * 2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            double c = y[i] == 0 ? -1.5 : 1.5;
            x[2 * i] = (float)(c + g.NextGaussian() * 0.7);
            x[2 * i + 1] = (float)(c + g.NextGaussian() * 0.7);
        }
        return new TensorDataset(Tensor.FromArray(x, n, 2), Tensor.FromArray(y));
    }

    private static (Trainer Trainer, Sequential Model) Make(TrainerOptions options, double lr = 0.1)
    {
        var model = Mlp.Create(new MlpOptions(InputSize: 2, Hidden: [8], Classes: 2, Dropout: 0.1), new Generator(7));
        var opt = new Sgd(model.Parameters(), new SgdOptions(lr, Momentum: 0.9));
        var sched = new StepLR(opt, 2, 0.5);
        return (new Trainer(model, opt, (o, t) => o.CrossEntropy(t), options, sched), model);
    }

    private static DataLoader Loader(IDataset d, bool shuffle) => new(d, 16, shuffle, seed: 3);

    [Fact]
    public void Learns_a_separable_problem_and_records_history()
    {
        var (trainer, _) = Make(new TrainerOptions(Epochs: 5));
        var train = Loader(Blobs(400, 1), true);
        var valid = Loader(Blobs(200, 2), false);
        var r = trainer.Fit(train.ForEpoch, valid.Batches);
        Assert.False(r.Diverged);
        Assert.Equal(5, r.History.Count);
        Assert.True(r.History[^1].ValidationAccuracy > 0.95, $"validation accuracy {r.History[^1].ValidationAccuracy}");
        Assert.True(r.History[^1].TrainLoss < r.History[0].TrainLoss);
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025], r.History.Select(h => Math.Round(h.LearningRate, 6)).ToArray());
        var ev = trainer.Evaluate(valid.Batches());
        Assert.Equal(200, ev.Samples);
        Assert.Equal(r.History[^1].ValidationAccuracy, ev.Accuracy, 12);
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        float[] Run()
        {
            var (trainer, model) = Make(new TrainerOptions(Epochs: 3, Seed: 5));
            trainer.Fit(Loader(Blobs(200, 1), true).ForEpoch);
            return model.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Resuming_a_checkpoint_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        var data = Blobs(200, 1);
        var path = Path.Combine(_dir, "ckpt.npz");
        var (full, fullModel) = Make(new TrainerOptions(Epochs: 4, Seed: 9));
        full.Fit(Loader(data, true).ForEpoch);

        var (first, _) = Make(new TrainerOptions(Epochs: 2, Seed: 9, CheckpointPath: path));
        first.Fit(Loader(data, true).ForEpoch);
        var (second, secondModel) = Make(new TrainerOptions(Epochs: 4, Seed: 9, CheckpointPath: path));
        second.Resume(path);
        Assert.Equal(2, second.EpochsDone);
        var r = second.Fit(Loader(data, true).ForEpoch);
        Assert.Equal(4, r.History.Count);
        Assert.Equal(fullModel.Parameters().SelectMany(p => p.ToArray<float>()), secondModel.Parameters().SelectMany(p => p.ToArray<float>()));
        Assert.Equal(full.History.Select(h => h.TrainLoss), r.History.Select(h => h.TrainLoss));
    }

    [Fact]
    public void Divergence_stops_with_a_clear_message_and_keeps_the_last_good_checkpoint()
    {
        var path = Path.Combine(_dir, "div.npz");
        var (trainer, _) = Make(new TrainerOptions(Epochs: 1, CheckpointPath: path));
        trainer.Fit(Loader(Blobs(64, 1), true).ForEpoch);
        var good = File.ReadAllBytes(path);
        var (bad, _) = Make(new TrainerOptions(Epochs: 3, CheckpointPath: path), lr: 1e30);
        var r = bad.Fit(Loader(Blobs(64, 1), true).ForEpoch);
        Assert.True(r.Diverged);
        Assert.Contains("diverged in epoch 1", r.StopReason);
        Assert.Contains(path, r.StopReason);
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void Early_stopping_and_callbacks()
    {
        var (trainer, _) = Make(new TrainerOptions(Epochs: 50, EarlyStoppingPatience: 1), lr: 0.0);
        var valid = Loader(Blobs(64, 2), false);
        var r = trainer.Fit(Loader(Blobs(64, 1), true).ForEpoch, valid.Batches);
        Assert.Equal(2, r.History.Count);   // lr 0: validation loss cannot improve after epoch 1
        Assert.Contains("early stopping", r.StopReason);

        var (t2, _) = Make(new TrainerOptions(Epochs: 10));
        var cb = new StopAfter(3);
        t2.Callbacks.Add(cb);
        var r2 = t2.Fit(Loader(Blobs(64, 1), true).ForEpoch);
        Assert.Equal(3, r2.History.Count);
        Assert.True(cb.Batches >= 12);
    }

    private sealed class StopAfter(int epochs) : ITrainerCallback
    {
        public int Batches;
        public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond) => Batches++;
        public bool OnEpochEnd(EpochRecord record) => record.Epoch < epochs;
    }
}
