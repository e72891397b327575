namespace Nabla.Labs;

/// <summary>
/// A named, runnable reproduction of a course experiment. <see cref="Run"/> writes report.md, results.json and its
/// figures into <see cref="LabContext.OutDir"/>; <see cref="LabContext.Quick"/> selects a small size that CI runs.
/// </summary>
public interface ILab
{
    /// <summary>Command-line name, e.g. "mlp-init".</summary>
    string Name { get; }

    /// <summary>One line for <c>nabla lab list</c>.</summary>
    string Description { get; }

    LabResult Run(LabContext context);
}

/// <summary>Where and how a lab runs.</summary>
public sealed record LabContext(string OutDir, bool Quick = false, string? DataRoot = null, TextWriter? Log = null, ulong Seed = 0)
{
    public TextWriter Out => Log ?? TextWriter.Null;

    public string PathOf(string file) => System.IO.Path.Combine(OutDir, file);
}

/// <summary>The headline numbers of a lab run (also written to results.json).</summary>
public sealed record LabResult(IReadOnlyDictionary<string, double> Metrics, string ReportPath);
