using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>A Vector512 (AVX-512) register as an <see cref="IVec{TSelf, T}"/>; V256 and V128 are the same file with
/// the width changed, the only place the width is spelled out.</summary>
internal readonly struct V512<T>(Vector512<T> v) : IVec<V512<T>, T> where T : INumberBase<T>
{
    public readonly Vector512<T> V = v;

    public static int Count => Vector512<T>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;
    public static V512<T> Zero => new(Vector512<T>.Zero);
    public static V512<T> One => new(Vector512<T>.One);
    public static V512<T> Indices => new(Vector512<T>.Indices);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Create(T value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref T destination, nuint offset) => V.StoreUnsafe(ref destination, offset);
    public void CopyTo(Span<T> destination) => V.CopyTo(destination);
    public T this[int lane] => V[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator +(V512<T> x, V512<T> y) => new(x.V + y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator -(V512<T> x, V512<T> y) => new(x.V - y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator *(V512<T> x, V512<T> y) => new(x.V * y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator *(V512<T> x, T y) => new(x.V * y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator /(V512<T> x, V512<T> y) => new(x.V / y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator -(V512<T> x) => new(-x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator &(V512<T> x, V512<T> y) => new(x.V & y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator |(V512<T> x, V512<T> y) => new(x.V | y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> operator ~(V512<T> x) => new(~x.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(V512<T> x) => Vector512.Sum(x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Max(V512<T> x, V512<T> y) => new(Vector512.Max(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Min(V512<T> x, V512<T> y) => new(Vector512.Min(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Abs(V512<T> x) => new(Vector512.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Select(V512<T> mask, V512<T> ifTrue, V512<T> ifFalse) => new(Vector512.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Equals(V512<T> x, V512<T> y) => new(Vector512.Equals(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> GreaterThan(V512<T> x, V512<T> y) => new(Vector512.GreaterThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> GreaterThanOrEqual(V512<T> x, V512<T> y) => new(Vector512.GreaterThanOrEqual(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> LessThan(V512<T> x, V512<T> y) => new(Vector512.LessThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> LessThanOrEqual(V512<T> x, V512<T> y) => new(Vector512.LessThanOrEqual(x.V, y.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> FusedMultiplyAdd(V512<T> a, V512<T> b, V512<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.FusedMultiplyAdd(a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.FusedMultiplyAdd(a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    // Vector512.FusedMultiplyAdd/Exp/Log exist only for float and double; the typeof checks are JIT-time constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> Exp(V512<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Exp(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Exp(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512<T> Log(V512<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Log(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Log(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref T source, nuint offset, out V512<T> even, out V512<T> odd)
    {
        // Two loads, each shuffled to [evens | odds], then the halves of each kind joined.
        var a = Vector512.LoadUnsafe(ref source, offset);
        var b = Vector512.LoadUnsafe(ref source, offset + (nuint)Count);
        if (typeof(T) == typeof(float))
        {
            var k = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
            var pa = Vector512.Shuffle(a.AsSingle(), k);
            var pb = Vector512.Shuffle(b.AsSingle(), k);
            (even, odd) = (new(Vector512.Create(pa.GetLower(), pb.GetLower()).As<float, T>()), new(Vector512.Create(pa.GetUpper(), pb.GetUpper()).As<float, T>()));
            return;
        }
        if (typeof(T) == typeof(double))
        {
            var k = Vector512.Create(0L, 2, 4, 6, 1, 3, 5, 7);
            var pa = Vector512.Shuffle(a.AsDouble(), k);
            var pb = Vector512.Shuffle(b.AsDouble(), k);
            (even, odd) = (new(Vector512.Create(pa.GetLower(), pb.GetLower()).As<double, T>()), new(Vector512.Create(pa.GetUpper(), pb.GetUpper()).As<double, T>()));
            return;
        }
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAsInt32(Span<int> destination)
    {
        if (typeof(T) == typeof(float)) { Vector512.ConvertToInt32(V.AsSingle()).CopyTo(destination); return; }
        for (int i = 0; i < Count; i++) destination[i] = int.CreateTruncating(V[i]);
    }
}
