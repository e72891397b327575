using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>The good-epoch rule, interruption, the validation of resumed checkpoints, and the live metrics log.</summary>
public class TrainerRobustnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainer-rob-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static TensorDataset Blobs(int n, ulong seed, bool nanInputs = false)
    {
        var g = new Generator(seed);
        var x = new float[n * 2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            double c = y[i] == 0 ? -1.5 : 1.5;
            x[2 * i] = nanInputs ? float.NaN : (float)(c + g.NextGaussian() * 0.7);
            x[2 * i + 1] = (float)(c + g.NextGaussian() * 0.7);
        }
        return new TensorDataset(Tensor.FromArray(x, n, 2), Tensor.FromArray(y));
    }

    private static DataLoader Loader(IDataset d, bool shuffle) => new(d, 16, shuffle, seed: 3);

    private static (Trainer Trainer, Sequential Model, Sgd Opt) Make(TrainerOptions options, double lr = 0.1, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        var model = Mlp.Create(new MlpOptions(InputSize: 2, Hidden: [8], Classes: 2), new Generator(7));
        var opt = new Sgd(model.Parameters(), new SgdOptions(lr, Momentum: 0.9));
        return (new Trainer(model, opt, loss ?? ((o, t) => o.CrossEntropy(t)), options), model, opt);
    }

    [Fact]
    public void A_non_finite_validation_loss_is_divergence_and_the_checkpoint_keeps_the_last_good_epoch()
    {
        string ck = Path.Combine(_dir, "ck.npz");
        var (trainer, _, _) = Make(new TrainerOptions(Epochs: 4, CheckpointPath: ck));
        int calls = 0;
        var good = Loader(Blobs(64, 2), false);
        var bad = Loader(Blobs(64, 2, nanInputs: true), false);
        // epochs 1 and 2 validate on clean data, epoch 3 on NaN inputs: its validation loss is NaN
        var r = trainer.Fit(Loader(Blobs(128, 1), true).ForEpoch, () => ++calls <= 2 ? good.Batches() : bad.Batches());
        Assert.True(r.Diverged);
        Assert.Equal(FitStop.Diverged, r.Stop);
        Assert.Equal(2, r.LastGoodEpoch);
        Assert.Contains("validation loss is NaN", r.StopReason);
        Assert.Contains("last good epoch is 2", r.StopReason);
        Assert.Equal(2, Checkpoint.Load(ck).Metadata.Epoch);
        Assert.All(r.History, h => Assert.True(double.IsFinite(h.ValidationLoss)));
    }

    [Fact]
    public void A_finite_explosion_beyond_the_factor_is_divergence()
    {
        // From epoch 2 on the loss carries a constant 10^8 (the gradients do not change, so it stays finite).
        double offset = 0;
        var (trainer, _, _) = Make(new TrainerOptions(Epochs: 3), loss: (o, t) => o.CrossEntropy(t) + offset);
        trainer.Callbacks.Add(new OnEpoch(_ => offset = 1e8));
        var r = trainer.Fit(Loader(Blobs(128, 1), true).ForEpoch);
        Assert.Equal(FitStop.Diverged, r.Stop);
        Assert.Equal(1, r.LastGoodEpoch);
        Assert.Contains("more than 1E+06 times the run's first batch loss", r.StopReason);

        // the same run with the check turned off completes
        offset = 0;
        var (t2, _, _) = Make(new TrainerOptions(Epochs: 3, DivergenceFactor: double.PositiveInfinity), loss: (o, t) => o.CrossEntropy(t) + offset);
        t2.Callbacks.Add(new OnEpoch(_ => offset = 1e8));
        Assert.Equal(FitStop.Completed, t2.Fit(Loader(Blobs(128, 1), true).ForEpoch).Stop);
    }

    [Fact]
    public void Non_finite_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TrainerOptions(ClipGradNorm: double.NaN).Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions(ClipGradValue: double.PositiveInfinity).Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions(DivergenceFactor: double.NaN).Validate());
    }

    [Fact]
    public void Cancellation_stops_after_the_current_batch_and_discards_the_unfinished_epoch()
    {
        string ck = Path.Combine(_dir, "int.npz");
        var (trainer, _, _) = Make(new TrainerOptions(Epochs: 5, CheckpointPath: ck));
        using var cts = new CancellationTokenSource();
        var batches = new List<(int Epoch, int Batch)>();
        FitResult? seenAtEnd = null;
        trainer.Callbacks.Add(new OnBatch((e, b) => { batches.Add((e, b)); if (e == 1 && b == 2) cts.Cancel(); }, r => seenAtEnd = r));
        var r = trainer.Fit(Loader(Blobs(128, 1), true).ForEpoch, cancellationToken: cts.Token);
        Assert.Equal(FitStop.Interrupted, r.Stop);
        Assert.False(r.Diverged);
        Assert.Single(r.History);
        Assert.Equal((1, 2), batches[^1]);                  // stopped right after the batch that cancelled
        Assert.Equal(1, Checkpoint.Load(ck).Metadata.Epoch);
        Assert.Same(r, seenAtEnd);                          // callbacks hear how Fit ended
    }

    [Fact]
    public void Resume_can_keep_the_given_learning_rate_instead_of_the_checkpoints()
    {
        string ck = Path.Combine(_dir, "lr.npz");
        var (first, _, _) = Make(new TrainerOptions(Epochs: 2, CheckpointPath: ck), lr: 0.1);
        first.Fit(Loader(Blobs(64, 1), true).ForEpoch);

        var (pytorchLike, _, opt1) = Make(new TrainerOptions(Epochs: 3), lr: 0.5);
        pytorchLike.Resume(ck);
        Assert.Equal(0.1, opt1.ParamGroups[0].LearningRate);      // PyTorch's load_state_dict: the checkpoint's
        var (kept, _, opt2) = Make(new TrainerOptions(Epochs: 3), lr: 0.5);
        kept.Resume(ck, keepHyperParameters: true);
        Assert.Equal(0.5, opt2.ParamGroups[0].LearningRate);
        Assert.Equal(2, kept.EpochsDone);
        Assert.Equal(0.5, kept.Fit(Loader(Blobs(64, 1), true).ForEpoch).History[^1].LearningRate);
    }

    /// <summary>Writes a checkpoint of the tiny model with <paramref name="edit"/> applied to its meta.json extra.</summary>
    private string Damaged(string name, Action<JsonObject> edit, bool nanWeight = false)
    {
        var (t, model, opt) = Make(new TrainerOptions(Epochs: 1));
        t.Fit(Loader(Blobs(64, 1), true).ForEpoch);
        var extra = new JsonObject
        {
            ["history"] = new JsonArray(new JsonObject { ["Epoch"] = 1, ["TrainLoss"] = 0.5, ["TrainAccuracy"] = 0.9, ["ValidationLoss"] = "NaN",
                ["ValidationAccuracy"] = "NaN", ["LearningRate"] = 0.1, ["Seconds"] = 1, ["SamplesPerSecond"] = 64 }),
            ["scheduler_epoch"] = 1,
        };
        edit(extra);
        var state = model.StateDict();
        if (nanWeight) state["0.weight"] = Tensor.Full([8, 2], float.NaN);
        string path = Path.Combine(_dir, name + ".npz");
        Checkpoint.Save(path, state, opt.StateDict(), new CheckpointMetadata { Epoch = (extra["history"] as JsonArray)?.Count ?? 1, Extra = extra });
        return path;
    }

    [Theory]
    [InlineData("nulls", "history row 1 must be an object")]
    [InlineData("badtype", "history row 1 has a field of the wrong type")]
    [InlineData("notarray", "'history' must be an array")]
    [InlineData("schedstring", "'scheduler_epoch' must be a non-negative integer")]
    [InlineData("schedhuge", "'scheduler_epoch' must be a non-negative integer")]
    [InlineData("nanweight", "'model/0.weight' holds NaN or infinite values")]
    [InlineData("epochgap", "history row 1 records epoch 7")]
    public void Resume_validates_every_field_and_names_the_file_before_changing_the_model(string kind, string expected)
    {
        string path = kind switch
        {
            "nulls" => Damaged(kind, e => e["history"] = new JsonArray(null, null)),
            "badtype" => Damaged(kind, e => e["history"]![0]!["Epoch"] = "abc"),
            "notarray" => Damaged(kind, e => e["history"] = 5),
            "schedstring" => Damaged(kind, e => e["scheduler_epoch"] = "abc"),
            "schedhuge" => Damaged(kind, e => e["scheduler_epoch"] = 1e12),
            "nanweight" => Damaged(kind, _ => { }, nanWeight: true),
            _ => Damaged(kind, e => e["history"]![0]!["Epoch"] = 7),
        };
        var (t, model, _) = Make(new TrainerOptions(Epochs: 3));
        var before = model.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        var ex = Assert.Throws<NablaException>(() => t.Resume(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToArray<float>()).ToArray());
        Assert.Equal(0, t.EpochsDone);
    }

    [Theory]
    [InlineData("\"epoch\": \"abc\"", "metadata 'epoch' must be an integer, got \"abc\"")]
    [InlineData("\"epoch\": 1e12", "metadata 'epoch' is 1000000000000")]
    [InlineData("\"options\": 5", "metadata 'options' must be a JSON object, got 5")]
    [InlineData("\"step\": -4", "metadata 'step' is -4")]
    public void Checkpoint_metadata_fields_are_type_and_range_checked(string field, string expected)
    {
        string path = Damaged("meta", _ => { });
        string meta = $"{{\"format\": \"nabla.checkpoint\", \"version\": 1, {field}}}";
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            zip.GetEntry(Checkpoint.MetadataEntry)!.Delete();
            using var w = new StreamWriter(zip.CreateEntry(Checkpoint.MetadataEntry).Open());
            w.Write(meta);
        }
        var ex = Assert.Throws<NpzFormatException>(() => Checkpoint.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain("System.", ex.Message);
    }

    [Fact]
    public void Optimizer_state_with_negative_or_nan_scalars_is_refused_before_anything_changes()
    {
        var (_, _, opt) = Make(new TrainerOptions());
        var state = opt.StateDict();
        state["step_count"] = Tensor.Scalar(-3, DType.Float64);
        state["param_groups.0.lr"] = Tensor.Scalar(double.NaN, DType.Float64);
        var ex = Assert.Throws<NablaException>(() => opt.LoadStateDict(state));
        Assert.Contains("'step_count' is -3", ex.Message);
        Assert.Contains("'param_groups.0.lr' is NaN", ex.Message);
        Assert.Equal(0.1, opt.ParamGroups[0].LearningRate);
    }

    [Fact]
    public void MetricsLog_appends_one_flushed_line_per_epoch_with_nulls_for_non_finite_numbers()
    {
        var log = new MetricsLog(_dir);
        var a = new EpochRecord(1, 0.5, 0.75, double.NaN, double.PositiveInfinity, 0.1, 2.5, 1000.25);
        var b = new EpochRecord(2, 0.25, 0.875, 0.3, 0.9, 0.05, 2, 1250);
        log.Append(a);
        log.Append(b);
        var lines = File.ReadAllLines(log.JsonlPath);
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(MetricsLog.Columns, first.Select(kv => kv.Key).ToArray());
        Assert.Equal(1, (int)first["epoch"]!);
        Assert.Equal(0.5, (double)first["train_loss"]!);
        Assert.Null(first["val_loss"]);
        Assert.Null(first["val_accuracy"]);
        Assert.Equal(1000.25, (double)first["samples_per_s"]!);
        var csv = File.ReadAllLines(log.CsvPath);
        Assert.Equal(["epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds,samples_per_s",
            "1,0.5,0.75,,,0.1,2.5,1000.25", "2,0.25,0.875,0.3,0.9,0.05,2,1250"], csv);

        log.Rewrite([a]);                                  // a resumed run: the logs hold exactly the checkpoint's epochs
        Assert.Single(File.ReadAllLines(log.JsonlPath));
        Assert.Equal(2, File.ReadAllLines(log.CsvPath).Length);
    }

    [Fact]
    public void AtomicFile_cleans_up_only_temporaries_and_never_shares_a_temp_name()
    {
        File.WriteAllText(Path.Combine(_dir, ".model.npz.0123.tmp"), "half");
        File.WriteAllText(Path.Combine(_dir, "keep.tmp"), "not ours: no leading dot");
        File.WriteAllText(Path.Combine(_dir, "model.npz"), "x");
        Assert.Equal([".model.npz.0123.tmp"], AtomicFile.RemoveStaleTemporaries(_dir));
        Assert.True(File.Exists(Path.Combine(_dir, "keep.tmp")));
        Assert.NotEqual(AtomicFile.TempPathFor("a/b.csv"), AtomicFile.TempPathFor("a/b.csv"));
        AtomicFile.WriteAllText(Path.Combine(_dir, "c.json"), "{}");
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_dir, "c.json")));
        Assert.Empty(Directory.GetFiles(_dir, ".*.tmp"));
    }

    private sealed class OnEpoch(Action<EpochRecord> action) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord record) { action(record); return true; }
    }

    private sealed class OnBatch(Action<int, int> action, Action<FitResult> end) : ITrainerCallback
    {
        public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond) => action(epoch, batch);
        public void OnFitEnd(FitResult result) => end(result);
    }
}
