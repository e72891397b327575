namespace Nabla.Board;

/// <summary>
/// The folder the board serves, and the one gate every path from a request goes through: a relative path is
/// resolved (symbolic links included) and accepted only if the result lies inside the root.
/// </summary>
public sealed class RunsRoot
{
    /// <summary>The root as given, made absolute, with symbolic links resolved.</summary>
    public string FullPath { get; }

    /// <summary>Opens <paramref name="path"/> as the runs root; it must be an existing folder.</summary>
    public RunsRoot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"runs folder '{path}' does not exist");
        FullPath = RealPath(full);
    }

    /// <summary>The absolute path of <paramref name="relative"/> (forward slashes) inside the root, or null when it is
    /// absolute, names a parent (<c>..</c>), holds a control character or a backslash, or leads outside the root
    /// through a symbolic link. The file need not exist.</summary>
    public string? Resolve(string? relative)
    {
        if (relative is null) return null;
        if (relative.Length == 0) return FullPath;
        if (relative.Length > 4096 || Path.IsPathRooted(relative) || relative.StartsWith('/') || relative.Contains('\\')) return null;
        foreach (char c in relative)
            if (char.IsControl(c)) return null;
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or "..")) return null;
        string full = RealPath(Path.GetFullPath(Path.Combine([FullPath, .. parts])));
        return IsInside(full) ? full : null;
    }

    /// <summary>The path of <paramref name="full"/> relative to the root, with forward slashes ("" for the root).</summary>
    public string Relative(string full)
    {
        string rel = Path.GetRelativePath(FullPath, full).Replace('\\', '/');
        return rel == "." ? "" : rel;
    }

    private bool IsInside(string full) =>
        full == FullPath || full.StartsWith(FullPath.EndsWith(Path.DirectorySeparatorChar) ? FullPath : FullPath + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Resolves every symbolic link along <paramref name="full"/> (like realpath(3)); components that do not
    /// exist are kept as written.</summary>
    internal static string RealPath(string full)
    {
        string? root = Path.GetPathRoot(full);
        if (root is null) return full;
        string current = root;
        var rest = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < rest.Length; i++)
        {
            string next = Path.Combine(current, rest[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : RealPath(Path.GetFullPath(target.FullName));
            }
            current = next;
        }
        return current;
    }
}
