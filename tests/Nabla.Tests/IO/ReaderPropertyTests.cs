using CsCheck;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Properties of the .npy and .npz readers (CsCheck): what the writer writes reads back bit for bit, and
/// every truncation of a valid file is refused with <see cref="NpzFormatException"/>, never another exception.</summary>
public class ReaderPropertyTests
{
    /// <summary>A tensor of a random dtype (float32, float64, int32) and shape (rank 0..4, dims 0..4) whose
    /// elements are arbitrary bit patterns (NaN payloads, infinities, subnormals included).</summary>
    internal static readonly Gen<Tensor> Tensors =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 4].Array[0, 4], Gen.Long.Array[64]).Select((kind, shape, bits) =>
        {
            int n = shape.Aggregate(1, (a, d) => a * d);
            Tensor t = kind switch
            {
                0 => Tensor.FromArray(Enumerable.Range(0, n).Select(i => BitConverter.Int32BitsToSingle((int)bits[i % 64] ^ i)).ToArray(), shape),
                1 => Tensor.FromArray(Enumerable.Range(0, n).Select(i => BitConverter.Int64BitsToDouble(bits[i % 64] ^ i)).ToArray(), shape),
                _ => Tensor.FromArray(Enumerable.Range(0, n).Select(i => (int)(bits[i % 64] >> 7) ^ i).ToArray(), shape),
            };
            return shape.Length == 0 ? t.AsStrided([], [], 0) : t;
        });

    internal static void AssertSameBits(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        switch (expected.DType)
        {
            case DType.Float32: Assert.Equal(expected.ToArray<float>().Select(BitConverter.SingleToInt32Bits), actual.ToArray<float>().Select(BitConverter.SingleToInt32Bits)); break;
            case DType.Float64: Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits)); break;
            default: Assert.Equal(expected.ToArray<int>(), actual.ToArray<int>()); break;
        }
    }

    private static byte[] NpyBytes(Tensor t)
    {
        using var ms = new MemoryStream();
        Npy.Write(ms, t);
        return ms.ToArray();
    }

    [Fact]
    public void Npy_write_then_read_is_the_identity()
    {
        Tensors.Sample(t =>
        {
            using var ms = new MemoryStream(NpyBytes(t));
            AssertSameBits(t, Npy.Read(ms));
            using var slow = new NonSeekableStream(NpyBytes(t));   // the growing-buffer path (no length known)
            AssertSameBits(t, Npy.Read(slow));
        }, iter: 200);
    }

    [Fact]
    public void Every_truncation_of_an_npy_file_is_a_typed_error()
    {
        using var tmp = new TempDir();
        Tensors.Where(t => t.Numel > 0).Sample(t =>
        {
            var bytes = NpyBytes(t);
            for (int len = 0; len < bytes.Length; len++)
            {
                string path = tmp.File($"t-{Guid.NewGuid():N}.npy");   // CsCheck runs samples on several threads
                File.WriteAllBytes(path, bytes[..len]);
                var e = Assert.Throws<NpzFormatException>(() => Npy.Load(path));
                Assert.Contains(path, e.Message);
                using var stream = new NonSeekableStream(bytes[..len]);
                Assert.Throws<NpzFormatException>(() => Npy.Read(stream));
            }
        }, iter: 20);
    }

    private static readonly Gen<Dictionary<string, Tensor>> Archives =
        Gen.Select(Tensors.Array[1, 3], Gen.String[Gen.Char["abcxyz.0"], 1, 6].Array[3]).Select((ts, names) =>
        {
            var d = new Dictionary<string, Tensor>();
            for (int i = 0; i < ts.Length; i++) d[$"{names[i]}{i}"] = ts[i];
            return d;
        });

    [Fact]
    public void Npz_save_then_load_is_the_identity_stored_or_deflated()
    {
        using var tmp = new TempDir();
        Gen.Select(Archives, Gen.Bool).Sample((arrays, compress) =>
        {
            string path = tmp.File($"a-{Guid.NewGuid():N}.npz");   // CsCheck runs samples on several threads
            Npz.Save(path, arrays, compress);
            var back = Npz.Load(path);
            Assert.Equal(arrays.Keys, back.Keys);
            foreach (var (k, t) in arrays) AssertSameBits(t, back[k]);
        }, iter: 60);
    }

    [Fact]
    public void Every_truncation_of_an_npz_file_is_a_typed_error()
    {
        using var tmp = new TempDir();
        Gen.Select(Archives, Gen.Bool).Sample((arrays, compress) =>
        {
            string id = Guid.NewGuid().ToString("N"), path = tmp.File($"a-{id}.npz"), cut = tmp.File($"cut-{id}.npz");
            Npz.Save(path, arrays, compress);
            var bytes = File.ReadAllBytes(path);
            for (int len = 0; len < bytes.Length; len++)
            {
                File.WriteAllBytes(cut, bytes[..len]);
                var e = Assert.Throws<NpzFormatException>(() => Npz.Load(cut));
                Assert.Contains(cut, e.Message);
            }
        }, iter: 8);
    }
}

/// <summary>A read-only stream over bytes that hides its length (like a deflate or gzip stream), handing out at most
/// 7 bytes per read so that readers must loop.</summary>
internal sealed class NonSeekableStream(byte[] data) : Stream
{
    private int _pos;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, 7), data.Length - _pos);
        Array.Copy(data, _pos, buffer, offset, n);
        _pos += n;
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
