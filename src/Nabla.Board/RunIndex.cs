using System.Text.Json.Nodes;

namespace Nabla.Board;

/// <summary>
/// Finds the runs under a root: every folder (at any depth, hidden folders and build output skipped) that holds
/// config.json, metrics.json or metrics.jsonl, or a lab's report.md.
/// </summary>
public static class RunIndex
{
    /// <summary>Files whose presence makes a folder a run.</summary>
    public static readonly string[] Markers = ["config.json", "metrics.json", "metrics.jsonl", "report.md"];

    /// <summary>Image files shown as a run's figures.</summary>
    public static readonly string[] FigureExtensions = [".png", ".svg"];

    /// <summary>How recently metrics.jsonl must have been written, with no final file yet, for a run to count as running.</summary>
    public static readonly TimeSpan RunningWindow = TimeSpan.FromMinutes(10);

    private const int MaxDepth = 12;

    /// <summary>The runs under <paramref name="root"/>, sorted by id.</summary>
    public static List<RunFolder> Scan(RunsRoot root)
    {
        var runs = new List<RunFolder>();
        foreach (var dir in RunDirectories(root.FullPath))
            runs.Add(Read(root, dir));
        runs.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return runs;
    }

    /// <summary>Reads the run in <paramref name="dir"/> (a folder inside the root).</summary>
    public static RunFolder Read(RunsRoot root, string dir)
    {
        var warnings = new List<string>();
        var history = MetricsReader.History(dir, warnings);
        var metrics = MetricsReader.ReadObject(Path.Combine(dir, "metrics.json"), []); // its problems are already in warnings
        var results = MetricsReader.ReadObject(Path.Combine(dir, "results.json"), warnings);
        var config = MetricsReader.Config(dir, metrics, warnings);
        var final = MetricsReader.Final(metrics, results, history);

        DateTime Time(string name) => File.GetLastWriteTimeUtc(Path.Combine(dir, name)); // 1601 when absent
        bool Has(string name) => File.Exists(Path.Combine(dir, name));
        bool hasReport = Has("report.md");
        string kind = hasReport && !Has("metrics.json") && !Has("metrics.jsonl") ? "lab" : "train";
        DateTime modified = Markers.Append("results.json").Select(Time).Max();
        string status;
        if (Has("metrics.jsonl") && Time("metrics.jsonl") > Max(Time("metrics.json"), Time("report.md")))
            status = DateTime.UtcNow - Time("metrics.jsonl") <= RunningWindow ? "running" : "incomplete";
        else status = Has("metrics.json") || hasReport ? "finished" : Has("metrics.jsonl") ? "running" : "incomplete";

        var figures = Directory.EnumerateFiles(dir)
            .Where(f => FigureExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(root.Relative).Order(StringComparer.Ordinal).ToList();
        return new RunFolder(root.Relative(dir), kind, status, modified, config, final, figures,
            hasReport ? root.Relative(Path.Combine(dir, "report.md")) : null, warnings);
    }

    /// <summary>A number that changes when any run file (marker, results, figure) under the root is added, removed,
    /// resized or rewritten: the board's live view reloads when it moves.</summary>
    public static long Signature(RunsRoot root)
    {
        var hash = new HashCode();
        foreach (var dir in Folders(root.FullPath, 0))
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                string name = Path.GetFileName(f);
                if (!Markers.Contains(name) && name != "results.json" && !FigureExtensions.Contains(Path.GetExtension(name).ToLowerInvariant())) continue;
                var info = new FileInfo(f);
                if (!info.Exists) continue;
                hash.Add(f);
                hash.Add(info.Length);
                hash.Add(info.LastWriteTimeUtc.Ticks);
            }
        return hash.ToHashCode();
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static IEnumerable<string> RunDirectories(string root) =>
        Folders(root, 0).Where(d => Markers.Any(m => File.Exists(Path.Combine(d, m))));

    /// <summary>The root and its folders, depth first, without hidden folders, build output, or symbolic links
    /// (a link could lead outside the root or round in a cycle).</summary>
    private static IEnumerable<string> Folders(string dir, int depth)
    {
        yield return dir;
        if (depth >= MaxDepth) yield break;
        IEnumerable<string> children;
        try { children = Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var child in children)
        {
            string name = Path.GetFileName(child);
            if (name.StartsWith('.') || name is "bin" or "obj" or "node_modules") continue;
            if (new DirectoryInfo(child).LinkTarget is not null) continue;
            foreach (var d in Folders(child, depth + 1)) yield return d;
        }
    }
}
