using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

// Stride 1 with OutW = W ("same" width, e.g. 5×5 with padding 2, 3×3 with padding 1): tap (kh, kw) reads
// x[p + shift] for output pixel p = oh·OutW + ow, shift = offH·W + offW. So the tap's whole block of valid output rows
// is one contiguous run of the plane, except the |offW| border columns per row whose read wrapped into the
// neighbouring image row (they read horizontal padding). A per-kw column mask (all bits set where
// 0 ≤ ow + offW < W, else 0) clears exactly those: im2col is col = x[· + shift] AND mask, col2im is
// x[· + shift] += col AND mask (masked entries add +0), each one vector pass per tap instead of a copy per row.
internal static partial class Im2Col
{
    /// <summary>The shifted forms apply: stride 1, OutW = W, float or double, SIMD available.</summary>
    private static bool IsShifted<T>(in ConvGeometry g) =>
        g.StrideH == 1 && g.StrideW == 1 && g.OutW == g.W && g.OutPixels > 0 && Vector128.IsHardwareAccelerated
        && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>One tap's block: output pixels [D0, D1) are vertically valid, [C0, C1) of them read inside the plane
    /// (outside it every pixel is a masked border column); input index = output index + Shift.</summary>
    private readonly record struct TapBlock(int D0, int D1, int C0, int C1, int Shift);

    /// <summary>Per-thread cache of the last geometry's column masks and tap blocks (every image of a batch, and
    /// every step of a training run, uses the same few geometries).</summary>
    private sealed class ShiftPlan<T>
    {
        [ThreadStatic] private static ShiftPlan<T>? _last;
        public ConvGeometry Geometry;
        public T[] Masks = [];        // [KernelW, P]: all bits set where output column ow + offW lies in [0, W)
        public TapBlock[] Taps = [];  // [KernelH·KernelW]

        public static ShiftPlan<T> For(in ConvGeometry g)
        {
            var plan = _last;
            if (plan is not null && plan.Geometry == g) return plan;
            plan = new ShiftPlan<T> { Geometry = g, Masks = new T[g.KernelW * g.OutPixels], Taps = new TapBlock[g.KernelH * g.KernelW] };
            T ones = AllBits();
            int p = g.OutPixels, outW = g.OutW;
            for (int kw = 0; kw < g.KernelW; kw++)
            {
                int offW = kw * g.DilationW - g.PadLeft;
                var m = plan.Masks.AsSpan(kw * p, p);
                for (int ow = 0; ow < outW; ow++) m[ow] = ow + offW >= 0 && ow + offW < g.W ? ones : default!;
                for (int q = outW; q < p; q += outW) m[..outW].CopyTo(m[q..]);
            }
            for (int kh = 0; kh < g.KernelH; kh++)
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int offH = kh * g.DilationH - g.PadTop, offW = kw * g.DilationW - g.PadLeft;
                    int ohLo = Math.Clamp(-offH, 0, g.OutH), ohHi = Math.Clamp(g.H - offH, ohLo, g.OutH);   // 0 ≤ oh + offH < H
                    bool anyColumn = -offW < g.W && g.W - offW > 0;
                    int d0 = ohLo * outW, d1 = anyColumn ? ohHi * outW : d0, shift = offH * g.W + offW;
                    int c0 = Math.Clamp(-shift, d0, d1), c1 = Math.Clamp(g.H * g.W - shift, c0, d1);
                    plan.Taps[kh * g.KernelW + kw] = new TapBlock(d0, d1, c0, c1, shift);
                }
            _last = plan;
            return plan;
        }

