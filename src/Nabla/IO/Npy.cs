using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Nabla.IO;

/// <summary>
/// NumPy's .npy format (NEP 1): magic "\x93NUMPY", version, header length, a Python-dict header (dtype, order,
/// shape), then the raw elements. Writes version 1.0 (2.0 for huge headers) in C order with dtype '&lt;f4',
/// '&lt;f8' or '&lt;i4'; reads versions 1.0, 2.0 and 3.0, C or Fortran order (Fortran data is transposed into a
/// row-major tensor), either byte order, and the dtypes listed in <see cref="NpyDType"/>.
/// </summary>
public static class Npy
{
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int ChunkElements = 1 << 18;  // bounded copies: spans of bytes must stay below 2^31

    /// <summary>Reads a .npy file; the data the header declares is checked against the file's length and
    /// <paramref name="limits"/> (default <see cref="ReadLimits.Default"/>) before anything is allocated.</summary>
    public static Tensor Load(string path, ReadLimits? limits = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path, null, limits);
    }

    /// <summary>Writes a .npy file atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, s => Write(s, tensor));
    }

    /// <summary>Reads one array from a stream positioned at the magic bytes; <paramref name="sourceName"/> and
    /// <paramref name="entryName"/> name it in errors. A seekable stream's length bounds the data before it is
    /// allocated; otherwise memory grows with the bytes that actually arrive.</summary>
    public static Tensor Read(Stream stream, string sourceName = "<stream>", string? entryName = null, ReadLimits? limits = null) =>
        Read(stream, sourceName, entryName, limits, null);

    /// <summary><paramref name="available"/>: an upper bound on the bytes the stream holds (a ZIP entry's declared
    /// size) and whether that bound is known to be backed by data in the file (a stored entry inside the file).</summary>
    internal static Tensor Read(Stream stream, string sourceName, string? entryName, ReadLimits? limits, (long Bytes, bool Present)? available)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= ReadLimits.Default;
        Exception Fail(string problem) => new NpzFormatException(sourceName, entryName, problem);

        Span<byte> pre = stackalloc byte[12];
        if (ReadFully(stream, pre[..8]) < 8) throw Fail("truncated: shorter than the 8-byte .npy preamble");
        if (!pre[..6].SequenceEqual(Magic))
            throw Fail($"not a .npy array: bad magic bytes {Convert.ToHexString(pre[..6])} (expected 934E554D5059, \"\\x93NUMPY\")");
        int major = pre[6], minor = pre[7];
        if (major is not (1 or 2 or 3)) throw Fail($"unsupported .npy format version {major}.{minor}");
        int lenBytes = major == 1 ? 2 : 4;
        if (ReadFully(stream, pre.Slice(8, lenBytes)) < lenBytes) throw Fail("truncated: header length is missing");
        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(pre[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(pre[8..]);
        if (headerLen > 1 << 24) throw Fail($"implausible header length {headerLen}");
        var headerBytes = new byte[headerLen];
        if (ReadFully(stream, headerBytes) < headerLen) throw Fail($"truncated: header of {headerLen} bytes is cut short");
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var header = NpyHeader.Parse(text, Fail);
        var dt = NpyDType.Parse(header.Descr, Fail);

        if (!ShapeUtil.TryNumel(header.Shape, out int numel))
            throw Fail($"shape ({string.Join(", ", header.Shape)}) has more than 2^31-1 elements");
        long dataBytes = (long)numel * dt.ItemSize;
        string declared = $"the header's shape ({string.Join(", ", header.Shape)}) of {header.Descr}";
        limits.CheckBytes(dataBytes, declared, Fail);
        long preambleBytes = 8 + lenBytes + headerLen;
        bool? present = BoundedReader.HasAtLeast(stream, dataBytes);
        if (present is null && available is { } a)
        {
            if (a.Bytes - preambleBytes < dataBytes)
                throw Truncated(Fail, Math.Max(a.Bytes - preambleBytes, 0), dataBytes);
            if (a.Present) present = true;
        }
        if (present == false)
            throw Truncated(Fail, Math.Max(stream.Length - stream.Position, 0), dataBytes);

        // Fortran order: the bytes are the C-order layout of the reversed shape; read that, then view it with
        // column-major strides and copy into a row-major tensor.
        int[] shape = header.Shape;
        int[] fileShape = header.FortranOrder ? shape.Reverse().ToArray() : shape;
        Array data = dt.Target switch
        {
            DType.Float32 => ReadData<float>(stream, dt, numel, present == true, Fail),
            DType.Float64 => ReadData<double>(stream, dt, numel, present == true, Fail),
            _ => ReadData<int>(stream, dt, numel, present == true, Fail),
        };
        var t = Tensor.Wrap(data, fileShape);
        if (fileShape.Length == 0) t = t.AsStrided([], [], 0);     // Wrap reads an empty shape as "1-d"
        if (!header.FortranOrder || shape.Length < 2) return t;
        var fStrides = new int[shape.Length];
        for (int d = 0, acc = 1; d < shape.Length; d++) { fStrides[d] = acc; acc *= Math.Max(shape[d], 1); }
        return t.AsStrided(shape, fStrides, 0).Clone_Raw();
    }

    /// <summary>Writes one tensor (any layout; non-contiguous views are written in row-major element order).</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        char order = BitConverter.IsLittleEndian ? '<' : '>';
        string descr = tensor.DType switch
        {
            DType.Float32 => $"{order}f4",
            DType.Float64 => $"{order}f8",
            DType.Int32 => $"{order}i4",
            _ => throw DTypeMismatchException.Unsupported("Npy.Write", tensor.DType),
        };
        stream.Write(new NpyHeader(descr, false, tensor.Shape.ToArray()).Encode());
        switch (tensor.DType)
        {
            case DType.Float32: WriteData<float>(stream, tensor); break;
            case DType.Float64: WriteData<double>(stream, tensor); break;
            default: WriteData<int>(stream, tensor); break;
        }
    }

    private static void WriteData<T>(Stream stream, Tensor tensor) where T : unmanaged
    {
        ReadOnlySpan<T> src = tensor.IsContiguous ? tensor.AsSpan<T>() : tensor.ToArray<T>();
        for (int i = 0; i < src.Length; i += ChunkElements)
            stream.Write(MemoryMarshal.AsBytes(src.Slice(i, Math.Min(ChunkElements, src.Length - i))));
    }

    /// <summary>The elements; with <paramref name="present"/> (the stream is known to hold them) one allocation,
    /// otherwise the array grows with the chunks that arrive, so a forged shape costs at most twice the real data.</summary>
    private static T[] ReadData<T>(Stream stream, NpyDType dt, int numel, bool present, Func<string, Exception> fail) where T : unmanaged
    {
        var dst = new T[present ? numel : Math.Min(numel, 4 * ChunkElements)];
        long expected = (long)numel * dt.ItemSize;
        void Grow(int needed)
        {
            if (needed > dst.Length) Array.Resize(ref dst, (int)Math.Min(numel, Math.Max(2L * dst.Length, needed)));
        }
        if (dt.IsNative)
        {
            for (int i = 0; i < numel; i += ChunkElements)
            {
                Grow(i + Math.Min(ChunkElements, numel - i));
                var chunk = MemoryMarshal.AsBytes(dst.AsSpan(i, Math.Min(ChunkElements, numel - i)));
                int got = ReadFully(stream, chunk);
                if (got < chunk.Length) throw Truncated(fail, (long)i * dt.ItemSize + got, expected);
            }
            if (dt.BigEndian != !BitConverter.IsLittleEndian) SwapBytes(dst.AsSpan());
            return dst;
        }
        byte[] buf = ArrayPool<byte>.Shared.Rent(ChunkElements * dt.ItemSize);
        try
        {
            for (int i = 0; i < numel; i += ChunkElements)
            {
                int n = Math.Min(ChunkElements, numel - i);
                Grow(i + n);
                var raw = buf.AsSpan(0, n * dt.ItemSize);
                int got = ReadFully(stream, raw);
                if (got < raw.Length) throw Truncated(fail, (long)i * dt.ItemSize + got, expected);
                if (typeof(T) == typeof(int)) dt.ConvertToInt32(raw, MemoryMarshal.Cast<T, int>(dst.AsSpan(i, n)), i, fail);
                else dt.ConvertHalfToSingle(raw, MemoryMarshal.Cast<T, float>(dst.AsSpan(i, n)));
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
        return dst;
    }

    private static Exception Truncated(Func<string, Exception> fail, long got, long expected) =>
        fail($"truncated: data has {got} of the {expected} bytes that the header's dtype and shape require");

    private static void SwapBytes<T>(Span<T> data) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, long>(data), MemoryMarshal.Cast<T, long>(data));
        else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, int>(data), MemoryMarshal.Cast<T, int>(data));
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
}
