using System.Collections;
using System.IO.Compression;
using Nabla.IO;

namespace Nabla.Tests.IO;

public class NpzTests
{
    private static Dictionary<string, Tensor> Sample() => new()
    {
        ["layers.0.weight"] = Tensor.Randn([3, 4], generator: new Generator(1)),
        ["layers.0.bias"] = Tensor.Randn([4], dtype: DType.Float64, generator: new Generator(2)),
        ["model/fc.weight"] = Tensor.Randn([2, 1, 3, 3], generator: new Generator(3)).Permute(3, 2, 1, 0),
        ["labels"] = Tensor.FromArray([3, 1, 4, 1, 5]),
        ["step"] = Tensor.Scalar(42, DType.Int32),
        ["empty"] = Tensor.Zeros([0, 5]),
    };

    private static void AssertSameArrays(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);                   // names and archive order preserved
        foreach (var (k, e) in expected)
        {
            Assert.Equal(e.DType, actual[k].DType);
            TestUtil.AssertShape(actual[k], e.Shape.ToArray());
            Assert.Equal(e.ToDoubleArray(), actual[k].ToDoubleArray());
        }
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Round_trip_preserves_names_with_dots_and_slashes(bool compress)
    {
        using var dir = new TempDir();
        string path = dir.File("a.npz");
        var arrays = Sample();
        Npz.Save(path, arrays, compress);
        AssertSameArrays(arrays, Npz.Load(path));
        using var zip = ZipFile.OpenRead(path);
        Assert.Contains("layers.0.weight.npy", zip.Entries.Select(e => e.FullName));
        Assert.Contains("model/fc.weight.npy", zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(compress, e.CompressedLength < e.Length));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Saving_twice_gives_identical_bytes()
    {
        using var dir = new TempDir();
        Npz.Save(dir.File("a.npz"), Sample());
        Npz.Save(dir.File("b.npz"), Sample());
        Assert.Equal(File.ReadAllBytes(dir.File("a.npz")), File.ReadAllBytes(dir.File("b.npz")));
    }

    [Fact]
    public void Reads_the_committed_numpy_fixture()
    {
        // Written once by numpy 1.24 with np.savez_compressed (see the values below); deflated entries.
        var z = Npz.Load(TempDir.Fixture("numpy_small.npz"));
        Assert.Equal(["layers.0.weight", "scalar", "labels", "pixels", "fortran", "empty"], z.Keys);
        // np.arange(6, dtype=float32) / 4 - 0.5, reshaped (2, 3)
        TestUtil.AssertShape(z["layers.0.weight"], 2, 3);
        Assert.Equal([-0.5f, -0.25f, 0, 0.25f, 0.5f, 0.75f], z["layers.0.weight"].ToArray<float>());
        // np.float64(np.pi): 0-d
        TestUtil.AssertShape(z["scalar"]);
        Assert.Equal(Math.PI, z["scalar"].Item());
        // int64 [3, -1, 2^31-1] -> int32
        Assert.Equal(DType.Int32, z["labels"].DType);
        Assert.Equal([3, -1, int.MaxValue], z["labels"].ToArray<int>());
        // uint8 [[0, 128], [255, 7]] -> int32
        Assert.Equal([0, 128, 255, 7], z["pixels"].ToArray<int>());
        // np.asfortranarray(np.arange(6, dtype='>f8').reshape(2, 3)): big-endian, Fortran order
        TestUtil.AssertShape(z["fortran"], 2, 3);
        Assert.Equal([0.0, 1, 2, 3, 4, 5], z["fortran"].ToArray<double>());
        TestUtil.AssertShape(z["empty"], 0, 4);
        Assert.Equal(DType.Int32, z["empty"].DType);
    }

    [Fact]
    public void Files_that_are_not_zip_archives_or_are_truncated_raise_typed_errors()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.npz");
        File.WriteAllText(path, "this is not a zip archive");
        var e = Assert.Throws<NpzFormatException>(() => Npz.Load(path));
        Assert.Contains("bad.npz", e.Message);
        Assert.Contains("not a readable ZIP archive", e.Message);

        Npz.Save(path, Sample());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);      // cut: the central directory is gone
        e = Assert.Throws<NpzFormatException>(() => Npz.Load(path));
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void A_corrupt_entry_is_named_in_the_error()
    {
        using var dir = new TempDir();
        string path = dir.File("c.npz");
        // An entry whose .npy bytes are cut short inside an intact ZIP.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var ms = new MemoryStream();
            Npy.Write(ms, Tensor.Ones(10));
            using var es = zip.CreateEntry("w.npy").Open();
            es.Write(ms.ToArray().AsSpan(0, (int)ms.Length - 8));
        }
        var e = Assert.Throws<NpzFormatException>(() => Npz.Load(path));
        Assert.Equal("w.npy", e.EntryName);
        Assert.Contains("entry 'w.npy'", e.Message);
        Assert.Contains("data has 32 of the 40 bytes", e.Message);

        // Flipped bytes inside deflated data: the ZIP layer notices (bad block or CRC); the error still names the entry.
        Npz.Save(path, new Dictionary<string, Tensor> { ["big"] = Tensor.Randn([2000], generator: new Generator(5)) }, compress: true);
        var bytes = File.ReadAllBytes(path);
        for (int i = 200; i < 1200; i += 7) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        e = Assert.Throws<NpzFormatException>(() => Npz.Load(path));
        Assert.Equal("big.npy", e.EntryName);
    }

    [Fact]
    public void A_failed_save_leaves_the_old_file_intact()
    {
        using var dir = new TempDir();
        string path = dir.File("keep.npz");
        var old = new Dictionary<string, Tensor> { ["a"] = Tensor.Arange(5) };
        Npz.Save(path, old);
        byte[] before = File.ReadAllBytes(path);
        // The second array's enumeration throws after the first entry has been written to the temporary file.
        Assert.Throws<InvalidOperationException>(() => Npz.Save(path, new ThrowingDictionary()));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));                 // temporary file removed
        Assert.Throws<ArgumentException>(() => Npz.Save(path, new Dictionary<string, Tensor> { [""] = Tensor.Ones(1) }));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>Yields one large array, then fails, as a serialiser crash would.</summary>
    private sealed class ThrowingDictionary : IReadOnlyDictionary<string, Tensor>
    {
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator()
        {
            yield return new("first", Tensor.Zeros(100_000));
            throw new InvalidOperationException("simulated crash during serialisation");
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public int Count => 2;
        public bool ContainsKey(string key) => throw new NotSupportedException();
        public bool TryGetValue(string key, out Tensor value) => throw new NotSupportedException();
        public Tensor this[string key] => throw new NotSupportedException();
        public IEnumerable<string> Keys => throw new NotSupportedException();
        public IEnumerable<Tensor> Values => throw new NotSupportedException();
    }
}
