using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The element-wise part of one LSTM step for one batch row, gates in PyTorch's order [i | f | g | o] (each H wide):
/// i = σ(zᵢ), f = σ(z_f), g = tanh(z_g) (σ(z_g) when <c>sigmoidCandidate</c>, the Deep Learning book's input unit),
/// o = σ(z_o); c' = f⊙c + i⊙g; h' = o⊙act(c'), act = tanh (or ReLU for the textbook variant h = ReLU(s)·q). One fused
/// pass: Vector512 (AVX-512) or Vector256 lanes, then a scalar tail; the *Scalar methods are the twins the tests use as
/// oracles. The GEMMs that produce z live with the callers.
/// </summary>
internal static class LstmKernel
{
    /// <summary>Activates <paramref name="gates"/> [4H] in place and writes c', act(c') and h' [H].</summary>
    public static void ForwardRow<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate = false)
        where T : IFloatingPointIeee754<T>
    {
        Check(gates.Length, cPrev.Length, h.Length, c.Length, cellAct.Length);
        int j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported) j = Forward512(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate);
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported) j = Forward256(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate);
        ForwardScalar(j, gates, cPrev, h, c, cellAct, relu, sigmoidCandidate);
    }

    /// <summary>The scalar twin of <see cref="ForwardRow"/>.</summary>
    public static void ForwardRowScalar<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate = false)
        where T : IFloatingPointIeee754<T>
    {
        Check(gates.Length, cPrev.Length, h.Length, c.Length, cellAct.Length);
        ForwardScalar(0, gates, cPrev, h, c, cellAct, relu, sigmoidCandidate);
    }

    private static void Check(int gates, int hs, int h, int c, int a)
    {
        if (gates != 4 * hs || h < hs || c < hs || a < hs) throw new ArgumentException($"LstmKernel: gates must be 4·H = {4 * hs} and outputs at least H long");
    }

    private static void ForwardScalar<T>(int j, Span<T> z, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T>
    {
        var sig = new SigmoidSimdOperator<T>();
        var th = new TanhSimdOperator<T>();
        int hs = cPrev.Length;
        for (; j < hs; j++)
        {
            T zg = z[2 * hs + j];
            T i = sig.Invoke(z[j]), f = sig.Invoke(z[hs + j]), g = sigmoidCandidate ? sig.Invoke(zg) : th.Invoke(zg), o = sig.Invoke(z[3 * hs + j]);
            T cn = f * cPrev[j] + i * g;
            T a = relu ? T.Max(cn, T.Zero) : th.Invoke(cn);
            (z[j], z[hs + j], z[2 * hs + j], z[3 * hs + j]) = (i, f, g, o);
            (c[j], cellAct[j], h[j]) = (cn, a, o * a);
        }
    }

    private static int Forward512<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T>
    {
        var sig = new SigmoidSimdOperator<T>();
        var th = new TanhSimdOperator<T>();
        ref T z = ref MemoryMarshal.GetReference(gates);
        ref T cp = ref MemoryMarshal.GetReference(cPrev);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T cr = ref MemoryMarshal.GetReference(c);
        ref T ar = ref MemoryMarshal.GetReference(cellAct);
        int hs = cPrev.Length, w = Vector512<T>.Count, j = 0;
        nuint f0 = (nuint)hs, g0 = (nuint)(2 * hs), o0 = (nuint)(3 * hs);
        for (; j <= hs - w; j += w)
        {
            nuint u = (nuint)j;
            var i = sig.Invoke(Vector512.LoadUnsafe(ref z, u));
            var f = sig.Invoke(Vector512.LoadUnsafe(ref z, f0 + u));
            var zg = Vector512.LoadUnsafe(ref z, g0 + u);
            var g = sigmoidCandidate ? sig.Invoke(zg) : th.Invoke(zg);
            var o = sig.Invoke(Vector512.LoadUnsafe(ref z, o0 + u));
            var cn = f * Vector512.LoadUnsafe(ref cp, u) + i * g;
            var a = relu ? Vector512.Max(cn, Vector512<T>.Zero) : th.Invoke(cn);
            i.StoreUnsafe(ref z, u); f.StoreUnsafe(ref z, f0 + u); g.StoreUnsafe(ref z, g0 + u); o.StoreUnsafe(ref z, o0 + u);
            cn.StoreUnsafe(ref cr, u); a.StoreUnsafe(ref ar, u); (o * a).StoreUnsafe(ref hr, u);
        }
        return j;
    }

    private static int Forward256<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T>
    {
        var sig = new SigmoidSimdOperator<T>();
        var th = new TanhSimdOperator<T>();
        ref T z = ref MemoryMarshal.GetReference(gates);
        ref T cp = ref MemoryMarshal.GetReference(cPrev);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T cr = ref MemoryMarshal.GetReference(c);
        ref T ar = ref MemoryMarshal.GetReference(cellAct);
        int hs = cPrev.Length, w = Vector256<T>.Count, j = 0;
        nuint f0 = (nuint)hs, g0 = (nuint)(2 * hs), o0 = (nuint)(3 * hs);
        for (; j <= hs - w; j += w)
        {
            nuint u = (nuint)j;
            var i = sig.Invoke(Vector256.LoadUnsafe(ref z, u));
            var f = sig.Invoke(Vector256.LoadUnsafe(ref z, f0 + u));
            var zg = Vector256.LoadUnsafe(ref z, g0 + u);
            var g = sigmoidCandidate ? sig.Invoke(zg) : th.Invoke(zg);
            var o = sig.Invoke(Vector256.LoadUnsafe(ref z, o0 + u));
            var cn = f * Vector256.LoadUnsafe(ref cp, u) + i * g;
            var a = relu ? Vector256.Max(cn, Vector256<T>.Zero) : th.Invoke(cn);
            i.StoreUnsafe(ref z, u); f.StoreUnsafe(ref z, f0 + u); g.StoreUnsafe(ref z, g0 + u); o.StoreUnsafe(ref z, o0 + u);
            cn.StoreUnsafe(ref cr, u); a.StoreUnsafe(ref ar, u); (o * a).StoreUnsafe(ref hr, u);
        }
        return j;
    }

    /// <summary>
    /// Backward of <see cref="ForwardRow"/> from the activated gates, c and a = act(c'): with ∂L/∂h' = dh and
    /// ∂L/∂c' = dc (from later steps), dĉ = dc + dh⊙o⊙act'(c'); dz = [dĉ⊙g⊙i(1−i), dĉ⊙c⊙f(1−f), dĉ⊙i⊙(1−g²),
    /// dh⊙a⊙o(1−o)] and ∂L/∂c = dĉ⊙f. act' is 1 − a² for tanh, 1[a &gt; 0] for ReLU; with a σ candidate the g row
    /// is dĉ⊙i⊙g(1−g) instead.
    /// </summary>
    public static void BackwardRow<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate = false)
        where T : IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported) j = Backward512(gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate);
        BackwardScalar(j, gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate);
    }

    /// <summary>The scalar twin of <see cref="BackwardRow"/>.</summary>
    public static void BackwardRowScalar<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate = false)
        where T : IFloatingPointIeee754<T> => BackwardScalar(0, gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate);

    private static void BackwardScalar<T>(int j, ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T>
    {
        int hs = cPrev.Length;
        for (; j < hs; j++)
        {
            T i = gates[j], f = gates[hs + j], g = gates[2 * hs + j], o = gates[3 * hs + j], a = cellAct[j];
            T dAct = relu ? (a > T.Zero ? T.One : T.Zero) : T.One - a * a;
            T dcTotal = dc[j] + dh[j] * o * dAct;
            dz[j] = dcTotal * g * i * (T.One - i);
            dz[hs + j] = dcTotal * cPrev[j] * f * (T.One - f);
            dz[2 * hs + j] = dcTotal * i * (sigmoidCandidate ? g * (T.One - g) : T.One - g * g);
            dz[3 * hs + j] = dh[j] * a * o * (T.One - o);
            dcPrev[j] = dcTotal * f;
        }
    }

    // Backward is plain arithmetic, so one vector width suffices (AVX-512 machines; elsewhere the scalar loop).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Backward512<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gates);
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        int hs = cPrev.Length, w = Vector512<T>.Count, j = 0;
        nuint f0 = (nuint)hs, g0 = (nuint)(2 * hs), o0 = (nuint)(3 * hs);
        var one = Vector512<T>.One;
        for (; j <= hs - w; j += w)
        {
            nuint u = (nuint)j;
            var i = Vector512.LoadUnsafe(ref gr, u);
            var f = Vector512.LoadUnsafe(ref gr, f0 + u);
            var g = Vector512.LoadUnsafe(ref gr, g0 + u);
            var o = Vector512.LoadUnsafe(ref gr, o0 + u);
            var a = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(cellAct), u);
            var dhv = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(dh), u);
            var dAct = relu ? Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<T>.Zero), one, Vector512<T>.Zero) : one - a * a;
            var dcTotal = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(dc), u) + dhv * o * dAct;
            (dcTotal * g * i * (one - i)).StoreUnsafe(ref dzr, u);
            (dcTotal * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(cPrev), u) * f * (one - f)).StoreUnsafe(ref dzr, f0 + u);
            (dcTotal * i * (sigmoidCandidate ? g * (one - g) : one - g * g)).StoreUnsafe(ref dzr, g0 + u);
            (dhv * a * o * (one - o)).StoreUnsafe(ref dzr, o0 + u);
            (dcTotal * f).StoreUnsafe(ref MemoryMarshal.GetReference(dcPrev), u);
        }
        return j;
    }
}
