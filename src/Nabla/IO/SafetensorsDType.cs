using System.Buffers.Binary;

namespace Nabla.IO;

/// <summary>A safetensors dtype string and the Nabla dtype it is read into: F32, F64 and I32 natively; F16 and BF16
/// widen into float32; I64, I16, I8, U8 and BOOL into int32 (range-checked).</summary>
internal readonly record struct SafetensorsDType(string Name, int ItemSize, DType Target)
{
    public static readonly string[] Supported = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"];

    public static SafetensorsDType? Parse(string name) => name switch
    {
        "F64" => new(name, 8, DType.Float64),
        "F32" => new(name, 4, DType.Float32),
        "F16" or "BF16" => new(name, 2, DType.Float32),
        "I64" => new(name, 8, DType.Int32),
        "I32" => new(name, 4, DType.Int32),
        "I16" => new(name, 2, DType.Int32),
        "I8" or "U8" or "BOOL" => new(name, 1, DType.Int32),
        _ => null,
    };

    /// <summary>The dtype string a Nabla tensor is written as.</summary>
    public static string Of(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no safetensors dtype"),
    };

    /// <summary>Decodes little-endian <paramref name="src"/> into a tensor of <paramref name="shape"/>;
    /// <paramref name="fail"/> builds the error for a value that does not fit (I64 beyond int32, BOOL not 0/1).</summary>
    public Tensor Decode(ReadOnlySpan<byte> src, int[] shape, Func<string, Exception> fail)
    {
        int n = src.Length / ItemSize;
        switch (Name)
        {
            case "F64":
            {
                var d = new double[n];
                for (int i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadDoubleLittleEndian(src[(i * 8)..]);
                return new Tensor(d, shape);
            }
            case "F32" or "F16" or "BF16":
            {
                var f = new float[n];
                for (int i = 0; i < n; i++)
                    f[i] = Name switch
                    {
                        "F32" => BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]),
                        "F16" => (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..])),
                        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]) << 16),   // bfloat16 = the high half of a float32
                    };
                return new Tensor(f, shape);
            }
            default:
            {
                var v = new int[n];
                for (int i = 0; i < n; i++)
                {
                    long x = Name switch
                    {
                        "I64" => BinaryPrimitives.ReadInt64LittleEndian(src[(i * 8)..]),
                        "I32" => BinaryPrimitives.ReadInt32LittleEndian(src[(i * 4)..]),
                        "I16" => BinaryPrimitives.ReadInt16LittleEndian(src[(i * 2)..]),
                        "I8" => (sbyte)src[i],
                        _ => src[i],
                    };
                    if (x is < int.MinValue or > int.MaxValue)
                        throw fail($"element {i} = {x} does not fit int32 (Nabla's integer dtype)");
                    if (Name == "BOOL" && x > 1) throw fail($"element {i} = {x} is not a bool (0 or 1)");
                    v[i] = (int)x;
                }
                return new Tensor(v, shape);
            }
        }
    }
}
