using System.CommandLine;
using Nabla.Labs;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla lab list</c> and <c>nabla lab run NAME [--quick] [--out DIR]</c>: course experiments that write
/// a report folder (report.md, results.json, figures).</summary>
public static class LabCommand
{
    public static Command Create()
    {
        var cmd = new Command("lab", "run the course experiments (labs); each writes report.md and figures");
        var list = new Command("list", "list the labs");
        list.SetAction(_ =>
        {
            foreach (var l in LabRegistry.All) Console.WriteLine($"{l.Name,-22} {l.Description}");
            return 0;
        });
        var name = new Argument<string>("name") { Description = "lab name ('all' runs every lab)" };
        var quick = new Option<bool>("--quick") { Description = "a small, fast version (what CI runs)" };
        var outDir = new Option<string?>("--out") { Description = "report folder (default runs/labs/NAME)" };
        var dataRoot = new Option<string?>("--data-root") { Description = "data root (default: $NABLA_DATA, then ~/.nabla/data)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var run = new Command("run", "run a lab and write its report") { name, quick, outDir, dataRoot, seed };
        run.SetAction(p => CliErrors.Run("lab run", () =>
        {
            string n = p.GetValue(name)!;
            var labs = n == "all" ? LabRegistry.All : [LabRegistry.Find(n)];
            foreach (var lab in labs)
            {
                string? o = p.GetValue(outDir);
                string dir = labs.Count == 1 && o is not null ? o : Path.Combine(o ?? "runs/labs", lab.Name);
                Directory.CreateDirectory(dir);
                Console.WriteLine($"== lab {lab.Name}{(p.GetValue(quick) ? " (quick)" : "")} → {dir}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var r = lab.Run(new LabContext(dir, p.GetValue(quick), p.GetValue(dataRoot), Console.Out, p.GetValue(seed)));
                foreach (var (k, v) in r.Metrics) Console.WriteLine($"   {k} = {LabReport.Format(v)}");
                Console.WriteLine($"   report: {r.ReportPath} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
        }));
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(run);
        return cmd;
    }
}
