using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.Board;

/// <summary>
/// Reads a run folder's files as the run-folder contract writes them: <c>metrics.jsonl</c> (one JSON object per
/// finished epoch, appended while the run trains), <c>metrics.json</c> (the final summary with <c>history</c>),
/// <c>config.json</c>, and for lab folders <c>settings.json</c> and <c>results.json</c>. A file being written, a
/// malformed line or a missing file never throws: the problem goes to the warnings with the file and line.
/// </summary>
public static class MetricsReader
{
    /// <summary>The per-epoch records, in file order: those of metrics.jsonl, or metrics.json's <c>history</c> when
    /// that holds more (a run from before metrics.jsonl existed, or one whose log was cut short).</summary>
    public static List<JsonObject> History(string dir, List<string> warnings)
    {
        var lines = ReadJsonl(Path.Combine(dir, "metrics.jsonl"), warnings);
        var final = ReadObject(Path.Combine(dir, "metrics.json"), warnings);
        var fromFinal = new List<JsonObject>();
        if (final?["history"] is JsonArray arr)
            foreach (var (node, i) in arr.Select((n, i) => (n, i)))
            {
                if (node is JsonObject o && IsEpochRecord(o)) fromFinal.Add((JsonObject)o.DeepClone());
                else warnings.Add($"metrics.json: history[{i}] is not an epoch record (an object with a numeric \"epoch\")");
            }
        return fromFinal.Count > lines.Count ? fromFinal : lines;
    }

    /// <summary>Reads a JSON-lines file; a last line without its newline that does not parse is a record still being
    /// written and is left out silently.</summary>
    internal static List<JsonObject> ReadJsonl(string path, List<string> warnings)
    {
        var records = new List<JsonObject>();
        string? text = ReadShared(path, warnings);
        if (text is null) return records;
        var lines = text.Split('\n');
        string name = Path.GetFileName(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            bool unterminated = i == lines.Length - 1;
            JsonNode? node;
            try { node = JsonNode.Parse(line); }
            catch (JsonException e)
            {
                if (!unterminated) warnings.Add($"{name} line {i + 1}: not JSON ({e.Message})");
                continue;
            }
            if (node is JsonObject o && IsEpochRecord(o)) records.Add(o);
            else warnings.Add($"{name} line {i + 1}: not an epoch record (an object with a numeric \"epoch\")");
        }
        return records;
    }

    /// <summary>The JSON object in <paramref name="path"/>, or null (with a warning unless the file is absent).</summary>
    public static JsonObject? ReadObject(string path, List<string> warnings)
    {
        string? text = ReadShared(path, warnings);
        if (text is null) return null;
        try
        {
            if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }) is JsonObject o) return o;
            warnings.Add($"{Path.GetFileName(path)}: not a JSON object");
        }
        catch (JsonException e) { warnings.Add($"{Path.GetFileName(path)}: not JSON ({e.Message})"); }
        return null;
    }

    /// <summary>The configuration as one level of <c>key → scalar</c>: config.json, else a lab's settings.json, else
    /// the <c>options</c> a final metrics.json carries. Keys of a nested <c>options</c> object come up to the top;
    /// other nested objects become dotted keys; arrays become their JSON text.</summary>
    public static JsonObject Config(string dir, JsonObject? finalMetrics, List<string> warnings)
    {
        var flat = new JsonObject();
        JsonObject? source = ReadObject(Path.Combine(dir, "config.json"), warnings)
                             ?? ReadObject(Path.Combine(dir, "settings.json"), warnings);
        if (source is null && finalMetrics is not null)
        {
            source = new JsonObject();
            foreach (var key in new[] { "model", "data" })
                if (finalMetrics[key] is JsonValue v) source[key] = v.DeepClone();
            if (finalMetrics["options"] is JsonObject opts) source["options"] = opts.DeepClone();
        }
        if (source is not null) Flatten(source, "", flat);
        return flat;
    }

    /// <summary>The final numbers: a metrics.json's (or a lab's results.json's) scalar fields, then what the history
    /// says (epochs done; last and best validation accuracy; last train loss and learning rate).</summary>
    public static JsonObject Final(JsonObject? finalMetrics, JsonObject? labResults, IReadOnlyList<JsonObject> history)
    {
        var final = new JsonObject();
        foreach (var src in new[] { labResults, finalMetrics })
            if (src is not null)
                foreach (var (key, value) in src)
                    if (value is JsonValue v && key is not ("model" or "data")) final[key] = v.DeepClone();
        final["epochs"] = history.Count;
        if (history.Count > 0)
        {
            var last = history[^1];
            foreach (var (key, name) in new[] { ("val_accuracy", "val_accuracy"), ("train_loss", "train_loss"), ("val_loss", "val_loss"), ("lr", "lr") })
                if (Number(last, key) is double d) final[name] = d;
            var best = history.Select(h => Number(h, "val_accuracy")).Where(d => d is not null).Max();
            if (best is double b) final["best_val_accuracy"] = b;
        }
        return final;
    }

    /// <summary>The number at <paramref name="key"/>, or null when absent, null or not a number.</summary>
    public static double? Number(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) // any numeric CLR type, or parsed JSON
            : null;

    private static bool IsEpochRecord(JsonObject o) => Number(o, "epoch") is not null;

    private static void Flatten(JsonObject o, string prefix, JsonObject into)
    {
        foreach (var (key, value) in o)
        {
            string name = prefix.Length == 0 && key == "options" && value is JsonObject ? "" : prefix + key;
            switch (value)
            {
                case JsonObject child: Flatten(child, name.Length == 0 ? "" : name + ".", into); break;
                case JsonArray arr: into[name] = arr.ToJsonString(); break;
                case null: into[name] = null; break;
                default: into[name] = value.DeepClone(); break;
            }
        }
    }

    /// <summary>Largest run-folder file (metrics, config, report) the board reads whole: 64 MiB (Nabla writes a few
    /// kilobytes to a few megabytes); a larger one is left out with a warning instead of filling the server's memory.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>The first <c>limit</c> bytes of a stream, for a file another process may still be appending to.</summary>
    private sealed class LimitedPrefix(Stream inner, long limit) : Stream
    {
        private long _left = limit;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left <= 0) return 0;
            int got = inner.Read(buffer, offset, (int)Math.Min(count, _left));
            _left -= got;
            return got;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The file's text, read while another process may be appending to it; null when it does not exist.</summary>
    private static string? ReadShared(string path, List<string> warnings)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (s.Length > MaxFileBytes)
            {
                warnings.Add($"{Path.GetFileName(path)}: {s.Length} bytes, more than the {MaxFileBytes} the board reads; left out");
                return null;
            }
            // a file still growing: at most MaxFileBytes of it
            using var r = new StreamReader(new LimitedPrefix(s, MaxFileBytes), Encoding.UTF8);
            return r.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{Path.GetFileName(path)}: cannot be read ({e.Message})");
            return null;
        }
    }
}
