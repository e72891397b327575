using Nabla.Bench;
using Nabla.Distributed;
using Nabla.Distributed.Mpi;

namespace Nabla.Cli.Composition;

/// <summary><c>nabla bench WORKLOAD --distributed</c>: the data-parallel form of mlp-train and cnn-train on every rank
/// of the mpirun job (a single process without mpirun is a job of one rank); rank 0 prints the JSON lines.</summary>
public static class DistributedBench
{
    /// <summary>Runs the named workloads data-parallel on every rank of the mpirun job; rank 0 prints the JSON lines.</summary>
    public static int Run(string[] names, BenchOptions o)
    {
        if (MpiLibrary.Problem is string problem)
        {
            Console.Error.WriteLine($"nabla bench --distributed: distributed training is unavailable: {problem}");
            return 2;
        }
        foreach (var n in names)
            if (!Workloads.DistributedNames.Contains(n))
            {
                Console.Error.WriteLine($"nabla bench --distributed: '{n}' has no data-parallel form; choose from {string.Join(", ", Workloads.DistributedNames)}");
                return 2;
            }
        return MpiJob.Run(TimeSpan.FromSeconds(300), group =>
        {
            foreach (var n in names)
            {
                var rec = Workloads.RunDistributed(n, o, group);
                if (o.Config is not null) rec["config"] = o.Config;
                if (o.Run is not null) rec["run"] = o.Run;
                if (group.Rank == 0) Console.WriteLine(BenchHarness.ToJsonLine(rec));
            }
            return 0;
        });
    }
}
