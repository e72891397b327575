using System.CommandLine;
using Nabla.Bench;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla bench WORKLOAD[,WORKLOAD...]|all|list</c>: one JSON line per workload, in the schema of the PyTorch reference.</summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>nabla bench</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var workload = new Argument<string>("workload") { Description = "workload name(s), comma-separated, 'all' or 'list'" };
        var reps = new Option<int>("--reps") { Description = "timed repetitions (median reported)", DefaultValueFactory = _ => 7 };
        var repSeconds = new Option<double>("--rep-seconds") { Description = "target duration of one repetition", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var config = new Option<string?>("--config") { Description = "free-form label copied into every record" };
        var run = new Option<int?>("--run") { Description = "run index copied into every record" };
        var distributed = new Option<bool>("--distributed") { Description = "data-parallel over MPI: mpirun -np N ./nabla bench mlp-train|cnn-train --distributed (rank 0 prints)" };
        var cmd = new Command("bench", "run benchmark workloads (names as in ../shared/bench/pytorch_reference.py)")
        {
            workload, reps, repSeconds, seed, config, run, distributed,
        };
        cmd.SetAction(p =>
        {
            string w = p.GetValue(workload)!;
            if (w == "list")
            {
                foreach (var wl in Workloads.All) Console.WriteLine($"{wl.Name,-14} {wl.Description}");
                return 0;
            }
            var names = w == "all" ? Workloads.All.Select(x => x.Name).ToArray() : w.Split(',', StringSplitOptions.RemoveEmptyEntries);
            foreach (var n in names)
                if (Workloads.Find(n) is null)
                {
                    Console.Error.WriteLine($"nabla bench: unknown workload '{n}'; choose from {string.Join(", ", Workloads.All.Select(x => x.Name))}, 'all' or 'list'");
                    return 2;
                }
            var o = new BenchOptions(p.GetValue(reps), p.GetValue(repSeconds), p.GetValue(seed), p.GetValue(config), p.GetValue(run));
            if (p.GetValue(distributed)) return Composition.DistributedBench.Run(names, o);   // issue 16: docs/distributed.md
            foreach (var n in names)
            {
                var rec = Workloads.Find(n)!.Run(o);
                if (o.Config is not null) rec["config"] = o.Config;
                if (o.Run is not null) rec["run"] = o.Run;
                Console.WriteLine(BenchHarness.ToJsonLine(rec));
            }
            return 0;
        });
        return cmd;
    }
}
