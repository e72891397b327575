
namespace Nabla.Data;

/// <summary>How <see cref="CsvTable"/> reads a file.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Cells that mean "no value" (compared after trimming, case-insensitive); the empty cell always does.</summary>
    public IReadOnlyList<string> MissingMarkers { get; init; } = ["NA", "N/A", "NaN", "null", "?"];

    /// <summary>Bounds on what the file may make the reader hold: a record (a line, or the lines a quoted field
    /// spans) longer than <see cref="ReadLimits.MaxLineLength"/> characters is refused with a
    /// <see cref="CsvFormatException"/> naming its line. Default <see cref="ReadLimits.Default"/>.</summary>
    public ReadLimits? Limits { get; init; }
}
