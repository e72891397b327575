using System.Buffers.Binary;
using System.Text;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.IO;

/// <summary>safetensors round trips, the exact bytes Nabla writes, and a typed error naming the file and tensor for
/// every rule of the format a file can break.</summary>
public class SafetensorsTests
{
    /// <summary>A file from a header JSON and data bytes (header length written as given, or its true length).</summary>
    private static byte[] File(string header, byte[] data, ulong? headerLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }

    [Fact]
    public void Round_trip_keeps_names_dtypes_shapes_values_and_metadata()
    {
        using var dir = new TempDir();
        var tensors = new Dictionary<string, Tensor>
        {
            ["layer.weight"] = Tensor.Randn([3, 4], generator: new Generator(1)),
            ["x64"] = Tensor.Randn([2, 1, 3], dtype: DType.Float64, generator: new Generator(2)),
            ["count"] = Tensor.FromArray([7, -3, int.MaxValue, int.MinValue], 2, 2),
            ["scalar"] = Tensor.Full([], 2.5f),
            ["empty"] = Tensor.Zeros(0, 5),
            ["strided"] = Tensor.Randn([4, 3], generator: new Generator(3)).Transpose(0, 1),
        };
        string path = dir.File("t.safetensors");
        Safetensors.Save(tensors, path, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });
        var back = Safetensors.Read(path);
        Assert.Equal(tensors.Keys.Order(), back.Tensors.Keys.Order());
        foreach (var (k, t) in tensors)
        {
            Assert.Equal(t.DType, back.Tensors[k].DType);
            Assert.Equal(t.Shape.ToArray(), back.Tensors[k].Shape.ToArray());
            Assert.Equal(t.ToDoubleArray(), back.Tensors[k].ToDoubleArray());
        }
        Assert.Equal("ünïcode", back.Metadata["note"]);
        Assert.Equal("I32", back.StoredDTypes["count"]);
    }

    [Fact]
    public void Writes_the_spec_layout_byte_for_byte()
    {
        using var dir = new TempDir();
        string path = dir.File("t.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["b"] = Tensor.FromArray([1, 2], 2), ["a"] = Tensor.FromArray([1.5f], 1) }, path);
        var bytes = System.IO.File.ReadAllBytes(path);
        const string json = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[2],"data_offsets":[4,12]}}""";
        int padded = (json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json.PadRight(padded), Encoding.UTF8.GetString(bytes, 8, padded));
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + padded)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8 + padded + 8)));
        Assert.Equal(8 + padded + 12, bytes.Length);
    }

    [Fact]
    public void A_model_state_dict_round_trips_into_a_fresh_model()
    {
        using var dir = new TempDir();
        var a = Cnn.Create(new CnnOptions(BatchNorm: true), new Generator(1));
        a.Train();
        using (GradMode.NoGrad()) a.Invoke(Tensor.Randn([4, 1, 28, 28], generator: new Generator(2)));   // moves the BN buffers
        Safetensors.Save(a.StateDict(), dir.File("cnn.safetensors"));
        var b = Cnn.Create(new CnnOptions(BatchNorm: true), new Generator(9));
        b.LoadStateDict(Safetensors.Load(dir.File("cnn.safetensors")));
        foreach (var (k, t) in a.StateDict()) Assert.Equal(t.ToDoubleArray(), b.StateDict()[k].ToDoubleArray());
        Assert.Equal(1, b.StateDict()["1.num_batches_tracked"].Item());
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_file_untouched()
    {
        using var dir = new TempDir();
        string path = dir.File("t.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(3) }, path);
        var before = System.IO.File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }, path));
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
    }

    [Fact]
    public void Widens_and_narrows_the_stored_dtypes()
    {
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes((Half)1.5)); data.AddRange(BitConverter.GetBytes((Half)(-0.25)));            // F16
        data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(3.0f) >> 16)));                      // BF16 3.0
        data.AddRange(BitConverter.GetBytes(-5L)); data.AddRange(BitConverter.GetBytes(1L << 30));                       // I64
        data.AddRange([200, 1, 0]);                                                                                      // U8 ×2, BOOL
        const string header = """
            {"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"bf":{"dtype":"BF16","shape":[],"data_offsets":[4,6]},
             "l":{"dtype":"I64","shape":[2],"data_offsets":[6,22]},"u":{"dtype":"U8","shape":[2],"data_offsets":[22,24]},
             "ok":{"dtype":"BOOL","shape":[1],"data_offsets":[24,25]}}
            """;
        var r = Safetensors.Parse(File(header, [.. data]));
        Assert.Equal([1.5, -0.25], r.Tensors["h"].ToDoubleArray());
        Assert.Equal(DType.Float32, r.Tensors["bf"].DType);
        Assert.Equal(3.0, r.Tensors["bf"].Item());
        Assert.Equal([-5.0, 1 << 30], r.Tensors["l"].ToDoubleArray());
        Assert.Equal([200.0, 1], r.Tensors["u"].ToDoubleArray());
        Assert.Equal([0.0], r.Tensors["ok"].ToDoubleArray());
        Assert.Equal("I64", r.StoredDTypes["l"]);
    }

    public static readonly TheoryData<string, string, int, ulong?, string?, string> BadFiles = new()
    {
        // name, header, data bytes, header length (null = true length), tensor at fault, expected words
        { "header length beyond the file", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, 1000, null, "runs past the end of the file" },
        { "forged huge header length", "{}", 0, ulong.MaxValue, null, "exceeds the format's limit" },
        { "not JSON", "{\"a\":", 0, null, null, "not valid JSON" },
        { "not an object", "[1, 2]", 0, null, null, "must be a JSON object" },
        { "unknown dtype", """{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", 1, null, "a", "dtype 'F8_E4M3' is not supported" },
        { "missing dtype", """{"a":{"shape":[1],"data_offsets":[0,4]}}""", 4, null, "a", "missing string 'dtype'" },
        { "negative dim", """{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, null, "a", "non-negative integers" },
        { "offsets past the data", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, null, "a", "run past the 4 data bytes" },
        { "end before begin", """{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", 4, null, "a", "end before they begin" },
        { "size does not match span", """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, null, "a", "needs 12 bytes but data_offsets [0, 8] span 8" },
        { "shape overflows", """{"a":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", 8, null, "a", "overflows 64 bits" },
        { "dim beyond int", """{"a":{"dtype":"U8","shape":[4294967296],"data_offsets":[0,8]}}""", 8, null, "a", "has a dim beyond" },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, null, "b", "overlap tensor 'a'" },
        { "hole", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, null, "a", "belong to no tensor" },
        { "trailing bytes", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, null, null, "data bytes [4, 8) belong to no tensor" },
        { "duplicate name", """{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2, null, "a", "appears twice" },
        { "metadata not strings", """{"__metadata__":{"epochs":3}}""", 0, null, null, "must be a string" },
        { "I64 beyond int32", """{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", -1, null, "a", "does not fit int32" },
        { "bool not 0/1", """{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}""", -2, null, "a", "is not a bool" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_broken_file_is_a_typed_error_naming_file_and_tensor(string name, string header, int dataBytes, ulong? headerLength, string? tensor, string words)
    {
        byte[] data = dataBytes switch
        {
            -1 => BitConverter.GetBytes(1L << 40),
            -2 => [7],
            _ => new byte[dataBytes],
        };
        using var dir = new TempDir();
        string path = dir.File(name.Replace(' ', '-').Replace('/', '-') + ".safetensors");
        System.IO.File.WriteAllBytes(path, File(header, data, headerLength));
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Equal(path, e.FileName);
        Assert.Equal(tensor, e.TensorName);
        Assert.Contains(words, e.Message);
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_field_is_a_typed_error()
    {
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Parse(new byte[5], "short.safetensors"));
        Assert.Contains("too short", e.Message);
    }

    /// <summary>A small valid header followed by 512 MiB it does not declare (a sparse file): refused from the header
    /// and the file's length, before any data byte is read — the read allocates kilobytes, not the file's size.</summary>
    [Fact]
    public void Data_the_header_does_not_declare_is_refused_before_it_is_read()
    {
        using var dir = new TempDir();
        string path = dir.File("forged.safetensors");
        System.IO.File.WriteAllBytes(path, File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]));
        const long extra = 512L << 20;
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length + extra);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains($"data bytes [4, {4 + extra}) belong to no tensor", e.Message);
        Assert.True(allocated < 1 << 20, $"the refused read allocated {allocated} bytes");
    }

    /// <summary>The header length is checked against the file's length before the header is read.</summary>
    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_refused_before_reading()
    {
        using var dir = new TempDir();
        string path = dir.File("long-header.safetensors");
        System.IO.File.WriteAllBytes(path, File("{}", [], headerLength: 1000));
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Contains("runs past the end of the file (10 bytes, so at most 2)", e.Message);
    }

    /// <summary>AFL++'s finding of 2026-12-06 (fuzz/README.md): a header whose JSON strings hold invalid UTF-8 bytes
    /// parsed, then threw the framework's InvalidOperationException when a name was read.</summary>
    [Fact]
    public void A_header_with_invalid_utf8_is_refused_naming_the_file_and_the_offset()
    {
        string path = TempDir.Fixture(Path.Combine("fuzz", "safetensors-1-invalid-utf8.safetensors"), "Data");
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid UTF-8 (first bad byte at offset 25)", e.Message);   // 0xD5 after "I6" at 0x19, by xxd
        e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Parse(System.IO.File.ReadAllBytes(path), "fuzzed.safetensors"));
        Assert.Contains("fuzzed.safetensors", e.Message);
    }

    [Fact]
    public void A_name_escaping_a_lone_surrogate_is_refused_as_not_unicode()
    {
        // valid JSON and valid UTF-8, but "\ud800" alone is not a character a .NET string (or a tensor name) can hold
        var bytes = File("""{"w\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Parse(bytes, "surrogate.safetensors"));
        Assert.Contains("surrogate.safetensors", e.Message);
        Assert.Contains("not valid Unicode", e.Message);
    }
}
