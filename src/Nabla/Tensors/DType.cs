namespace Nabla;

/// <summary>Element type of a tensor. Float32 is the default; Float64 serves gradient checks and exact
/// textbook arithmetic; Int32 holds indices and labels (no arithmetic, no gradients).</summary>
public enum DType
{
    Float32,
    Float64,
    Int32,
}

public static class DTypeExtensions
{
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>PyTorch-style name: float32, float64, int32.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        _ => dtype.ToString(),
    };

    extension(DType)
    {
        /// <summary>The default floating dtype of creation functions and modules (<see cref="DefaultDType.Current"/>),
        /// like <c>torch.get_default_dtype()</c>.</summary>
        public static DType GetDefault() => DefaultDType.Current;

        /// <summary>Sets the default floating dtype for the current async flow (<see cref="DefaultDType.Set"/>), like
        /// <c>torch.set_default_dtype</c>; prefer the scoped <see cref="DefaultDType.Scope"/>.</summary>
        public static void SetDefault(DType dtype) => DefaultDType.Set(dtype);
    }

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        throw new NotSupportedException($"no Nabla dtype for {typeof(T).Name}");
}
