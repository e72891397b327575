
namespace Nabla.Data;

/// <summary>A data file that is missing, truncated or malformed. The message names the file, the problem and,
/// for text formats, the line (and column) where it was found.</summary>
public sealed class DataFormatException(string message, Exception? inner = null) : NablaException(message, inner)
{
    public static DataFormatException For(string path, string problem, Exception? inner = null) =>
        new($"{path}: {problem}", inner);

    public static DataFormatException AtLine(string path, long line, string problem) =>
        new($"{path}, line {line}: {problem}");
}

/// <summary>A dataset that could not be found locally or fetched (offline, every mirror failed, checksum mismatch).</summary>
public sealed class DataDownloadException(string message, Exception? inner = null) : NablaException(message, inner);

/// <summary>A dataset that is not under any of the data roots searched; the message lists them and how to fix it.</summary>
public sealed class DatasetNotFoundException(string message) : NablaException(message);
