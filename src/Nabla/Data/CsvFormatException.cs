
namespace Nabla.Data;

/// <summary>A CSV table that cannot be read as asked: the message and the properties name the file, the line
/// (1-based, counting the header) and, when one is at fault, the column.</summary>
public sealed class CsvFormatException(string path, long line, string? column, string problem)
    : NablaException($"{path}, line {line}{(column is null ? "" : $", column '{column}'")}: {problem}")
{
    /// <summary>The file (or source name) read.</summary>
    public string Path { get; } = path;

    /// <summary>1-based line number in the file where the problem was found (0 when the file as a whole is at fault).</summary>
    public long Line { get; } = line;

    /// <summary>The column at fault, or null.</summary>
    public string? Column { get; } = column;
}
