namespace Nabla.Data;

/// <summary>
/// Where datasets live. The data root is, in order of precedence: an explicit path (a <c>--data-root</c> option),
/// the <c>NABLA_DATA</c> environment variable, then <c>~/.nabla/data</c>. A dataset sits in
/// <c>&lt;root&gt;/&lt;name&gt;/</c> (e.g. <c>&lt;root&gt;/mnist/train-images-idx3-ubyte.gz</c>); an explicit
/// root may also be the dataset folder itself, and system folders (Debian's /usr/share/datasets/...) come last.
/// </summary>
public static class DataRoot
{
    /// <summary>The environment variable naming the data root.</summary>
    public const string EnvironmentVariable = "NABLA_DATA";

    /// <summary>~/.nabla/data</summary>
    public static string DefaultRoot =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nabla", "data");

    /// <summary>The data root and where it came from ("explicit", "NABLA_DATA" or "default").</summary>
    /// <param name="explicitRoot">a path given by the caller; wins when not empty</param>
    /// <param name="environment">reads an environment variable (default: the process environment; tests pass their own)</param>
    public static (string Path, string Source) Resolve(string? explicitRoot = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return (Path.GetFullPath(explicitRoot), "explicit");
        string? env = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return (Path.GetFullPath(env), EnvironmentVariable);
        return (DefaultRoot, "default");
    }

    /// <summary>The folders searched for <paramref name="spec"/>, in order.</summary>
    public static IReadOnlyList<string> Candidates(DatasetSpec spec, string? explicitRoot = null, Func<string, string?>? environment = null)
    {
        var (root, source) = Resolve(explicitRoot, environment);
        var dirs = new List<string> { Path.Combine(root, spec.Name) };
        if (source == "explicit") dirs.Add(root);
        dirs.AddRange(spec.SystemDirectories);
        return dirs;
    }

    /// <summary>The first candidate folder holding every file of <paramref name="spec"/> (gzip or uncompressed), or null.</summary>
    public static string? Find(DatasetSpec spec, string? explicitRoot = null, Func<string, string?>? environment = null)
    {
        foreach (var dir in Candidates(spec, explicitRoot, environment))
            if (spec.IsIn(dir)) return dir;
        return null;
    }

    /// <summary>Like <see cref="Find"/> but throws <see cref="DatasetNotFoundException"/> listing the folders searched.</summary>
    public static string Locate(DatasetSpec spec, string? explicitRoot = null, Func<string, string?>? environment = null) =>
        Find(spec, explicitRoot, environment) ?? throw NotFound(spec, explicitRoot, environment);

    internal static DatasetNotFoundException NotFound(DatasetSpec spec, string? explicitRoot, Func<string, string?>? environment)
    {
        var (root, _) = Resolve(explicitRoot, environment);
        return new DatasetNotFoundException(
            $"{spec.Title} not found; looked in {string.Join(", ", Candidates(spec, explicitRoot, environment))} for " +
            $"{spec.Expected ?? string.Join(", ", spec.Files.Select(f => f.FileName)) + " (or uncompressed)"}. Put the files in " +
            $"{Path.Combine(root, spec.Name)}, set {EnvironmentVariable} (or --data-root) to a folder holding {spec.Name}/, " +
            (spec.Mirrors.Count > 0 ? $"or run 'nabla data download --data {spec.Name}'" : "or fetch them by hand"));
    }

    /// <summary>The path of a published file in <paramref name="dir"/>: as published (".gz"), uncompressed, or with
    /// the dotted name some copies use (train-images.idx3-ubyte); null when absent.</summary>
    public static string? FindFile(string dir, string publishedName)
    {
        string raw = publishedName.EndsWith(".gz", StringComparison.Ordinal) ? publishedName[..^3] : publishedName;
        int ubyte = raw.LastIndexOf("-ubyte", StringComparison.Ordinal);
        int dash = ubyte > 0 ? raw.LastIndexOf('-', ubyte - 1) : -1;
        string dotted = dash > 0 ? raw[..dash] + "." + raw[(dash + 1)..] : raw;
        foreach (var name in new[] { publishedName, raw, dotted + ".gz", dotted })
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
