using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

// The 2×2 / stride-2 / unpadded max-pooling fast path (LeNet- and VGG-style networks), branch-free and vectorised.
internal static partial class Pooling
{
    /// <summary>
    /// The common 2×2, stride-2, unpadded window (every tap in bounds), with the geometry in locals. The taps are
    /// compared in the general loop's order ((0,0), (0,1), (1,0), (1,1); the first maximum wins, a NaN always wins)
    /// as branch-free vector selects: 8 (or 4) outputs of a row at a time from 16 (or 8) loaded input columns split
    /// into even and odd ones, a last block overlapping the previous one; data-dependent branches would mispredict
    /// about every other tap on real activations.
    /// </summary>
    private static void MaxForward2x2<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> idx, int lo, int hi, int h, int w, int outH, int outW)
        where T : IFloatingPointIeee754<T>
    {
        bool keepIndices = !idx.IsEmpty;
        bool v8 = typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && outW >= 8;
        bool v4 = typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated && outW >= 4;
        for (int pl = lo; pl < hi; pl++)
        {
            var plane = x.Slice(pl * h * w, h * w);
            for (int oh = 0; oh < outH; oh++)
            {
                int r0 = 2 * oh * w, o = (pl * outH + oh) * outW;
                if (v8 || v4)
                {
                    var xf = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(plane)), plane.Length);
                    var yf = MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(y)), y.Length);
                    var idxRow = keepIndices ? idx.Slice(o, outW) : default;
                    for (int ow = 0; ow < outW;)
                    {
                        int step = v8 ? 8 : 4, at = Math.Min(ow, outW - step);
                        if (v8) Max2x2Block8(xf, r0, w, at, yf.Slice(o + at, 8), keepIndices ? idxRow.Slice(at, 8) : default);
                        else Max2x2Block4(xf, r0, w, at, yf.Slice(o + at, 4), keepIndices ? idxRow.Slice(at, 4) : default);
                        ow = at + step;
                    }
                    continue;
                }
                int r1 = r0 + w;
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

    /// <summary>Outputs ow0 .. ow0+7 of the output row whose window rows start at plane[r0] and plane[r0 + w].</summary>
    private static void Max2x2Block8(ReadOnlySpan<float> plane, int r0, int w, int ow0, Span<float> y, Span<int> idx)
    {
        var evensOdds = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        var top = Vector512.Shuffle(Vector512.Create(plane.Slice(r0 + 2 * ow0, 16)), evensOdds);
        var bottom = Vector512.Shuffle(Vector512.Create(plane.Slice(r0 + w + 2 * ow0, 16)), evensOdds);
        var i00 = Vector256.Create(r0 + 2 * ow0) + Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var best = Vector256.Create(float.NegativeInfinity);
        var at = Vector256.Create(-1);
        Take(top.GetLower(), i00, ref best, ref at);
        Take(top.GetUpper(), i00 + Vector256.Create(1), ref best, ref at);
        Take(bottom.GetLower(), i00 + Vector256.Create(w), ref best, ref at);
        Take(bottom.GetUpper(), i00 + Vector256.Create(w + 1), ref best, ref at);
        best.CopyTo(y);
        if (!idx.IsEmpty) at.CopyTo(idx);

        static void Take(Vector256<float> v, Vector256<int> i, ref Vector256<float> best, ref Vector256<int> at)
        {
            var m = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);   // v > best or v is NaN
            best = Vector256.ConditionalSelect(m, v, best);
            at = Vector256.ConditionalSelect(m.AsInt32(), i, at);
        }
    }

    /// <summary><see cref="Max2x2Block8"/> for 4 outputs (rows of 8 to 15 output columns).</summary>
    private static void Max2x2Block4(ReadOnlySpan<float> plane, int r0, int w, int ow0, Span<float> y, Span<int> idx)
    {
        var evensOdds = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var top = Vector256.Shuffle(Vector256.Create(plane.Slice(r0 + 2 * ow0, 8)), evensOdds);
        var bottom = Vector256.Shuffle(Vector256.Create(plane.Slice(r0 + w + 2 * ow0, 8)), evensOdds);
        var i00 = Vector128.Create(r0 + 2 * ow0) + Vector128.Create(0, 2, 4, 6);
        var best = Vector128.Create(float.NegativeInfinity);
        var at = Vector128.Create(-1);
        Take(top.GetLower(), i00, ref best, ref at);
        Take(top.GetUpper(), i00 + Vector128.Create(1), ref best, ref at);
        Take(bottom.GetLower(), i00 + Vector128.Create(w), ref best, ref at);
        Take(bottom.GetUpper(), i00 + Vector128.Create(w + 1), ref best, ref at);
        best.CopyTo(y);
        if (!idx.IsEmpty) at.CopyTo(idx);

        static void Take(Vector128<float> v, Vector128<int> i, ref Vector128<float> best, ref Vector128<int> at)
        {
            var m = Vector128.GreaterThan(v, best) | ~Vector128.Equals(v, v);
            best = Vector128.ConditionalSelect(m, v, best);
            at = Vector128.ConditionalSelect(m.AsInt32(), i, at);
        }
    }
}
