using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Nabla.Cli.Composition;

/// <summary>JSON conventions of the CLI's output files: indented, snake_case names, NaN written as null.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
