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

    /// <summary>Parses meta.json, checking the type and range of every field; <paramref name="fail"/> builds the
    /// exception for a problem (with a message that names the field, never a .NET type).</summary>
    internal static CheckpointMetadata FromJson(JsonNode? node, Func<string, Exception> fail)
    {
        if (node is not JsonObject o) throw fail("metadata is not a JSON object");
        if (!(o["format"] is JsonValue f && f.TryGetValue(out string? format) && format == FormatName)) throw fail($"metadata 'format' is not \"{FormatName}\"");
        long version = Integer(o, "version", fail) ?? throw fail("metadata lacks 'version'");
        if (version > FormatVersion) throw fail($"checkpoint format version {version} is newer than this reader ({FormatVersion})");
        if (version < 1) throw fail($"metadata 'version' is {version}; versions start at 1");
        long epoch = Integer(o, "epoch", fail) ?? 0, step = Integer(o, "step", fail) ?? 0;
        if (epoch < 0 || epoch > int.MaxValue) throw fail($"metadata 'epoch' is {epoch}; it must lie in 0..{int.MaxValue}");
        if (step < 0) throw fail($"metadata 'step' is {step}; it must be at least 0");
        return new CheckpointMetadata
        {
            Epoch = (int)epoch,
            Step = step,
            Options = ObjectOrNull(o, "options", fail),
            Extra = ObjectOrNull(o, "extra", fail),
        };
    }

    private static long? Integer(JsonObject o, string key, Func<string, Exception> fail)
    {
        var n = o[key];
        if (n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue(out long l)) return l;
        if (n is JsonValue d && d.GetValueKind() == System.Text.Json.JsonValueKind.Number && d.TryGetValue(out double x) && x == Math.Floor(x) && Math.Abs(x) < 9e18) return (long)x;
        throw fail($"metadata '{key}' must be an integer, got {Short(n)}");
    }

    private static JsonObject? ObjectOrNull(JsonObject o, string key, Func<string, Exception> fail) => o[key] switch
    {
        null => null,
        JsonObject obj => obj.DeepClone().AsObject(),
        var n => throw fail($"metadata '{key}' must be a JSON object, got {Short(n)}"),
    };

    private static string Short(JsonNode n)
    {
        string s = n.ToJsonString();
        return s.Length <= 40 ? s : s[..37] + "...";
    }
}
