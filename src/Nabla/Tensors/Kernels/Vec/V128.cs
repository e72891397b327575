using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>A Vector128 register as an <see cref="IVec{TSelf, T}"/> (see <see cref="V512{T}"/>).</summary>
internal readonly struct V128<T>(Vector128<T> v) : IVec<V128<T>, T> where T : INumberBase<T>
{
    public readonly Vector128<T> V = v;

    public static int Count => Vector128<T>.Count;
    public static bool IsSupported => Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported;
    public static V128<T> Zero => new(Vector128<T>.Zero);
    public static V128<T> One => new(Vector128<T>.One);
    public static V128<T> Indices => new(Vector128<T>.Indices);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Create(T value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Load(ref T source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref T destination, nuint offset) => V.StoreUnsafe(ref destination, offset);
    public void CopyTo(Span<T> destination) => V.CopyTo(destination);
    public T this[int lane] => V[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator +(V128<T> x, V128<T> y) => new(x.V + y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator -(V128<T> x, V128<T> y) => new(x.V - y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator *(V128<T> x, V128<T> y) => new(x.V * y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator *(V128<T> x, T y) => new(x.V * y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator /(V128<T> x, V128<T> y) => new(x.V / y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator -(V128<T> x) => new(-x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator &(V128<T> x, V128<T> y) => new(x.V & y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator |(V128<T> x, V128<T> y) => new(x.V | y.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> operator ~(V128<T> x) => new(~x.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(V128<T> x) => Vector128.Sum(x.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Max(V128<T> x, V128<T> y) => new(Vector128.Max(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Min(V128<T> x, V128<T> y) => new(Vector128.Min(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Abs(V128<T> x) => new(Vector128.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Select(V128<T> mask, V128<T> ifTrue, V128<T> ifFalse) => new(Vector128.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> Equals(V128<T> x, V128<T> y) => new(Vector128.Equals(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> GreaterThan(V128<T> x, V128<T> y) => new(Vector128.GreaterThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> GreaterThanOrEqual(V128<T> x, V128<T> y) => new(Vector128.GreaterThanOrEqual(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> LessThan(V128<T> x, V128<T> y) => new(Vector128.LessThan(x.V, y.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V128<T> LessThanOrEqual(V128<T> x, V128<T> y) => new(Vector128.LessThanOrEqual(x.V, y.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> FusedMultiplyAdd(V128<T> a, V128<T> b, V128<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.FusedMultiplyAdd(a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.FusedMultiplyAdd(a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    // Vector128.FusedMultiplyAdd/Exp/Log exist only for float and double; the typeof checks are JIT-time constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> Exp(V128<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Exp(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Exp(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128<T> Log(V128<T> x)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Log(x.V.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Log(x.V.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref T source, nuint offset, out V128<T> even, out V128<T> odd)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            if (typeof(T) == typeof(float))
            {
                var v = Vector256.Shuffle(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref source), offset), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7));
                (even, odd) = (new(v.GetLower().As<float, T>()), new(v.GetUpper().As<float, T>()));
                return;
            }
            if (typeof(T) == typeof(double))
            {
                var v = Vector256.Shuffle(Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref source), offset), Vector256.Create(0L, 2, 1, 3));
                (even, odd) = (new(v.GetLower().As<double, T>()), new(v.GetUpper().As<double, T>()));
                return;
            }
        }
        // Two loads, each shuffled to [evens | odds], then the halves of each kind joined.
        var a = Vector128.LoadUnsafe(ref source, offset);
        var b = Vector128.LoadUnsafe(ref source, offset + (nuint)Count);
        if (typeof(T) == typeof(float))
        {
            var k = Vector128.Create(0, 2, 1, 3);
            var pa = Vector128.Shuffle(a.AsSingle(), k);
            var pb = Vector128.Shuffle(b.AsSingle(), k);
            (even, odd) = (new(Vector128.Create(pa.GetLower(), pb.GetLower()).As<float, T>()), new(Vector128.Create(pa.GetUpper(), pb.GetUpper()).As<float, T>()));
            return;
        }
        if (typeof(T) == typeof(double))
        {
            var k = Vector128.Create(0L, 1);
            var pa = Vector128.Shuffle(a.AsDouble(), k);
            var pb = Vector128.Shuffle(b.AsDouble(), k);
            (even, odd) = (new(Vector128.Create(pa.GetLower(), pb.GetLower()).As<double, T>()), new(Vector128.Create(pa.GetUpper(), pb.GetUpper()).As<double, T>()));
            return;
        }
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAsInt32(Span<int> destination)
    {
        if (typeof(T) == typeof(float)) { Vector128.ConvertToInt32(V.AsSingle()).CopyTo(destination); return; }
        for (int i = 0; i < Count; i++) destination[i] = int.CreateTruncating(V[i]);
    }
}
