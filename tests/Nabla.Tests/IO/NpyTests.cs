using System.Buffers.Binary;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

public class NpyTests
{
    private static Tensor RoundTrip(Tensor t)
    {
        using var ms = new MemoryStream();
        Npy.Write(ms, t);
        ms.Position = 0;
        var back = Npy.Read(ms);
        Assert.Equal(ms.Length, ms.Position);          // read exactly the bytes written
        return back;
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        TestUtil.AssertShape(actual, expected.Shape.ToArray());
        Assert.Equal(expected.ToDoubleArray(), actual.ToDoubleArray());
    }

    /// <summary>A .npy file built by hand from the format spec: magic, version, length, header, data.</summary>
    private static byte[] Build(string dict, byte[] data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        var b = new List<byte>([0x93, .. "NUMPY"u8, (byte)major, 0]);
        if (major == 1) b.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else b.AddRange(BitConverter.GetBytes(header.Length));
        b.AddRange(Encoding.ASCII.GetBytes(header));
        b.AddRange(data);
        return b.ToArray();
    }

    private static NpzFormatException ReadFails(byte[] bytes) =>
        Assert.Throws<NpzFormatException>(() => Npy.Read(new MemoryStream(bytes), "bad.npy"));

    public static TheoryData<DType, int[]> Shapes => new()
    {
        { DType.Float32, [] }, { DType.Float32, [5] }, { DType.Float32, [2, 3, 4, 5] }, { DType.Float32, [0] },
        { DType.Float64, [] }, { DType.Float64, [7] }, { DType.Float64, [3, 1, 2, 2] }, { DType.Float64, [2, 0, 3] },
        { DType.Int32, [] }, { DType.Int32, [4] }, { DType.Int32, [1, 2, 3, 2] }, { DType.Int32, [0, 0] },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Round_trip_keeps_dtype_shape_and_values(DType dtype, int[] shape)
    {
        // Empty tensors via Zeros: Tensor.IsContiguous is false for some zero-size shapes ([2, 0, 3]), which the
        // random fills reject; Npy.Write copes with either layout.
        var t = shape.Contains(0) ? Tensor.Zeros(shape, dtype)
            : dtype == DType.Int32 ? Tensor.RandInt(-1000, 1000, shape, new Generator(1))
            : Tensor.Randn(shape, dtype: dtype, generator: new Generator(2));
        var back = RoundTrip(t);
        AssertSame(t, back);
        Assert.Equal(ShapeUtil.ContiguousStrides(shape), back.Strides.ToArray());   // row-major
    }

    [Fact]
    public void Non_contiguous_views_are_written_in_row_major_order()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var permuted = x.Permute(2, 0, 1);                           // [4, 2, 3], strides (1, 12, 4)
        var narrowed = x.Narrow(2, 1, 2);                            // [2, 3, 2], offset 1
        Assert.False(permuted.IsContiguous);
        Assert.False(narrowed.IsContiguous);
        // permuted[i, j, k] = x[j, k, i] = 12 j + 4 k + i
        var expected = new double[24];
        for (int i = 0, n = 0; i < 4; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) expected[n++] = 12 * j + 4 * k + i;
        var p = RoundTrip(permuted);
        TestUtil.AssertShape(p, 4, 2, 3);
        Assert.Equal(expected, p.ToDoubleArray());
        var q = RoundTrip(narrowed);
        TestUtil.AssertShape(q, 2, 3, 2);
        Assert.Equal([1.0, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22], q.ToDoubleArray());
    }

