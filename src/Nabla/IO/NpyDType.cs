using System.Buffers.Binary;

namespace Nabla.IO;

/// <summary>A NumPy array-protocol type string ('&lt;f4', '|u1', '&gt;i8', ...) and the Nabla dtype it is read into.
/// float32/float64/int32 are stored natively; other integer and bool widths widen or narrow into int32 (checked),
/// float16 widens into float32.</summary>
internal readonly record struct NpyDType(char Kind, int ItemSize, bool BigEndian, DType Target)
{
    /// <summary>True when the file bytes are exactly the target's in-memory bytes (no conversion).</summary>
    public bool IsNative => ItemSize == Target.SizeInBytes() && Kind == (Target == DType.Int32 ? 'i' : 'f');

    public static NpyDType Parse(string descr, Func<string, Exception> fail)
    {
        if (descr.Length < 3) throw Unsupported(descr, fail);
        bool big = descr[0] switch
        {
            '<' => false,
            '>' => true,
            '=' => !BitConverter.IsLittleEndian,
            '|' => false,
            _ => throw Unsupported(descr, fail),
        };
        char kind = descr[1];
        if (!int.TryParse(descr.AsSpan(2), out int size)) throw Unsupported(descr, fail);
        DType? target = (kind, size) switch
        {
            ('f', 2 or 4) => DType.Float32,
            ('f', 8) => DType.Float64,
            ('i' or 'u', 1 or 2 or 4 or 8) => DType.Int32,
            ('b', 1) => DType.Int32,
            _ => null,
        };
        if (target is null) throw Unsupported(descr, fail);
        return new NpyDType(kind, size, big && size > 1, target.Value);
    }

    private static Exception Unsupported(string descr, Func<string, Exception> fail) =>
        fail($"dtype '{descr}' is not supported (stored natively: '<f4', '<f8', '<i4'; converted on read: " +
             "'<f2' to float32, '|b1', '|i1', '|u1', '<i2', '<u2', '<u4', '<i8', '<u8' to int32)");

    /// <summary>Converts <paramref name="src"/> (whole elements of this type) into int32 values.
    /// <paramref name="firstIndex"/> is the flat index of the first element, for the error message.</summary>
    public void ConvertToInt32(ReadOnlySpan<byte> src, Span<int> dst, long firstIndex, Func<string, Exception> fail)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            var e = src.Slice(i * ItemSize, ItemSize);
            long v;
            if (Kind == 'u' && ItemSize == 8)
            {
                ulong u = BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e);
                v = u > int.MaxValue ? long.MaxValue : (long)u;
            }
            else v = (Kind, ItemSize) switch
            {
                ('b', _) => e[0] != 0 ? 1 : 0,
                ('u', 1) => e[0],
                ('i', 1) => (sbyte)e[0],
                ('u', 2) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e),
                ('i', 2) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
                ('u', 4) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(e) : BinaryPrimitives.ReadUInt32LittleEndian(e),
                ('i', 4) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
                _ => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e),
            };
            if (v is < int.MinValue or > int.MaxValue)
                throw fail($"value at flat index {firstIndex + i} does not fit in int32 (read from '{Kind}{ItemSize}')");
            dst[i] = (int)v;
        }
    }

    /// <summary>Converts float16 elements into float32.</summary>
    public void ConvertHalfToSingle(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            var e = src.Slice(2 * i, 2);
            ushort bits = BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e);
            dst[i] = (float)BitConverter.UInt16BitsToHalf(bits);
        }
    }
}
