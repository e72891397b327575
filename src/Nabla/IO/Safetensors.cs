using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Nabla.IO;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}, then the raw
/// little-endian, row-major tensor bytes, offsets counted from the end of the header. Written with tensors in name
/// order, packed without gaps, the header padded with spaces to a multiple of 8 bytes; float32, float64 and int32
/// are written as F32, F64, I32. Read with every rule of the format checked (header length within the file, valid
/// JSON, known dtype, shape × item size = byte span, no overflow, offsets in range, no overlap, no hole) and F16/BF16
/// widened to float32, I64/I16/I8/U8/BOOL narrowed or widened into int32 (range-checked). State-dict keys are kept
/// as they are, so PyTorch's names ("0.weight", "bn.running_mean") go both ways.
/// </summary>
public static class Safetensors
{
    /// <summary>The format's limit on the JSON header (100 MB), which guards against a forged header length.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (e.g. <c>module.StateDict()</c>) to <paramref name="path"/>
    /// atomically, with optional string <paramref name="metadata"/> ("__metadata__").</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, _) in entries)
            if (name == "__metadata__") throw new ArgumentException("Safetensors.Save: '__metadata__' is reserved and cannot name a tensor");
        byte[] header = Header(entries, metadata);
        AtomicFile.Write(path, s =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            s.Write(length);
            s.Write(header);
            foreach (var (_, t) in entries) s.Write(LittleEndianBytes(t));
        });
    }

    /// <summary>Reads every tensor of the file (in header order).</summary>
    public static Dictionary<string, Tensor> Load(string path, ReadLimits? limits = null) => Read(path, limits).Tensors;

    /// <summary>Reads the tensors, the "__metadata__" strings and each tensor's stored dtype string. The header is
    /// read and checked against the file's length before any tensor byte is read, so memory stays at the size the
    /// header declares (a forged file with gigabytes after a small header is refused without reading them).</summary>
    public static SafetensorsContent Read(string path, ReadLimits? limits = null)
    {
        Exception Fail(string? tensor, string problem) => new SafetensorsFormatException(path, tensor, problem);
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            long length = f.Length;
            Span<byte> prefix = stackalloc byte[8];
            if (length >= 8) f.ReadExactly(prefix);
            int n = HeaderLength(prefix, length, limits, Fail);
            var headerBytes = new byte[n];
            f.ReadExactly(headerBytes);
            long dataLength = length - 8 - n;
            if (dataLength > Array.MaxLength)
                throw Fail(null, $"{ReadLimits.Size(dataLength)} of tensor data is more than one read can hold ({ReadLimits.Size(Array.MaxLength)})");
            var (metadata, specs) = ParseHeader(headerBytes, dataLength, path, Fail);
            var data = new byte[dataLength];
            f.ReadExactly(data);
            return Decode(data, metadata, specs, Fail);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new SafetensorsFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Parses a whole file's bytes; <paramref name="fileName"/> names it in errors.</summary>
    public static SafetensorsContent Parse(ReadOnlySpan<byte> bytes, string fileName = "<bytes>", ReadLimits? limits = null)
    {
        Exception Fail(string? tensor, string problem) => new SafetensorsFormatException(fileName, tensor, problem);
        int n = HeaderLength(bytes.Length >= 8 ? bytes[..8] : default, bytes.Length, limits, Fail);
        var data = bytes[(8 + n)..];
        var (metadata, specs) = ParseHeader(bytes.Slice(8, n).ToArray(), data.Length, fileName, Fail);
        return Decode(data, metadata, specs, Fail);
    }

    /// <summary>The header length from the first 8 bytes, checked against the format's limit, the text limit and
    /// the file's <paramref name="fileLength"/>.</summary>
    private static int HeaderLength(ReadOnlySpan<byte> prefix, long fileLength, ReadLimits? limits, Func<string?, string, Exception> fail)
    {
        long maxHeader = (limits ?? ReadLimits.Default).MaxTextBytes;
        if (fileLength < 8) throw fail(null, $"{fileLength} bytes is too short for the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes) throw fail(null, $"header length {n} exceeds the format's limit of {MaxHeaderBytes} bytes");
        if (n > (ulong)maxHeader)
            throw fail(null, $"header of {ReadLimits.Size((long)n)} is larger than the {ReadLimits.Size(maxHeader)} a JSON header read whole may hold (ReadLimits.MaxTextBytes)");
        if (n > (ulong)(fileLength - 8)) throw fail(null, $"header length {n} runs past the end of the file ({fileLength} bytes, so at most {fileLength - 8})");
        return (int)n;
    }

    private static int FirstInvalidUtf8(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int used) != System.Buffers.OperationStatus.Done) return i;
            i += used;
        }
        return bytes.Length;
    }

    private sealed record Spec(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End);

    /// <summary>The header's metadata and entries, every rule checked against <paramref name="dataLength"/> data bytes
    /// (the layout covers them exactly), without touching the data.</summary>
    private static (Dictionary<string, string>, List<Spec>) ParseHeader(byte[] headerBytes, long dataLength, string fileName, Func<string?, string, Exception> fail)
    {
        // The format says the header is UTF-8 JSON. JsonDocument accepts invalid UTF-8 inside strings and only fails
        // later, when a name is read (a fuzz finding), so the bytes are checked first.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw fail(null, $"header is not valid UTF-8 (first bad byte at offset {8 + FirstInvalidUtf8(headerBytes)})");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new SafetensorsFormatException(fileName, null, $"header is not valid JSON: {e.Message}", e); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw fail(null, $"header must be a JSON object, got {doc.RootElement.ValueKind}");

        var metadata = new Dictionary<string, string>();
        var specs = new List<Spec>();
        var seen = new HashSet<string>();
        try { ReadEntries(); }
        catch (InvalidOperationException e)
        {
            // an escaped lone surrogate ("\ud800") is valid JSON but not a string .NET can hold
            throw new SafetensorsFormatException(fileName, null, $"header holds a string that is not valid Unicode: {e.Message}", e);
        }
        CheckLayout(specs.Select(s => (s.Name, s.Begin, s.End)).ToList(), dataLength, fail);
        return (metadata, specs);

        void ReadEntries()
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw fail(p.Name, "appears twice in the header");
                if (p.Name == "__metadata__")
                {
                    if (p.Value.ValueKind != JsonValueKind.Object) throw fail(null, "__metadata__ must be an object of strings");
                    foreach (var m in p.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                            : throw fail(null, $"__metadata__ value of '{m.Name}' must be a string, got {m.Value.ValueKind}");
                    continue;
                }
                var (name, dtype, shape, begin, end) = Entry(p, dataLength, fail);
                specs.Add(new Spec(name, dtype, shape, begin, end));
            }
        }
    }

    private static SafetensorsContent Decode(ReadOnlySpan<byte> data, Dictionary<string, string> metadata, List<Spec> specs, Func<string?, string, Exception> fail)
    {
        var tensors = new Dictionary<string, Tensor>();
        var stored = new Dictionary<string, string>();
        foreach (var (name, dtype, shape, begin, end) in specs)
        {
            tensors[name] = dtype.Decode(data[(int)begin..(int)end], shape, problem => fail(name, problem));
            stored[name] = dtype.Name;
        }
        return new SafetensorsContent(tensors, metadata, stored);
    }

    /// <summary>One header entry, checked: known dtype, non-negative shape, in-range offsets, size = span.</summary>
    private static (string, SafetensorsDType, int[], long, long) Entry(JsonProperty p, long dataLength, Func<string?, string, Exception> fail)
    {
        string name = p.Name;
        if (p.Value.ValueKind != JsonValueKind.Object) throw fail(name, $"entry must be an object, got {p.Value.ValueKind}");
        if (!p.Value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw fail(name, "missing string 'dtype'");
        var dtype = SafetensorsDType.Parse(dt.GetString()!)
            ?? throw fail(name, $"dtype '{dt.GetString()}' is not supported (supported: {string.Join(", ", SafetensorsDType.Supported)})");
        ulong[] shape = Integers(p.Value, "shape", name, fail);
        ulong[] offsets = Integers(p.Value, "data_offsets", name, fail);
        if (offsets.Length != 2) throw fail(name, $"data_offsets must be [begin, end], got {offsets.Length} numbers");
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end) throw fail(name, $"data_offsets [{begin}, {end}] end before they begin");
        if (end > (ulong)dataLength) throw fail(name, $"data_offsets [{begin}, {end}] run past the {dataLength} data bytes");
        ulong bytes = (ulong)dtype.ItemSize;
        foreach (ulong d in shape)
        {
            if (d > int.MaxValue) throw fail(name, $"shape [{string.Join(", ", shape)}] has a dim beyond {int.MaxValue}");
            try { bytes = checked(bytes * d); }
            catch (OverflowException) { throw fail(name, $"shape [{string.Join(", ", shape)}] overflows 64 bits of {dtype.Name} bytes"); }
        }
        if (bytes != end - begin)
            throw fail(name, $"shape [{string.Join(", ", shape)}] of {dtype.Name} needs {bytes} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        if (bytes / (ulong)dtype.ItemSize > int.MaxValue) throw fail(name, $"{bytes / (ulong)dtype.ItemSize} elements exceed a Nabla tensor's {int.MaxValue}");
        return (name, dtype, shape.Select(d => (int)d).ToArray(), (long)begin, (long)end);
    }

    private static ulong[] Integers(JsonElement entry, string key, string name, Func<string?, string, Exception> fail)
    {
        if (!entry.TryGetProperty(key, out var a) || a.ValueKind != JsonValueKind.Array) throw fail(name, $"missing array '{key}'");
        return a.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong u) ? u
            : throw fail(name, $"'{key}' must hold non-negative integers, got {v.GetRawText()}")).ToArray();
    }

    /// <summary>The spec's layout rule: the data buffer is covered exactly, without overlaps or holes.</summary>
    private static void CheckLayout(List<(string Name, long Begin, long End)> spans, long dataLength, Func<string?, string, Exception> fail)
    {
        long covered = 0;
        string? previous = null;
        foreach (var (name, begin, end) in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (begin < covered) throw fail(name, $"data_offsets [{begin}, {end}] overlap tensor '{previous}' (which ends at {covered})");
            if (begin > covered) throw fail(name, $"bytes [{covered}, {begin}) before data_offsets [{begin}, {end}] belong to no tensor (the format allows no holes)");
            (covered, previous) = (end, name);
        }
        if (covered != dataLength) throw fail(null, $"data bytes [{covered}, {dataLength}) belong to no tensor (the format allows no trailing bytes)");
    }

    /// <summary>The JSON header with tensors packed in order from offset 0, padded with spaces to a multiple of 8.</summary>
    private static byte[] Header(List<KeyValuePair<string, Tensor>> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            for (int i = 0; i < entries.Count; i++)
            {
                var (name, t) = entries[i];
                long size = (long)t.Numel * t.DType.SizeInBytes();
                w.WriteStartObject(name);
                w.WriteString("dtype", SafetensorsDType.Of(t.DType));
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += size;
            }
            w.WriteEndObject();
        }
        int pad = (int)((8 - ms.Length % 8) % 8);                                  // the data starts 8-byte aligned
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }

    /// <summary>The elements as little-endian bytes in row-major order.</summary>
    internal static byte[] LittleEndianBytes(Tensor t)
    {
        var bytes = new byte[(long)t.Numel * t.DType.SizeInBytes()];
        switch (t.DType)
        {
            case DType.Float32:
                var f = t.ToArray<float>();
                for (int i = 0; i < f.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), f[i]);
                break;
            case DType.Float64:
                var d = t.ToArray<double>();
                for (int i = 0; i < d.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), d[i]);
                break;
            default:
                var n = t.ToArray<int>();
                for (int i = 0; i < n.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), n[i]);
                break;
        }
        return bytes;
    }
}

/// <summary>What <see cref="Safetensors.Read"/> returns: the tensors, the file's "__metadata__", and the dtype string
/// each tensor was stored as (e.g. "I64" for a PyTorch num_batches_tracked read into int32).</summary>
public sealed record SafetensorsContent(
    Dictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> StoredDTypes);
