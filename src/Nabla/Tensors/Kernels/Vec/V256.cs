using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>A Vector256 register as an <see cref="IVec{TSelf, T}"/> (see <see cref="V512{T}"/>).</summary>
internal readonly struct V256<T>(Vector256<T> v) : IVec<V256<T>, T> where T : INumberBase<T>
{
    public readonly Vector256<T> V = v;

    public static int Count => Vector256<T>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
    public static V256<T> Zero => new(Vector256<T>.Zero);
    public static V256<T> One => new(Vector256<T>.One);
    public static V256<T> Indices => new(Vector256<T>.Indices);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Create(T value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Load(ref T source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref T destination, nuint offset) => V.StoreUnsafe(ref destination, offset);
    public void CopyTo(Span<T> destination) => V.CopyTo(destination);
    public T this[int lane] => V[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator +(V256<T> x, V256<T> y) => new(x.V + y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator -(V256<T> x, V256<T> y) => new(x.V - y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator *(V256<T> x, V256<T> y) => new(x.V * y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator *(V256<T> x, T y) => new(x.V * y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator /(V256<T> x, V256<T> y) => new(x.V / y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator -(V256<T> x) => new(-x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator &(V256<T> x, V256<T> y) => new(x.V & y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator |(V256<T> x, V256<T> y) => new(x.V | y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> operator ~(V256<T> x) => new(~x.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(V256<T> x) => Vector256.Sum(x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Max(V256<T> x, V256<T> y) => new(Vector256.Max(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Min(V256<T> x, V256<T> y) => new(Vector256.Min(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Abs(V256<T> x) => new(Vector256.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Select(V256<T> mask, V256<T> ifTrue, V256<T> ifFalse) => new(Vector256.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Equals(V256<T> x, V256<T> y) => new(Vector256.Equals(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> GreaterThan(V256<T> x, V256<T> y) => new(Vector256.GreaterThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> GreaterThanOrEqual(V256<T> x, V256<T> y) => new(Vector256.GreaterThanOrEqual(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> LessThan(V256<T> x, V256<T> y) => new(Vector256.LessThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> LessThanOrEqual(V256<T> x, V256<T> y) => new(Vector256.LessThanOrEqual(x.V, y.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> FusedMultiplyAdd(V256<T> a, V256<T> b, V256<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.FusedMultiplyAdd(a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.FusedMultiplyAdd(a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    // Vector256.FusedMultiplyAdd/Exp/Log exist only for float and double; the typeof checks are JIT-time constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> Exp(V256<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Exp(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Exp(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256<T> Log(V256<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Log(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Log(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref T source, nuint offset, out V256<T> even, out V256<T> odd)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (typeof(T) == typeof(float))
            {
                var v = Vector512.Shuffle(Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref source), offset), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15));
                (even, odd) = (new(v.GetLower().As<float, T>()), new(v.GetUpper().As<float, T>()));
                return;
            }
            if (typeof(T) == typeof(double))
            {
                var v = Vector512.Shuffle(Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref source), offset), Vector512.Create(0L, 2, 4, 6, 1, 3, 5, 7));
                (even, odd) = (new(v.GetLower().As<double, T>()), new(v.GetUpper().As<double, T>()));
                return;
            }
        }
        // Two loads, each shuffled to [evens | odds], then the halves of each kind joined.
        var a = Vector256.LoadUnsafe(ref source, offset);
        var b = Vector256.LoadUnsafe(ref source, offset + (nuint)Count);
        if (typeof(T) == typeof(float))
        {
            var k = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            var pa = Vector256.Shuffle(a.AsSingle(), k);
            var pb = Vector256.Shuffle(b.AsSingle(), k);
            (even, odd) = (new(Vector256.Create(pa.GetLower(), pb.GetLower()).As<float, T>()), new(Vector256.Create(pa.GetUpper(), pb.GetUpper()).As<float, T>()));
            return;
        }
        if (typeof(T) == typeof(double))
        {
            var k = Vector256.Create(0L, 2, 1, 3);
            var pa = Vector256.Shuffle(a.AsDouble(), k);
            var pb = Vector256.Shuffle(b.AsDouble(), k);
            (even, odd) = (new(Vector256.Create(pa.GetLower(), pb.GetLower()).As<double, T>()), new(Vector256.Create(pa.GetUpper(), pb.GetUpper()).As<double, T>()));
            return;
        }
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAsInt32(Span<int> destination)
    {
        if (typeof(T) == typeof(float)) { Vector256.ConvertToInt32(V.AsSingle()).CopyTo(destination); return; }
        for (int i = 0; i < Count; i++) destination[i] = int.CreateTruncating(V[i]);
    }
}
