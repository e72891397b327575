namespace Nabla.Labs;

/// <summary>
/// The shape of every lab: a settings record <typeparamref name="TSettings"/> with <see cref="Quick"/> (the smoke run CI
/// does) and <see cref="Full"/> values whose <see cref="SettingAttribute"/> properties <c>--set key=value</c> overrides;
/// an <see cref="Experiment"/> that computes everything and returns a result record <typeparamref name="TResult"/> (no
/// prose); and a <see cref="Report"/>, kept in its own file (<c>NameLab.Report.cs</c>), that writes report.md from the
/// result alone. Sentences that interpret a result are chosen by tested rules on the numbers (see <see cref="Says"/>).
/// </summary>
public abstract class Lab<TSettings, TResult> : ILab where TSettings : class
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The report's title.</summary>
    public abstract string Title { get; }

    /// <summary>Small sizes: a smoke run that exercises every code path in seconds (its report says so first).</summary>
    public abstract TSettings Quick { get; }

    /// <summary>The sizes whose results the README quotes.</summary>
    public abstract TSettings Full { get; }

    public IReadOnlyList<SettingInfo> Settings => LabSettings.Describe(Quick, Full);

    /// <summary>Runs the experiment. Writes figures or model files through <paramref name="kit"/> if it must, logs
    /// progress to <see cref="LabKit.Out"/>, and returns every number the report needs.</summary>
    public abstract TResult Experiment(TSettings settings, LabKit kit);

    /// <summary>Writes the report from <paramref name="result"/> (tables, figures, discussion) and records the headline
    /// metrics with <see cref="LabReport.Metric"/>.</summary>
    public abstract void Report(LabReport report, TSettings settings, TResult result);

    /// <summary>The quick or full settings with the context's overrides applied.</summary>
    public TSettings SettingsFor(LabContext ctx) => LabSettings.Apply(ctx.Quick ? Quick : Full, ctx.Overrides, Name);

    public LabResult Run(LabContext ctx)
    {
        var settings = SettingsFor(ctx);   // an unknown or malformed --set fails here, before anything is allocated
        Directory.CreateDirectory(ctx.OutDir);
        var result = Experiment(settings, new LabKit(ctx, Name));
        // A lab whose quick and full settings are the same (nothing to shrink) is not a smoke run even under --quick.
        bool smoke = ctx.Quick && !Settings.All(i => i.QuickValue == i.FullValue);
        var report = new LabReport(Name, Title, ctx, smoke);
        Report(report, settings, result);
        report.Settings(Settings, settings);
        return report.Save(ctx);
    }
}
