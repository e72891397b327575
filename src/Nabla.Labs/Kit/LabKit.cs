
namespace Nabla.Labs;

/// <summary>
/// What an experiment uses besides its settings: the output folder, the log, the seed, the data root and (in the other
/// <c>LabKit.*.cs</c> files) the shared data loaders and training helpers, so labs do not hand-roll them.
/// </summary>
public sealed partial class LabKit(LabContext context, string labName)
{
    public LabContext Context { get; } = context;

    public string LabName { get; } = labName;

    /// <summary>Progress log (the console under <c>nabla lab run</c>).</summary>
    public TextWriter Out => Context.Out;

    /// <summary>The lab's output folder (exists).</summary>
    public string Dir => Context.OutDir;

    public string PathOf(string file) => Context.PathOf(file);

    public ulong Seed => Context.Seed;

    public bool Quick => Context.Quick;

    /// <summary>Explicit data root (<c>--data-root</c>) or null for $NABLA_DATA, then ~/.nabla/data.</summary>
    public string? DataRoot => Context.DataRoot;

    /// <summary>A generator seeded from the run's seed plus <paramref name="offset"/> (distinct streams per use).</summary>
    public Generator Generator(ulong offset = 0) => new(Seed + offset);
}
