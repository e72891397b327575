using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Nabla.Cli.Composition;

/// <summary>JSON conventions of the CLI's output files: indented, snake_case names, NaN written as null.</summary>
public static class Json
{
    /// <summary>The JSON settings of every file the CLI writes (snake_case names, indented).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One-line JSON (for messages).</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    /// <summary>A number rounded to 6 decimals, or null when it is NaN or infinite (JSON has no such numbers).</summary>
    public static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
