namespace Nabla.Labs;

/// <summary>
/// A named, runnable reproduction of a course experiment. <see cref="Run"/> writes report.md, results.json,
/// settings.json and its figures into <see cref="LabContext.OutDir"/>. Labs are written on <see cref="Lab{TSettings,TResult}"/>:
/// a settings record with Quick and Full values, an experiment that returns a result record, and a report written from
/// that result in its own file.
/// </summary>
public interface ILab
{
    /// <summary>Command-line name, e.g. "mlp-init".</summary>
    string Name { get; }

    /// <summary>One line for <c>nabla lab list</c>.</summary>
    string Description { get; }

    /// <summary>The settings <c>--set key=value</c> accepts, with their quick and full values (for <c>nabla lab show</c>).</summary>
    IReadOnlyList<SettingInfo> Settings => [];

    LabResult Run(LabContext context);
}

/// <summary>Where and how a lab runs. <paramref name="Overrides"/> are the <c>--set key=value</c> pairs, applied on top
/// of the quick or full settings (unknown keys are an error that lists the valid ones).</summary>
public sealed record LabContext(string OutDir, bool Quick = false, string? DataRoot = null, TextWriter? Log = null, ulong Seed = 0,
    IReadOnlyDictionary<string, string>? Overrides = null)
{
    public TextWriter Out => Log ?? TextWriter.Null;

    public string PathOf(string file) => System.IO.Path.Combine(OutDir, file);
}

/// <summary>The headline numbers of a lab run (also written to results.json).</summary>
public sealed record LabResult(IReadOnlyDictionary<string, double> Metrics, string ReportPath);