        private static T AllBits()
        {
            if (typeof(T) == typeof(float)) { float f = BitConverter.Int32BitsToSingle(-1); return Unsafe.As<float, T>(ref f); }
            double d = BitConverter.Int64BitsToDouble(-1L);
            return Unsafe.As<double, T>(ref d);
        }
    }

    private static void ForwardShifted<T>(ReadOnlySpan<T> image, in ConvGeometry g, Span<T> col, int ldCol) where T : INumberBase<T>
    {
        int p = g.OutPixels, planeSize = g.H * g.W, taps = g.KernelH * g.KernelW;
        var plan = ShiftPlan<T>.For(g);
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * planeSize, planeSize);
            for (int t = 0; t < taps; t++)
            {
                var row = col.Slice((c * taps + t) * ldCol, p);
                var b = plan.Taps[t];
                ZeroShort(row[..b.C0]);
                ZeroShort(row[b.C1..]);
                if (b.C1 > b.C0)
                    MaskedCopy(plane.Slice(b.C0 + b.Shift, b.C1 - b.C0), plan.Masks.AsSpan(t % g.KernelW * p + b.C0, b.C1 - b.C0), row[b.C0..b.C1]);
            }
        }
    }

    private static void BackwardShifted<T>(ReadOnlySpan<T> col, int ldCol, in ConvGeometry g, Span<T> image) where T : INumberBase<T>
    {
        int p = g.OutPixels, planeSize = g.H * g.W, taps = g.KernelH * g.KernelW;
        image[..g.ImageSize].Clear();
        var plan = ShiftPlan<T>.For(g);
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * planeSize, planeSize);
            for (int t = 0; t < taps; t++)
            {
                var row = col.Slice((c * taps + t) * ldCol, p);
                var b = plan.Taps[t];
                if (b.C1 > b.C0)
                    MaskedAdd(row[b.C0..b.C1], plan.Masks.AsSpan(t % g.KernelW * p + b.C0, b.C1 - b.C0), plane.Slice(b.C0 + b.Shift, b.C1 - b.C0));
            }
        }
    }

    /// <summary>d = 0 for the few padding rows of a tap (a Clear call costs more than the stores): vectors, the last
    /// one overlapping.</summary>
    private static void ZeroShort<T>(Span<T> d) where T : INumberBase<T>
    {
        if (Zero<T, V512<T>>(d) || Zero<T, V256<T>>(d) || Zero<T, V128<T>>(d)) return;
        for (int i = 0; i < d.Length; i++) d[i] = T.Zero;
    }

    private static bool Zero<T, TV>(Span<T> d) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        int n = d.Length, v = TV.Count;
        if (!TV.IsSupported || n < v) return false;
        ref T dr = ref MemoryMarshal.GetReference(d);
        for (int i = 0; ; i += v)
        {
            int at = Math.Min(i, n - v);
            TV.Zero.Store(ref dr, (nuint)at);
            if (at == n - v) return true;
        }
    }

    /// <summary>d = s AND m (bitwise); the last vector overlaps the previous one, which only rewrites equal values.</summary>
    private static void MaskedCopy<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> m, Span<T> d) where T : INumberBase<T>
    {
        if (MaskedCopy<T, V512<T>>(s, m, d) || MaskedCopy<T, V256<T>>(s, m, d) || MaskedCopy<T, V128<T>>(s, m, d)) return;
        for (int i = 0; i < s.Length; i++) d[i] = (Vector128.CreateScalar(s[i]) & Vector128.CreateScalar(m[i])).ToScalar();
    }

    private static bool MaskedCopy<T, TV>(ReadOnlySpan<T> s, ReadOnlySpan<T> m, Span<T> d) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        int n = s.Length, v = TV.Count;
        if (!TV.IsSupported || n < v) return false;
        ref T sr = ref MemoryMarshal.GetReference(s);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T dr = ref MemoryMarshal.GetReference(d);
        for (int i = 0; ; i += v)
        {
            int at = Math.Min(i, n - v);
            (TV.Load(ref sr, (nuint)at) & TV.Load(ref mr, (nuint)at)).Store(ref dr, (nuint)at);
            if (at == n - v) return true;
        }
    }

    /// <summary>d += s AND m (bitwise): whole vectors, then narrower ones and scalars (no overlap: adds are not idempotent).</summary>
    private static void MaskedAdd<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> m, Span<T> d) where T : INumberBase<T>
    {
        int i = MaskedAdd<T, V512<T>>(s, m, d, 0);
        i = MaskedAdd<T, V256<T>>(s, m, d, i);
        i = MaskedAdd<T, V128<T>>(s, m, d, i);
        for (; i < s.Length; i++)
            d[i] = (Vector128.CreateScalar(d[i]) + (Vector128.CreateScalar(s[i]) & Vector128.CreateScalar(m[i]))).ToScalar();
    }

    private static int MaskedAdd<T, TV>(ReadOnlySpan<T> s, ReadOnlySpan<T> m, Span<T> d, int i) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        if (!TV.IsSupported) return i;
        ref T sr = ref MemoryMarshal.GetReference(s);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T dr = ref MemoryMarshal.GetReference(d);
        for (; i <= s.Length - TV.Count; i += TV.Count)
            (TV.Load(ref dr, (nuint)i) + (TV.Load(ref sr, (nuint)i) & TV.Load(ref mr, (nuint)i))).Store(ref dr, (nuint)i);
        return i;
    }
}
