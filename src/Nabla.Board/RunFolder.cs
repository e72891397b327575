using System.Text.Json.Nodes;

namespace Nabla.Board;

/// <summary>One run folder as the board shows it.</summary>
/// <param name="Id">Its path relative to the runs root, with forward slashes ("" when the root itself is a run).</param>
/// <param name="Kind"><c>train</c> (metrics or config files) or <c>lab</c> (a report.md without metrics).</param>
/// <param name="Status"><c>finished</c> (a final metrics.json or a lab report newer than the epoch log),
/// <c>running</c> (metrics.jsonl written in the last <see cref="RunIndex.RunningWindow"/>, no final file yet) or
/// <c>incomplete</c> (an epoch log that stopped without a final file).</param>
/// <param name="Modified">The newest write time among its marker files (UTC).</param>
/// <param name="Config">The configuration, one level of key → scalar.</param>
/// <param name="Final">The final metrics and what the history says.</param>
/// <param name="Figures">Its images (*.png, *.svg), relative to the runs root.</param>
/// <param name="Report">Its report.md relative to the runs root, or null.</param>
/// <param name="Warnings">Problems met while reading its files (file and line).</param>
public sealed record RunFolder(string Id, string Kind, string Status, DateTime Modified, JsonObject Config, JsonObject Final,
    IReadOnlyList<string> Figures, string? Report, IReadOnlyList<string> Warnings)
{
    /// <summary>The run as the JSON API returns it.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["kind"] = Kind,
        ["status"] = Status,
        ["modified"] = Modified.ToString("O"),
        ["config"] = Config.DeepClone(),
        ["final"] = Final.DeepClone(),
        ["figures"] = new JsonArray(Figures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
        ["report"] = Report,
        ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
    };
}
