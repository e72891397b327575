using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

// The 2×2 / stride-2 / unpadded max-pooling fast path (LeNet- and VGG-style networks), branch-free and vectorised.
internal static partial class Pooling
{
    /// <summary>
    /// The common 2×2, stride-2, unpadded window (every tap in bounds), with the geometry in locals. The taps are
    /// compared in the general loop's order ((0,0), (0,1), (1,0), (1,1); the first maximum wins, a NaN always wins)
    /// as branch-free vector selects: one vector of outputs of a row at a time from two vectors of each input row
    /// split into even and odd columns, a last block overlapping the previous one; data-dependent branches would
    /// mispredict about every other tap on real activations. The widest vector not wider than the output row runs.
    /// </summary>
    private static void MaxForward2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> idx, int lo, int hi, int h, int w, int outH, int outW)
        where T : IFloatingPointIeee754<T>
        => MaxForward2x2(x, y, idx, lo, hi, h, w, outH, outW, Width2x2<T>(outW, h * w));

    /// <summary>The width the 2×2 rows run at: the widest supported one with Count ≤ outW, while the plane's indices
    /// stay exact in T (they ride in the value lanes).</summary>
    private static VecWidth Width2x2<T>(int outW, int planeSize) where T : IFloatingPointIeee754<T>
    {
        if (planeSize > (typeof(T) == typeof(float) ? 1 << 24 : int.MaxValue)) return VecWidth.Scalar;
        if (V512<T>.IsSupported && outW >= V512<T>.Count) return VecWidth.V512;
        if (V256<T>.IsSupported && outW >= V256<T>.Count) return VecWidth.V256;
        if (V128<T>.IsSupported && outW >= V128<T>.Count) return VecWidth.V128;
        return VecWidth.Scalar;
    }

    /// <summary>The 2×2 path at a given width (tests force each one; a width wider than the row falls back to scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MaxForward2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> idx, int lo, int hi, int h, int w, int outH, int outW, VecWidth width)
        where T : IFloatingPointIeee754<T>
    {
        switch (width)
        {
            case VecWidth.V512 when outW >= V512<T>.Count: Rows2x2<T, V512<T>>(x, y, idx, lo, hi, h, w, outH, outW); break;
            case VecWidth.V256 when outW >= V256<T>.Count: Rows2x2<T, V256<T>>(x, y, idx, lo, hi, h, w, outH, outW); break;
            case VecWidth.V128 when outW >= V128<T>.Count: Rows2x2<T, V128<T>>(x, y, idx, lo, hi, h, w, outH, outW); break;
            default: Rows2x2Scalar(x, y, idx, lo, hi, h, w, outH, outW); break;
        }
    }

    private static void Rows2x2<T, TV>(ReadOnlySpan<T> x, Span<T> y, Span<int> idx, int lo, int hi, int h, int w, int outH, int outW)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        bool keepIndices = !idx.IsEmpty;
        int step = TV.Count;
        for (int pl = lo; pl < hi; pl++)
        {
            var plane = x.Slice(pl * h * w, h * w);
            for (int oh = 0; oh < outH; oh++)
            {
                int r0 = 2 * oh * w, o = (pl * outH + oh) * outW;
                for (int ow = 0; ow < outW;)
                {
                    int at = Math.Min(ow, outW - step);
                    Max2x2Block<T, TV>(plane, r0, w, at, y.Slice(o + at, step), keepIndices ? idx.Slice(o + at, step) : default);
                    ow = at + step;
                }
            }
        }
    }

    /// <summary>Outputs ow0 .. ow0+Count−1 of the output row whose window rows start at plane[r0] and plane[r0 + w].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max2x2Block<T, TV>(ReadOnlySpan<T> plane, int r0, int w, int ow0, Span<T> y, Span<int> idx)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        var row = plane.Slice(r0 + 2 * ow0, w + 2 * TV.Count);   // bounds: both input rows' 2·Count columns
        ref T p = ref MemoryMarshal.GetReference(row);
        TV.LoadUnzip(ref p, 0, out var t0, out var t1);
        TV.LoadUnzip(ref p, (nuint)w, out var b0, out var b1);
        var i00 = TV.Create(T.CreateTruncating(r0 + 2 * ow0)) + TV.Indices * T.CreateTruncating(2);
        var best = TV.Create(T.NegativeInfinity);
        var at = TV.Create(-T.One);
        Take(t0, i00, ref best, ref at);
        Take(t1, i00 + TV.One, ref best, ref at);
        Take(b0, i00 + TV.Create(T.CreateTruncating(w)), ref best, ref at);
        Take(b1, i00 + TV.Create(T.CreateTruncating(w + 1)), ref best, ref at);
        best.Store(ref MemoryMarshal.GetReference(y[..TV.Count]), 0);
        if (!idx.IsEmpty) at.StoreAsInt32(idx);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Take(TV v, TV i, ref TV best, ref TV at)
        {
            var m = TV.GreaterThan(v, best) | ~TV.Equals(v, v);   // v > best or v is NaN
            best = TV.Select(m, v, best);
            at = TV.Select(m, i, at);
        }
    }

    private static void Rows2x2Scalar<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> idx, int lo, int hi, int h, int w, int outH, int outW)
        where T : IFloatingPointIeee754<T>
    {
        bool keepIndices = !idx.IsEmpty;
        for (int pl = lo; pl < hi; pl++)
        {
            var plane = x.Slice(pl * h * w, h * w);
            for (int oh = 0; oh < outH; oh++)
            {
                int r0 = 2 * oh * w, r1 = r0 + w, o = (pl * outH + oh) * outW;
                for (int ow = 0; ow < outW; ow++, o++)
                {
                    int i = 2 * ow;
                    T best = T.NegativeInfinity;
                    int at = -1;
                    T v = plane[r0 + i];
                    if (v > best || T.IsNaN(v)) { best = v; at = r0 + i; }
                    v = plane[r0 + i + 1];
                    if (v > best || T.IsNaN(v)) { best = v; at = r0 + i + 1; }
                    v = plane[r1 + i];
                    if (v > best || T.IsNaN(v)) { best = v; at = r1 + i; }
                    v = plane[r1 + i + 1];
                    if (v > best || T.IsNaN(v)) { best = v; at = r1 + i + 1; }
                    y[o] = best;
                    if (keepIndices) idx[o] = at;
                }
            }
        }
    }
}
