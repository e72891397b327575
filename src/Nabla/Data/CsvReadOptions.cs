namespace Nabla.Data;

/// <summary>How <see cref="CsvTable"/> reads a file.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Cells that mean "no value" (compared after trimming, case-insensitive); the empty cell always does.</summary>
    public IReadOnlyList<string> MissingMarkers { get; init; } = ["NA", "N/A", "NaN", "null", "?"];
}
