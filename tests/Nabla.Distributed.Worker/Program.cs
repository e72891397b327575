using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Distributed.Mpi;
using Nabla.IO;
using Nabla.NN;
using Nabla;
using Nabla.Optim;
using Nabla.Training;

// One rank of a tiny synthetic training job (or the whole job when not started by mpirun). Options as --key value:
//   --dtype float32|float64  --samples N  --batch B (per rank)  --epochs E  --seed S  --out DIR  --resume
//   --batch-norm (BatchNorm1d after the first Linear)  --every-rank (each rank writes DIR/final-rank{r}.npz)
//   --bucket-mb MB  --trace (rank 0 writes DIR/trace.txt of the last step)  --timeout SECONDS
//   --kill-rank R --kill-epoch E --kill-batch K   (that rank kills itself with SIGKILL after batch K of epoch E)
//   --raise-rank R --raise-epoch E --raise-batch K (that rank throws instead; --hang-... makes it sleep forever)
// Rank 0 writes DIR/final.npz (the parameters after training) and DIR/checkpoint.npz after every epoch.
var opt = new Dictionary<string, string>();
for (int i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--")) throw new ArgumentException($"worker: unexpected argument '{args[i]}'");
    string key = args[i][2..];
    opt[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : "true";
}
string Get(string k, string d) => opt.GetValueOrDefault(k, d);
int GetInt(string k, int d) => int.Parse(Get(k, d.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var env = MpiEnvironment.Detect();
var timeout = TimeSpan.FromSeconds(double.Parse(Get("timeout", "60"), CultureInfo.InvariantCulture));
// Setup (start-up skew between ranks) gets a generous timeout; training steps get --timeout.
return env is null ? Train(null) : MpiJob.Run(TimeSpan.FromSeconds(120), Train);

int Train(MpiProcessGroup? group)
{
    int rank = group?.Rank ?? 0, world = group?.Size ?? 1;
    var dtype = Get("dtype", "float64") == "float32" ? DType.Float32 : DType.Float64;
    int samples = GetInt("samples", 512), batch = GetInt("batch", 128), epochs = GetInt("epochs", 1);
    ulong seed = ulong.Parse(Get("seed", "7"), CultureInfo.InvariantCulture);
    string outDir = Get("out", ".");
    Directory.CreateDirectory(outDir);

    var data = new Generator(123);
    var dataset = new TensorDataset(Tensor.Randn([samples, 20], generator: data), Tensor.RandInt(0, 4, [samples], generator: data));
    var g = new Generator(seed + (ulong)rank * 1000);   // different init per rank: DDP's broadcast must make them equal
    var model = new Sequential(new Linear(20, 32, dtype: dtype, generator: g));
    if (opt.ContainsKey("batch-norm")) model.Add(new BatchNorm1d(32, dtype: dtype));   // per-replica batch statistics
    model.Add(new ReLU()).Add(new Linear(32, 32, dtype: dtype, generator: g)).Add(new ReLU()).Add(new Linear(32, 4, dtype: dtype, generator: g));
    var optimizer = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.1, Momentum: 0.9));
    string ckpt = Path.Combine(outDir, "checkpoint.npz");
    var trainer = new Trainer(model, optimizer, (y, t) => y.CrossEntropy(t), new TrainerOptions(epochs, seed, CheckpointPath: rank == 0 ? ckpt : null));
    if (opt.ContainsKey("resume") && File.Exists(ckpt)) trainer.Resume(ckpt);

    DistributedDataParallel? ddp = null;
    Func<int, IEnumerable<(Tensor, Tensor)>> batches;
    if (group is null)
    {
        var loader = new DataLoader(dataset, batch, shuffle: true, seed: seed, prefetch: 0);
        batches = loader.ForEpoch;
    }
    else
    {
        ddp = new DistributedDataParallel(model, group, new DistributedDataParallelOptions(
            BucketCapMB: double.Parse(Get("bucket-mb", "25"), CultureInfo.InvariantCulture), RecordTrace: opt.ContainsKey("trace")));
        group.Timeout = timeout;
        var sampler = new DistributedSampler(dataset, world, rank, shuffle: true, seed: seed);
        batches = epoch => new DataLoader(sampler.Shard(epoch), batch, prefetch: 0).Batches();
    }
    trainer.Callbacks.Add(new FaultInjection(rank, opt, outDir));
    trainer.Fit(epoch => batches(epoch).Select(b => (b.Item1.To(dtype), b.Item2)));

    if (opt.ContainsKey("every-rank")) Npz.Save(Path.Combine(outDir, $"final-rank{rank}.npz"), model.StateDict());
    if (rank == 0)
    {
        Npz.Save(Path.Combine(outDir, "final.npz"), model.StateDict());
        if (ddp is not null && opt.ContainsKey("trace"))
            File.WriteAllLines(Path.Combine(outDir, "trace.txt"),
                [$"buckets {ddp.BucketCount} parameters {ddp.BucketedParameters.Count}", .. ddp.LastStepTrace.Select(e => $"{e.Kind} {e.Index} {e.Timestamp}")]);
    }
    Console.WriteLine($"rank {rank} of {world}: done, {trainer.EpochsDone} epochs");
    return 0;
}

/// <summary>Kills or raises on one rank after a given batch (the fault tests).</summary>
sealed class FaultInjection(int rank, Dictionary<string, string> opt, string outDir) : ITrainerCallback
{
    public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond)
    {
        if (Hit("kill"))
        {
            File.WriteAllText(Path.Combine(outDir, "killed.txt"), DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture));
            Process.GetCurrentProcess().Kill();   // SIGKILL: no handler runs, as when a machine or process dies
        }
        if (Hit("hang")) Thread.Sleep(Timeout.Infinite);   // a rank stuck outside MPI: the others must time out
        if (Hit("raise")) throw new InvalidOperationException($"injected failure after batch {batch} of epoch {epoch + 1}");

        bool Hit(string what) =>
            opt.TryGetValue($"{what}-rank", out var r) && int.Parse(r, CultureInfo.InvariantCulture) == rank
            && int.Parse(opt.GetValueOrDefault($"{what}-epoch", "1"), CultureInfo.InvariantCulture) == epoch + 1
            && int.Parse(opt.GetValueOrDefault($"{what}-batch", "1"), CultureInfo.InvariantCulture) == batch;
    }
}
