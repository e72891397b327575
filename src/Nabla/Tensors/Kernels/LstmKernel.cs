using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The element-wise part of one LSTM step for one batch row, gates in PyTorch's order [i | f | g | o] (each H wide):
/// i = σ(zᵢ), f = σ(z_f), g = tanh(z_g) (σ(z_g) when <c>sigmoidCandidate</c>, the Deep Learning book's input unit),
/// o = σ(z_o); c' = f⊙c + i⊙g; h' = o⊙act(c'), act = tanh (or ReLU for the textbook variant h = ReLU(s)·q). One fused
/// pass: one generic vector body at the widest width the hardware has (<see cref="Vec"/>), then a scalar tail; the *Scalar methods are the twins the tests use as
/// oracles. The GEMMs that produce z live with the callers.
/// </summary>
internal static class LstmKernel
{
    /// <summary>Activates <paramref name="gates"/> [4H] in place and writes c', act(c') and h' [H].</summary>
    public static void ForwardRow<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate = false)
        where T : IFloatingPointIeee754<T>
        => ForwardRowAt(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate, Vec.Best<T>());

    /// <summary><see cref="ForwardRow"/> at a given vector width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ForwardRowAt<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate, VecWidth width)
        where T : IFloatingPointIeee754<T>
    {
        Check(gates.Length, cPrev.Length, h.Length, c.Length, cellAct.Length);
        int j = width switch
        {
            VecWidth.V512 => Forward<T, V512<T>>(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate),
            VecWidth.V256 => Forward<T, V256<T>>(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate),
            VecWidth.V128 => Forward<T, V128<T>>(gates, cPrev, h, c, cellAct, relu, sigmoidCandidate),
            _ => 0,
        };
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

    /// <summary>The vector body, one copy per width; returns where the scalar tail starts.</summary>
    private static int Forward<T, TV>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu,
        bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        var sig = new SigmoidSimdOperator<T>();
        var th = new TanhSimdOperator<T>();
        ref T z = ref MemoryMarshal.GetReference(gates);
        ref T cp = ref MemoryMarshal.GetReference(cPrev);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T cr = ref MemoryMarshal.GetReference(c);
        ref T ar = ref MemoryMarshal.GetReference(cellAct);
        int hs = cPrev.Length, w = TV.Count, j = 0;
        nuint f0 = (nuint)hs, g0 = (nuint)(2 * hs), o0 = (nuint)(3 * hs);
        for (; j <= hs - w; j += w)
        {
            nuint u = (nuint)j;
            var i = sig.Invoke(TV.Load(ref z, u));
            var f = sig.Invoke(TV.Load(ref z, f0 + u));
            var zg = TV.Load(ref z, g0 + u);
            var g = sigmoidCandidate ? sig.Invoke(zg) : th.Invoke(zg);
            var o = sig.Invoke(TV.Load(ref z, o0 + u));
            var cn = f * TV.Load(ref cp, u) + i * g;
            var a = relu ? TV.Max(cn, TV.Zero) : th.Invoke(cn);
            i.Store(ref z, u); f.Store(ref z, f0 + u); g.Store(ref z, g0 + u); o.Store(ref z, o0 + u);
            cn.Store(ref cr, u); a.Store(ref ar, u); (o * a).Store(ref hr, u);
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
        where T : IFloatingPointIeee754<T> => BackwardRowAt(gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate, Vec.Best<T>());

    /// <summary><see cref="BackwardRow"/> at a given vector width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BackwardRowAt<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate, VecWidth width)
        where T : IFloatingPointIeee754<T>
    {
        int j = width switch
        {
            VecWidth.V512 => Backward<T, V512<T>>(gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate),
            VecWidth.V256 => Backward<T, V256<T>>(gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate),
            VecWidth.V128 => Backward<T, V128<T>>(gates, cPrev, cellAct, dh, dc, dz, dcPrev, relu, sigmoidCandidate),
            _ => 0,
        };
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Backward<T, TV>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu, bool sigmoidCandidate)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gates);
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        int hs = cPrev.Length, w = TV.Count, j = 0;
        nuint f0 = (nuint)hs, g0 = (nuint)(2 * hs), o0 = (nuint)(3 * hs);
        var one = TV.One;
        for (; j <= hs - w; j += w)
        {
            nuint u = (nuint)j;
            var i = TV.Load(ref gr, u);
            var f = TV.Load(ref gr, f0 + u);
            var g = TV.Load(ref gr, g0 + u);
            var o = TV.Load(ref gr, o0 + u);
            var a = TV.Load(ref MemoryMarshal.GetReference(cellAct), u);
            var dhv = TV.Load(ref MemoryMarshal.GetReference(dh), u);
            var dAct = relu ? TV.GreaterThan(a, TV.Zero) & one : one - a * a;
            var dcTotal = TV.Load(ref MemoryMarshal.GetReference(dc), u) + dhv * o * dAct;
            (dcTotal * g * i * (one - i)).Store(ref dzr, u);
            (dcTotal * TV.Load(ref MemoryMarshal.GetReference(cPrev), u) * f * (one - f)).Store(ref dzr, f0 + u);
            (dcTotal * i * (sigmoidCandidate ? g * (one - g) : one - g * g)).Store(ref dzr, g0 + u);
            (dhv * a * o * (one - o)).Store(ref dzr, o0 + u);
            (dcTotal * f).Store(ref MemoryMarshal.GetReference(dcPrev), u);
        }
        return j;
    }
}
