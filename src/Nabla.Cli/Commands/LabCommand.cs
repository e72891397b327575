using System.CommandLine;
using Nabla.Labs;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla lab list</c>, <c>nabla lab show NAME</c> and <c>nabla lab run NAME [--quick] [--out DIR] [--set key=value]…</c>:
/// course experiments that write a report folder (report.md, results.json, figures).</summary>
public static class LabCommand
{
    /// <summary>Builds the <c>nabla lab</c> command: its arguments, options and handler (System.CommandLine).</summary>
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
        var set = new Option<string[]>("--set") { Description = "override a setting, key=value (repeatable; `nabla lab show NAME` lists them)" };
        var run = new Command("run", "run a lab and write its report") { name, quick, outDir, dataRoot, seed, set };
        run.SetAction(p => CliErrors.Run("lab run", () =>
        {
            string n = p.GetValue(name)!;
            var labs = n == "all" ? LabRegistry.All : [LabRegistry.Find(n)];
            var overrides = ParseSets(p.GetValue(set) ?? []);
            if (overrides.Count > 0 && labs.Count > 1) throw new ArgumentException("--set applies to one lab at a time, not to 'all'");
            foreach (var lab in labs) CheckKeys(lab, overrides);
            foreach (var lab in labs)
            {
                string? o = p.GetValue(outDir);
                string dir = labs.Count == 1 && o is not null ? o : Path.Combine(o ?? "runs/labs", lab.Name);
                Directory.CreateDirectory(dir);
                Console.WriteLine($"== lab {lab.Name}{(p.GetValue(quick) ? " (quick)" : "")} → {dir}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var r = lab.Run(new LabContext(dir, p.GetValue(quick), p.GetValue(dataRoot), Console.Out, p.GetValue(seed), overrides));
                foreach (var (k, v) in r.Metrics) Console.WriteLine($"   {k} = {LabReport.Format(v)}");
                Console.WriteLine($"   report: {r.ReportPath} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
        }));
        var showName = new Argument<string>("name") { Description = "lab name" };
        var show = new Command("show", "a lab's settings: key, type, quick and full values, meaning") { showName };
        show.SetAction(p => CliErrors.Run("lab show", () =>
        {
            var lab = LabRegistry.Find(p.GetValue(showName)!);
            Console.WriteLine($"{lab.Name}: {lab.Description}");
            if (lab.Settings.Count == 0) { Console.WriteLine("(no settings)"); return; }
            Console.WriteLine($"{"key",-22} {"type",-12} {"quick",-14} {"full",-14} meaning");
            foreach (var s in lab.Settings) Console.WriteLine($"{s.Key,-22} {s.Type,-12} {s.QuickValue,-14} {s.FullValue,-14} {s.Description}");
        }));
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(show);
        cmd.Subcommands.Add(run);
        return cmd;
    }

    /// <summary>"key=value" pairs → dictionary; a malformed or repeated pair is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, string> ParseSets(IEnumerable<string> sets)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in sets)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--set '{s}': expected key=value");
            string key = s[..eq].Trim();
            if (!d.TryAdd(key, s[(eq + 1)..].Trim())) throw new ArgumentException($"--set {key} is given twice");
        }
        return d;
    }

    private static void CheckKeys(ILab lab, IReadOnlyDictionary<string, string> overrides)
    {
        var valid = lab.Settings.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in overrides.Keys.Where(k => !valid.Contains(k)))
            throw new ArgumentException(valid.Count == 0
                ? $"lab '{lab.Name}' has no settings; '--set {key}=…' is not accepted"
                : $"lab '{lab.Name}' has no setting '{key}'; valid settings: {string.Join(", ", valid.Order(StringComparer.Ordinal))}");
    }
}
