
namespace Nabla.IO;

/// <summary>A .npy/.npz/checkpoint file that cannot be read: bad magic, malformed header, unsupported dtype,
/// truncated data, broken ZIP. The message names the file, the entry (for archives) and the problem.</summary>
public sealed class NpzFormatException : NablaException
{
    public NpzFormatException(string fileName, string? entryName, string problem, Exception? inner = null)
        : base(Compose(fileName, entryName, problem), inner)
    {
        FileName = fileName;
        EntryName = entryName;
        Problem = problem;
    }

    /// <summary>The file (or a stream description such as "&lt;stream&gt;").</summary>
    public string FileName { get; }

    /// <summary>The archive entry ("layers.0.weight.npy"), or null for a bare .npy file or the archive as a whole.</summary>
    public string? EntryName { get; }

    public string Problem { get; }

    private static string Compose(string file, string? entry, string problem) =>
        entry is null ? $"{file}: {problem}" : $"{file}: entry '{entry}': {problem}";
}
