using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Distributed;
using Nabla.Distributed.Mpi;
using Nabla.IO;
using Nabla.Training;

namespace Nabla.Cli.Composition;

/// <summary>
/// <c>mpirun -np N ./nabla train MODEL ...</c>: the same run as <see cref="TrainRun"/> (the same data: built-in sets,
/// image folders, tables, loaded by <see cref="TrainData"/>), data-parallel. Every rank
/// builds the model, attaches <see cref="DistributedDataParallel"/> (rank 0's weights broadcast) and trains on its
/// <see cref="DistributedSampler"/> shard with <c>--batch-size</c> per rank (global batch N × B; the learning rate is
/// not rescaled). Rank 0 alone prints and writes checkpoint.npz, model.npz, metrics.json, config.json and the curves;
/// <c>--resume</c> reads OUT/checkpoint.npz on every rank (one machine or a shared file system) and requires the rank
/// count and per-rank batch the checkpoint was written with (OUT/distributed.json). A failure on any rank aborts the
/// job with its rank and cause (<see cref="MpiJob"/>). Threads per rank: <c>mpirun -x DOTNET_PROCESSOR_COUNT=T</c>.
/// </summary>
public static class DistributedTrain
{
    /// <summary>Wait on a step's collectives at most this long before declaring a peer dead (setup: 5 minutes).</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120), SetupTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The mpirun environment this process runs in, or null (then <c>nabla train</c> is single-process).</summary>
    public static MpiEnvironment? Launched { get; } = MpiEnvironment.Detect();

    /// <summary>One line for <c>nabla info</c>: whether data-parallel training can run here, and why not.</summary>
    public static string Availability() => MpiLibrary.Problem is string p
        ? $"unavailable: {p}"
        : "available (Open MPI, libmpi.so.40): mpirun -np N ./nabla train ... trains data-parallel, --batch-size per rank";

    /// <summary>Trains as <paramref name="options"/> say on this rank of the mpirun job (rank 0 writes the run folder and logs to <paramref name="log"/>).</summary>
    public static TrainRun.Result Run(TrainOptions options, TextWriter log)
    {
        if (MpiLibrary.Problem is string problem)
            throw new DistributedException($"started by mpirun ({Launched!.Source}={Launched.WorldSize}) but distributed training is unavailable: {problem}");
        TrainRun.Result? result = null;
        MpiJob.Run(SetupTimeout, group => { result = RunRank(options, group, group.Rank == 0 ? log : TextWriter.Null); return 0; });
        return result!;
    }

