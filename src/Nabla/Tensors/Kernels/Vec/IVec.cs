using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// One SIMD register of <typeparamref name="T"/> as a type (<see cref="V128{T}"/>, <see cref="V256{T}"/>,
/// <see cref="V512{T}"/>): a kernel body is written once as a generic method over <c>TV : IVec&lt;TV, T&gt;</c> and the
/// JIT compiles one copy per width, as if it had been written by hand (each struct wraps one VectorN and every member
/// inlines; PyTorch's <c>Vectorized&lt;T&gt;</c>, the BCL's internal <c>ISimdVector</c>). Masks are vectors whose
/// lanes are all ones or all zeros, as the BCL's comparisons return them. The scalar fallback is each kernel's scalar
/// twin; <see cref="Vec"/> picks the width once per call.
/// </summary>
internal interface IVec<TSelf, T> where TSelf : struct, IVec<TSelf, T> where T : INumberBase<T>
{
    /// <summary>Lanes in one register.</summary>
    static abstract int Count { get; }
    /// <summary>True when the hardware runs this width for T natively (a JIT-time constant).</summary>
    static abstract bool IsSupported { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }
    /// <summary>0, 1, 2, … in the lanes.</summary>
    static abstract TSelf Indices { get; }
    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(T value);
    static abstract TSelf Load(ref T source, nuint offset);
    void Store(ref T destination, nuint offset);
    void CopyTo(Span<T> destination);
    T this[int lane] { get; }

    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, T y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x);
    static abstract TSelf operator &(TSelf x, TSelf y);
    static abstract TSelf operator |(TSelf x, TSelf y);
    static abstract TSelf operator ~(TSelf x);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);
    /// <summary>The sum of the lanes (a horizontal add; its order is the hardware's).</summary>
    static abstract T Sum(TSelf x);
    /// <summary>max(x, y), NaN-propagating (as Vector512.Max).</summary>
    static abstract TSelf Max(TSelf x, TSelf y);
    static abstract TSelf Min(TSelf x, TSelf y);
    static abstract TSelf Abs(TSelf x);
    static abstract TSelf Exp(TSelf x);
    static abstract TSelf Log(TSelf x);
    /// <summary>mask ? ifTrue : ifFalse, bit by bit.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);
    static abstract TSelf Equals(TSelf x, TSelf y);
    static abstract TSelf GreaterThan(TSelf x, TSelf y);
    static abstract TSelf GreaterThanOrEqual(TSelf x, TSelf y);
    static abstract TSelf LessThan(TSelf x, TSelf y);
    static abstract TSelf LessThanOrEqual(TSelf x, TSelf y);

    /// <summary>Loads 2·Count elements and splits them into the even and the odd ones (stride-2 windows): one load of
    /// the double width and one shuffle where the hardware has that width.</summary>
    static abstract void LoadUnzip(ref T source, nuint offset, out TSelf even, out TSelf odd);
    /// <summary>Writes the lanes, which hold integers, as int32 (indices carried in the value type).</summary>
    void StoreAsInt32(Span<int> destination);

    /// <summary>σ(z) = 1 / (1 + e^−z); e^−z = ∞ for very negative z gives exactly 0, never NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual TSelf Sigmoid(TSelf z) => TSelf.One / (TSelf.One + TSelf.Exp(-z));

    /// <summary>log(1 + v) for 0 ≤ v ≤ 1, see <see cref="VectorMath.Log1pUnit{T}(T)"/> (its scalar twin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual TSelf Log1pUnit(TSelf v)
    {
        var s = v / (TSelf.Create(T.CreateTruncating(2.0)) + v);
        var s2 = s * s;
        var c = VectorMath.OddReciprocals<T>();
        var p = TSelf.Create(c[^1]);
        for (int k = c.Length - 2; k >= 0; k--) p = p * s2 + TSelf.Create(c[k]);
        return (s + s) * p;
    }
}

/// <summary>The vector widths a kernel can run at; <see cref="Scalar"/> is its scalar twin.</summary>
internal enum VecWidth { Scalar, V128, V256, V512 }

/// <summary>Picks the width a kernel runs at: the widest the hardware accelerates for T (AVX-512 → 512, AVX2 → 256,
/// SSE/NEON → 128, else scalar). Every vector kernel takes the width as an internal parameter so tests can run
/// each one the machine supports against the scalar twin.</summary>
internal static class Vec
{
    public static VecWidth Best<T>() where T : INumberBase<T> =>
        V512<T>.IsSupported ? VecWidth.V512 : V256<T>.IsSupported ? VecWidth.V256 : V128<T>.IsSupported ? VecWidth.V128 : VecWidth.Scalar;

    /// <summary>True when <paramref name="width"/> runs natively here (scalar always does).</summary>
    public static bool IsSupported<T>(VecWidth width) where T : INumberBase<T> => width switch
    {
        VecWidth.V512 => V512<T>.IsSupported,
        VecWidth.V256 => V256<T>.IsSupported,
        VecWidth.V128 => V128<T>.IsSupported,
        _ => true,
    };

    /// <summary>Every width this machine runs, widest first, scalar last (for tests).</summary>
    public static IEnumerable<VecWidth> Supported<T>() where T : INumberBase<T> =>
        new[] { VecWidth.V512, VecWidth.V256, VecWidth.V128, VecWidth.Scalar }.Where(IsSupported<T>);
}
