using System.Text.Json;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>safetensors files cross-checked with an independent reader and writer in Python that uses only the
/// format spec (struct for the 8-byte length, json for the header, numpy for the little-endian data).</summary>
public class SafetensorsPythonTests
{
    /// <summary>Reads a file by the spec; prints {name: {dtype, shape, values}} and the metadata as JSON.</summary>
    private const string Reader = """
        import json, struct, sys
        import numpy as np
        raw = open(sys.argv[1], 'rb').read()
        (n,) = struct.unpack('<Q', raw[:8])
        header = json.loads(raw[8:8 + n].decode('utf-8'))
        data = raw[8 + n:]
        kinds = {'F64': '<f8', 'F32': '<f4', 'F16': '<f2', 'I64': '<i8', 'I32': '<i4', 'U8': '|u1'}
        out = {'__metadata__': header.pop('__metadata__', {})}
        for name, e in header.items():
            b, end = e['data_offsets']
            a = np.frombuffer(data[b:end], dtype=kinds[e['dtype']]).reshape(e['shape'])
            out[name] = {'dtype': e['dtype'], 'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist()}
        print(json.dumps(out))
        """;

    /// <summary>Writes a file by the spec with every dtype Nabla reads (BF16 as the high halves of float32 values) and
    /// prints the values each tensor must read back as (float64 of the stored value) as JSON.</summary>
    private const string Writer = """
        import json, struct, sys
        import numpy as np
        rng = np.random.default_rng(5)
        x = rng.standard_normal((3, 4)).astype(np.float32)
        bf16 = (x.view('<u4') >> 16).astype('<u2')
        arrays = {
            'f64': rng.standard_normal((2, 3)).astype('<f8'),
            'f32': rng.standard_normal((4, 1, 2)).astype('<f4'),
            'f16': rng.standard_normal((5,)).astype('<f2'),
            'bf16': bf16,
            'i64': np.array([[-7, 0, 2**31 - 1]], dtype='<i8'),
            'i32': np.array([-(2**31), 5], dtype='<i4'),
            'u8': np.array([0, 255, 17], dtype='|u1'),
            'bool': np.array([True, False, True]),
            'scalar': np.array(3.25, dtype='<f4'),
            'bn.num_batches_tracked': np.array(12, dtype='<i8'),
        }
        names = {'f8': 'F64', 'f4': 'F32', 'f2': 'F16', 'i8': 'I64', 'i4': 'I32', 'u1': 'U8', 'b1': 'BOOL'}
        header, chunks, offset = {'__metadata__': {'format': 'pt', 'writer': 'spec-only python'}}, [], 0
        for name, a in arrays.items():
            dtype = 'BF16' if name == 'bf16' else names[a.dtype.str[1:]]
            raw = a.tobytes()
            header[name] = {'dtype': dtype, 'shape': list(a.shape), 'data_offsets': [offset, offset + len(raw)]}
            chunks.append(raw)
            offset += len(raw)
        h = json.dumps(header).encode('utf-8')
        h += b' ' * (-len(h) % 8)
        with open(sys.argv[1], 'wb') as f:
            f.write(struct.pack('<Q', len(h)) + h + b''.join(chunks))
        expected = {k: a.astype(np.float64).ravel().tolist() for k, a in arrays.items()}
        expected['bf16'] = (bf16.astype('<u4') << 16).view('<f4').astype(np.float64).ravel().tolist()
        print(json.dumps(expected))
        """;

    [NumpyFact]
    public void Python_reads_what_nabla_writes()
    {
        using var dir = new TempDir();
        var tensors = new Dictionary<string, Tensor>
        {
            ["fc.weight"] = Tensor.Randn([3, 5], generator: new Generator(1)),
            ["fc.bias"] = Tensor.Randn([3], generator: new Generator(2)),
            ["x64"] = Tensor.Randn([2, 2, 2], dtype: DType.Float64, generator: new Generator(3)),
            ["bn.num_batches_tracked"] = Tensor.FromArray([int.MinValue, 0, 41, int.MaxValue], 4),
            ["scalar"] = Tensor.Full([], -0.5f),
            ["empty"] = Tensor.Zeros(2, 0),
        };
        string path = dir.File("nabla.safetensors");
        Safetensors.Save(tensors, path, new Dictionary<string, string> { ["format"] = "pt" });
        var (code, stdout, stderr) = NumpyPython.Run(Reader, path);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("pt", doc.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        foreach (var (name, t) in tensors)
        {
            var e = doc.RootElement.GetProperty(name);
            Assert.Equal(t.DType switch { DType.Float32 => "F32", DType.Float64 => "F64", _ => "I32" }, e.GetProperty("dtype").GetString());
            Assert.Equal(t.Shape.ToArray(), e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.Equal(t.ToDoubleArray(), e.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        }
    }

    [NumpyFact]
    public void Nabla_reads_what_python_writes()
    {
        using var dir = new TempDir();
        string path = dir.File("python.safetensors");
        var (code, stdout, stderr) = NumpyPython.Run(Writer, path);
        Assert.True(code == 0, stderr);
        var expected = JsonSerializer.Deserialize<Dictionary<string, double[]>>(stdout)!;
        var content = Safetensors.Read(path);
        Assert.Equal("spec-only python", content.Metadata["writer"]);
        Assert.Equal(expected.Keys.Order(), content.Tensors.Keys.Order());
        foreach (var (name, values) in expected) Assert.Equal(values, content.Tensors[name].ToDoubleArray());
        Assert.Equal([3, 4], content.Tensors["bf16"].Shape.ToArray());
        Assert.Equal(DType.Float32, content.Tensors["f16"].DType);
        Assert.Equal(DType.Int32, content.Tensors["i64"].DType);
        Assert.Empty(content.Tensors["scalar"].Shape.ToArray());
        Assert.Equal("BF16", content.StoredDTypes["bf16"]);
    }
}