    private static TrainRun.Result RunRank(TrainOptions options, MpiProcessGroup group, TextWriter log)
    {
        var o = options.Validate().Resolved();
        // Without --out one fixed folder per model and data (every rank must name the same one).
        if (o.Out is null) o = o with { Out = Path.Combine(RunFolder.DefaultParent, $"{o.Model}-{o.Data}-distributed") };
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        bool root = group.Rank == 0;
        // Rank 0 alone writes, and owns the folder as a single-process run does: its lock, and no earlier run replaced
        // without --overwrite (and then only at the first good epoch). A refusal aborts every rank with its message.
        using var folder = root ? RunFolder.Acquire(o.Out) : null;
        string ckpt = Path.Combine(o.Out!, "checkpoint.npz"), layout = Path.Combine(o.Out!, "distributed.json");
        bool resuming = o.Resume && File.Exists(ckpt);
        bool replacePending = folder is not null && TrainRun.ReplacesEarlierRun(folder, o, ckpt, resuming);
        // The same data as a single-process run (built-in sets, image folders, tables), each rank on its shard.
        var data = TrainData.Load(o, log, new TrainData.DataShard(group.Size, group.Rank));
        int batch = o.BatchSize!.Value;
        log.WriteLine($"distributed {group.Size} ranks × batch {batch} = global batch {group.Size * batch}, {Environment.ProcessorCount} thread(s) per rank (Open MPI; shards padded to {(data.TrainCount + group.Size - 1) / group.Size} examples per rank)");

        Generator.ManualSeed(o.Seed);
        var model = ModelFactory.Create(o, data.FeatureShape, data.Preprocess.Outputs, new Generator(o.Seed));
        var optimizer = OptimizerFactory.Create(o.Optimizer!, model.Parameters(), o.LearningRate!.Value, o.Momentum ?? 0, o.WeightDecay ?? 0);
        var (scheduler, perBatch) = OptimizerFactory.Schedule(o.Schedule!, optimizer, o.Epochs!.Value, data.BatchesPerEpoch);
        log.WriteLine($"model      {o.Model}: {model.ParameterCount():N0} parameters");
        log.WriteLine($"optimizer  {o.Optimizer} lr {o.LearningRate} momentum {o.Momentum} weight decay {o.WeightDecay}, schedule {o.Schedule}, batch {batch} per rank, {o.Epochs} epochs, seed {o.Seed}");

        var trainer = new Trainer(model, optimizer, data.Loss,
            new TrainerOptions(o.Epochs.Value, o.Seed, ClipGradNorm: o.ClipGradNorm, SchedulerStepPerBatch: perBatch), scheduler)
        {
            RunOptions = JsonSerializer.SerializeToNode(o, Json.Options)!.AsObject(),
        };
        if (resuming)
        {
            CheckLayout(layout, group.Size, batch);
            trainer.Resume(ckpt);
            log.WriteLine($"resumed    {ckpt} after epoch {trainer.EpochsDone}");
        }
        using var ddp = new DistributedDataParallel(model, group);
        group.Timeout = StepTimeout;
        var config = TrainRun.ConfigJson(o, RunInfo.DataIdentity(o.Data, TrainRun.DataPath(o)), started, trainer.EpochsDone);
        if (folder is not null)
        {
            // After every good epoch, as a single-process run: the layout first (what a --resume checks), then
            // checkpoint.npz, config.json and preprocess.json (first time), model.npz, metrics.jsonl / .csv.
            trainer.Callbacks.Add(new LayoutWriter(layout, group.Size, batch));
            trainer.Callbacks.Add(new TrainRun.RunWriter(folder, trainer, model, config, data.Preprocess, replacePending));
            trainer.Callbacks.Add(new ProgressReporter(o.Epochs.Value, data.BatchesPerEpoch, trainer.EpochsDone));
        }

        var fit = trainer.Fit(data.TrainEpoch, data.Validation);
        log.WriteLine($"stopped    {fit.StopReason}");
        var (exit, message) = TrainRun.StopOutcome(fit, trainer.EpochsDone, o.Out, replacePending);
        if (!root) message = null;   // every rank stops alike; rank 0 says why, once
        var nothing = new EvalResult(double.NaN, double.NaN, 0);
        if (trainer.EpochsDone == 0) return new TrainRun.Result(fit, nothing, o.Out, clock.Elapsed.TotalSeconds, exit, message);
        // A diverged or interrupted run is evaluated (and reported) with the weights of its last good epoch.
        if (!TrainRun.EndsOnGoodEpoch(fit.Stop))
            model.LoadStateDict(Checkpoint.Load(ckpt).Model);
        // Your own data has no test split: the final figures are then the validation set's, as in TrainRun.
        var final = data.Test ?? data.Validation;
        var test = final is null ? nothing : trainer.Evaluate(final());
        string split = data.Test is null ? "validation" : "test";
        if (test.Samples > 0) log.WriteLine($"{split,-10} accuracy {100 * test.Accuracy:F2}%  loss {test.Loss:F4}  ({test.Samples} examples)");
        if (root)
        {
            var distributed = new JsonObject
            {
                ["ranks"] = group.Size, ["batch_per_rank"] = batch, ["global_batch"] = group.Size * batch, ["threads_per_rank"] = Environment.ProcessorCount,
            };
            TrainRun.WriteEndFiles(o, config, data.Preprocess, fit, test, split, model, clock.Elapsed.TotalSeconds, distributed);
        }
        log.WriteLine($"wrote      {o.Out}/metrics.json, model.npz, checkpoint.npz, config.json, {Preprocess.FileName}, curves.png (rank 0 of {group.Size}; {clock.Elapsed.TotalSeconds:F0} s)");
        return new TrainRun.Result(fit, test, o.Out, clock.Elapsed.TotalSeconds, exit, message);
    }

    /// <summary>Writes distributed.json (ranks × per-rank batch) once, at the first good epoch.</summary>
    private sealed class LayoutWriter(string path, int ranks, int batch) : ITrainerCallback
    {
        private bool _written;

        public bool OnEpochEnd(EpochRecord record)
        {
            if (!_written)
                AtomicFile.Write(path, s => s.Write(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["ranks"] = ranks, ["batch_per_rank"] = batch })));
            _written = true;
            return true;
        }
    }

    /// <summary>A checkpoint resumes only under the layout that wrote it: the per-step data depend on ranks × batch.</summary>
    private static void CheckLayout(string layout, int ranks, int batch)
    {
        if (!File.Exists(layout))
            throw new DistributedException($"--resume: {layout} is missing, so this checkpoint was not written by a distributed run; resume it without mpirun");
        var saved = JsonNode.Parse(BoundedText.ReadAllText(layout))!;
        int savedRanks = (int)saved["ranks"]!, savedBatch = (int)saved["batch_per_rank"]!;
        if (savedRanks != ranks || savedBatch != batch)
            throw new DistributedException($"--resume: the checkpoint was written by {savedRanks} ranks × batch {savedBatch}; resume it with mpirun -np {savedRanks} and --batch-size {savedBatch} (now {ranks} × {batch})");
    }
}