    [Fact]
    public void Header_follows_the_format_spec()
    {
        using var ms = new MemoryStream();
        Npy.Write(ms, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));
        var b = ms.ToArray();
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], b[..8]);
        int headerLen = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        Assert.Equal(0, (10 + headerLen) % 64);                      // data aligned to 64 bytes
        string header = Encoding.ASCII.GetString(b, 10, headerLen);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLen + 24, b.Length);
        Assert.Equal(1f, BitConverter.ToSingle(b, 10 + headerLen));
        Assert.Equal(6f, BitConverter.ToSingle(b, 10 + headerLen + 20));

        ms.SetLength(0);
        Npy.Write(ms, Tensor.FromArray([9], 1));                     // 1-d tuple needs the trailing comma
        Assert.Contains("'shape': (1,), }", Encoding.ASCII.GetString(ms.ToArray()));
        ms.SetLength(0);
        Npy.Write(ms, Tensor.Scalar(1, DType.Float64));
        Assert.Contains("'descr': '<f8', 'fortran_order': False, 'shape': (), }", Encoding.ASCII.GetString(ms.ToArray()));
    }

    [Fact]
    public void Reads_version_2_fortran_order_big_endian_and_narrow_dtypes()
    {
        // Fortran order: column-major bytes 0 3 1 4 2 5 are the 2x3 matrix [[0 1 2] [3 4 5]].
        var f = Build("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
            [.. new float[] { 0, 3, 1, 4, 2, 5 }.SelectMany(BitConverter.GetBytes)], major: 2);
        var t = Npy.Read(new MemoryStream(f));
        TestUtil.AssertShape(t, 2, 3);
        Assert.Equal([0f, 1, 2, 3, 4, 5], t.ToArray<float>());

        var be = Build("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", [0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal([1.0, -2.0], Npy.Read(new MemoryStream(be)).ToArray<double>());

        var i8 = Build("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", [.. BitConverter.GetBytes(-5L), .. BitConverter.GetBytes(int.MaxValue + 0L)]);
        var ti = Npy.Read(new MemoryStream(i8));
        Assert.Equal(DType.Int32, ti.DType);
        Assert.Equal([-5, int.MaxValue], ti.ToArray<int>());

        var u1 = Build("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [0, 200, 255]);
        Assert.Equal([0, 200, 255], Npy.Read(new MemoryStream(u1)).ToArray<int>());

        var f2 = Build("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", [0x00, 0x3C, 0x00, 0xC1]);   // 1.0, -2.5
        var th = Npy.Read(new MemoryStream(f2));
        Assert.Equal(DType.Float32, th.DType);
        Assert.Equal([1f, -2.5f], th.ToArray<float>());

        // Keys in another order, double quotes, extra spaces, Python 2 long suffix.
        var odd = Build("{\"shape\": (2L, ) , \"fortran_order\": False, \"descr\": \"<i4\"}", [.. BitConverter.GetBytes(7), .. BitConverter.GetBytes(-8)]);
        Assert.Equal([7, -8], Npy.Read(new MemoryStream(odd)).ToArray<int>());
    }

    [Fact]
    public void Corrupt_files_raise_typed_errors_that_name_the_problem()
    {
        var good = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[16]);

        var e = ReadFails(good[..5]);
        Assert.Contains("bad.npy", e.Message);
        Assert.Contains("truncated", e.Message);

        var badMagic = (byte[])good.Clone();
        badMagic[1] = (byte)'X';
        Assert.Contains("bad magic", ReadFails(badMagic).Message);

        var badVersion = (byte[])good.Clone();
        badVersion[6] = 9;
        Assert.Contains("version 9.0", ReadFails(badVersion).Message);

        e = ReadFails(good[..40]);
        Assert.Contains("header of 118 bytes is cut short", e.Message);

        e = ReadFails(good[..^3]);
        Assert.Contains("data has 13 of the 16 bytes", e.Message);
        Assert.Null(e.EntryName);
        Assert.Equal("bad.npy", e.FileName);

        Assert.Contains("dtype '<c8' is not supported", ReadFails(Build("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8])).Message);
        Assert.Contains("structured", ReadFails(Build("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4])).Message);
        Assert.Contains("lacks 'shape'", ReadFails(Build("{'descr': '<f4', 'fortran_order': False, }", new byte[4])).Message);
        Assert.Contains("malformed header", ReadFails(Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }", new byte[24])).Message);
        Assert.Contains("does not fit in int32", ReadFails(Build("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", BitConverter.GetBytes(1L << 40))).Message);
    }

    [Fact]
    public void Save_and_Load_a_file()
    {
        using var dir = new TempDir();
        var t = Tensor.Arange(6, DType.Float64).Reshape(3, 2);
        Npy.Save(dir.File("x.npy"), t);
        AssertSame(t, Npy.Load(dir.File("x.npy")));
        Assert.Single(Directory.GetFiles(dir.Path));                 // no temporary file left behind
    }
}
