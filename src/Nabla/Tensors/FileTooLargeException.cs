
namespace Nabla;

/// <summary>A JSON or text file (or an archive entry) larger than <see cref="ReadLimits.MaxTextBytes"/>: refused
/// before it is read whole into memory. The message names the file, the entry (for archives), the size and the limit.</summary>
public sealed class FileTooLargeException(string path, string? entry, long bytes, long limit, bool atLeast = false)
    : NablaException($"{path}: {(entry is null ? "" : $"entry '{entry}' ")}holds {(atLeast ? "more than " : "")}{ReadLimits.Size(bytes)}, "
        + $"more than the {ReadLimits.Size(limit)} a JSON or text file read whole may hold (ReadLimits.MaxTextBytes); is it the right file?")
{
    /// <summary>The file at fault.</summary>
    public string Path { get; } = path;

    /// <summary>The archive entry at fault (a checkpoint's "meta.json"), or null for a plain file.</summary>
    public string? Entry { get; } = entry;

    /// <summary>The size found (bytes; a lower bound when the file was still growing or the entry is compressed).</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The limit it exceeds (<see cref="ReadLimits.MaxTextBytes"/>).</summary>
    public long Limit { get; } = limit;
}
