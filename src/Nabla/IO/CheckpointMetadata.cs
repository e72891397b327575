using System.Text.Json.Nodes;

namespace Nabla.IO;

/// <summary>The non-tensor part of a checkpoint, stored as the "meta.json" entry: where training stands
/// (<see cref="Epoch"/>, <see cref="Step"/>), the run's options, and free-form state such as RNG seeds,
/// scheduler state or optimizer scalars (<see cref="Extra"/>).</summary>
public sealed record CheckpointMetadata
{
    /// <summary>Number of completed epochs.</summary>
    public int Epoch { get; init; }

    /// <summary>Number of completed optimizer steps.</summary>
    public long Step { get; init; }

    /// <summary>The options the run was started with (for instance <c>JsonSerializer.SerializeToNode(options)</c>).</summary>
    public JsonObject? Options { get; init; }

    /// <summary>Anything else to restore: RNG seed/state, learning-rate scheduler position, best metric so far.</summary>
    public JsonObject? Extra { get; init; }

    internal const string FormatName = "nabla.checkpoint";
    internal const int FormatVersion = 1;

    internal JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = FormatVersion,
        ["epoch"] = Epoch,
        ["step"] = Step,
        ["options"] = Options?.DeepClone(),
        ["extra"] = Extra?.DeepClone(),
    };

    /// <summary>Parses meta.json; <paramref name="fail"/> builds the exception for a problem.</summary>
    internal static CheckpointMetadata FromJson(JsonNode? node, Func<string, Exception> fail)
    {
        if (node is not JsonObject o) throw fail("metadata is not a JSON object");
        if ((string?)o["format"] != FormatName) throw fail($"metadata 'format' is not \"{FormatName}\"");
        int version = (int?)o["version"] ?? throw fail("metadata lacks 'version'");
        if (version > FormatVersion) throw fail($"checkpoint format version {version} is newer than this reader ({FormatVersion})");
        try
        {
            return new CheckpointMetadata
            {
                Epoch = (int?)o["epoch"] ?? 0,
                Step = (long?)o["step"] ?? 0,
                Options = o["options"] is JsonNode opt ? opt.AsObject().DeepClone().AsObject() : null,
                Extra = o["extra"] is JsonNode ex ? ex.AsObject().DeepClone().AsObject() : null,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw fail($"metadata field has the wrong type ({e.Message})");
        }
    }
}
