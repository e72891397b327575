using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nabla.Labs;

/// <summary>Builds a lab's report.md (Markdown with tables and linked figures) and results.json.</summary>
public sealed class LabReport(string labName, string title)
{
    private readonly StringBuilder _md = new($"# {title}\n\n");
    private readonly Dictionary<string, double> _metrics = [];
    private LabContext? _ctx;

    /// <summary>A report for a run in <paramref name="ctx"/>: a smoke run's first line says so (by default every quick
    /// run is one; the harness passes false when a lab's quick settings equal its full ones).</summary>
    public LabReport(string labName, string title, LabContext ctx, bool? smoke = null)
        : this(labName, smoke ?? ctx.Quick ? $"{title} — smoke run (--quick: tiny sizes; its numbers are not the lab's results)" : title)
    {
        _ctx = ctx;
    }

    /// <summary>The folder the report is written to (figures go beside it).</summary>
    public string OutDir => _ctx?.OutDir ?? throw new InvalidOperationException("this report was made without a LabContext");

    public string PathOf(string file) => Path.Combine(OutDir, file);

    /// <summary>Appends the settings table (every setting's value in this run, and which were overridden).</summary>
    public LabReport Settings<T>(IReadOnlyList<SettingInfo> infos, T used) where T : class
    {
        if (infos.Count == 0) return this;
        var now = LabSettings.Describe(used, used);
        Heading("Settings");
        Table(["setting", "value", "meaning"], infos.Zip(now).Select(p => (IReadOnlyList<object>)[
            $"`{p.First.Key}`", p.Second.FullValue + (_ctx?.Overrides?.ContainsKey(p.First.Key) == true ? " (--set)" : ""), p.First.Description]));
        return this;
    }

    public LabReport Paragraph(string text)
    {
        _md.Append(text.Trim()).Append("\n\n");
        return this;
    }

    public LabReport Heading(string text)
    {
        _md.Append("## ").Append(text).Append("\n\n");
        return this;
    }

    public LabReport Code(string text)
    {
        _md.Append("```\n").Append(text.TrimEnd()).Append("\n```\n\n");
        return this;
    }

    /// <summary>A Markdown table; cells are formatted with the invariant culture.</summary>
    public LabReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object>> rows)
    {
        _md.Append("| ").Append(string.Join(" | ", headers)).Append(" |\n|");
        foreach (var _ in headers) _md.Append("---|");
        _md.Append('\n');
        foreach (var r in rows) _md.Append("| ").Append(string.Join(" | ", r.Select(Format))).Append(" |\n");
        _md.Append('\n');
        return this;
    }

    /// <summary>Links a figure file (relative to the report) with a caption.</summary>
    public LabReport Figure(string file, string caption)
    {
        _md.Append($"![{caption}]({file})\n\n*{caption}*\n\n");
        return this;
    }

    /// <summary>Records a headline number (results.json) — not shown unless also put in a table.</summary>
    public LabReport Metric(string name, double value)
    {
        _metrics[name] = value;
        return this;
    }

    public static string Format(object v) => v switch
    {
        double d when double.IsNaN(d) => "–",
        double d when Math.Abs(d) >= 1e5 || (d != 0 && Math.Abs(d) < 1e-3) => d.ToString("0.###e+0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>Writes report.md and results.json into the context's folder.</summary>
    public LabResult Save(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        string sets = string.Concat((ctx.Overrides ?? new Dictionary<string, string>()).Select(kv => $" --set {kv.Key}={kv.Value}"));
        _md.Append($"---\nReproduce with `./nabla lab run {labName}{(ctx.Quick ? " --quick" : "")}{(ctx.Seed != 0 ? $" --seed {ctx.Seed}" : "")}{sets}` " +
                   $"(seed {ctx.Seed}; written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on a {Environment.ProcessorCount}-core machine).\n");
        string report = ctx.PathOf("report.md");
        File.WriteAllText(report, _md.ToString());
        var json = _metrics.ToDictionary(kv => kv.Key, kv => double.IsFinite(kv.Value) ? (object)kv.Value : null);
        File.WriteAllText(ctx.PathOf("results.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        return new LabResult(_metrics, report);
    }
}
