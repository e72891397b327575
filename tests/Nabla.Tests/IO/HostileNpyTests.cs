using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Hostile .npy/.npz files: element counts that wrap, shapes declaring gigabytes over a few bytes, read
/// limits, fuzz findings. Each is a typed <see cref="NpzFormatException"/> naming the file, with memory bounded by
/// the data present.</summary>
public class HostileNpyTests
{
    private static byte[] Npy(string dict, byte[] data)
    {
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 11) + "\n";
        return [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8),
            .. System.Text.Encoding.ASCII.GetBytes(header), .. data];
    }

    [Theory]
    [InlineData("(1073741824, 1073741824, 16)")]     // 2^64 elements: wraps to 0 in a long
    [InlineData("(2147483647, 2147483647, 2147483647)")]
    [InlineData("(0, 2147483647, 2147483647)")]       // 0 elements, but strides would overflow
    public void Element_counts_that_overflow_are_refused(string shape)
    {
        using var tmp = new TempDir();
        string path = tmp.File("wrap.npy");
        File.WriteAllBytes(path, Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}", new byte[16]));
        var e = Assert.Throws<NpzFormatException>(() => Nabla.IO.Npy.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("more than 2^31-1 elements", e.Message);
        Assert.Throws<NablaException>(() => ShapeUtil.Numel([1 << 30, 1 << 30, 16]));
        Assert.Equal(0, ShapeUtil.Numel([0, 5]));
    }

    [Fact]
    public void A_header_declaring_800_MB_over_16_bytes_is_truncated_without_allocating_it()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (200000000,), }", new byte[16]);
        using var tmp = new TempDir();
        string path = tmp.File("big.npy");
        File.WriteAllBytes(path, bytes);
        foreach (Func<Tensor> read in new Func<Tensor>[] { () => Nabla.IO.Npy.Load(path), () => Nabla.IO.Npy.Read(new NonSeekableStream(bytes), path) })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<NpzFormatException>(read);
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L << 20);
            Assert.Contains(path, e.Message);
            Assert.Contains("truncated", e.Message);
        }
        var limited = Assert.Throws<NpzFormatException>(() => Nabla.IO.Npy.Load(path, new ReadLimits { MaxBytes = 1 << 20 }));
        Assert.Contains("read limit", limited.Message);
    }

    [Fact]
    public void A_deflated_entry_over_the_read_limit_is_refused_before_inflating()
    {
        using var tmp = new TempDir();
        string path = tmp.File("bomb.npz");
        Npz.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([1 << 20]) }, compress: true);   // 4 MB of zeros, a few kB deflated
        Assert.True(new FileInfo(path).Length < 100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NpzFormatException>(() => Npz.Load(path, new ReadLimits { MaxBytes = 1 << 20 }));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("entry 'w.npy'", e.Message);
        Assert.Contains("read limit", e.Message);
        Assert.Equal(1 << 20, Npz.Load(path)["w"].Numel);
    }

    [Fact]
    public void Fuzz_finding_a_central_directory_with_the_wrong_entry_count_is_a_typed_error()
    {
        string path = Fixture("npz-central-directory-count.npz");
        var e = Assert.Throws<NpzFormatException>(() => Npz.Load(path));
        Assert.Contains("not a readable ZIP archive", e.Message);
    }

    private static string Fixture(string name) => TempDir.Fixture(Path.Combine("fuzz", name));
}
