using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The column (im2col) form of a convolution, which turns it into one matrix product. For one image [C, H, W] the
/// column matrix has a row per weight tap r = (c·KernelH + kh)·KernelW + kw and a column per output pixel
/// p = oh·OutW + ow: col[r, p] = x[c, oh·sH − padTop + kh·dH, ow·sW − padLeft + kw·dW] (0 in the padding).
/// Then y[co, p] = Σ_r w[co, r]·col[r, p]. Col2Im is the adjoint (transpose) map: it sums every column entry back
/// onto the pixel it was read from, which is the gradient of Im2Col.
/// </summary>
/// <remarks>
/// The fast forms hoist the padding test out of the inner loop: per tap and output row the valid output columns
/// form one range (<see cref="ConvGeometry.ValidRange"/>), which at stride 1 is a block copy (Im2Col) or a SIMD add
/// (Col2Im). The scalar twins test every element and are the oracles of the tests. <c>ldCol</c> is the row stride
/// of the column matrix, so several images can sit side by side in one matrix (image j at column offset j·OutPixels).
/// </remarks>
internal static partial class Im2Col
{
    /// <summary>col[r, p] (row stride ldCol) = the input pixel that tap r reads for output pixel p, 0 in padding.</summary>
    public static void Forward<T>(ReadOnlySpan<T> image, in ConvGeometry g, Span<T> col, int ldCol) where T : INumberBase<T>
    {
        Check(image.Length, g, col.Length, ldCol);
        if (IsShifted<T>(g)) { ForwardShifted(image, g, col, ldCol); return; }
        int outW = g.OutW, outPixels = g.OutPixels;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.H * g.W, g.H * g.W);
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                int offH = kh * g.DilationH - g.PadTop;
                var (ohLo, ohHi) = ConvGeometry.ValidRange(g.OutH, g.H, g.StrideH, offH);
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int r = (c * g.KernelH + kh) * g.KernelW + kw;
                    var row = col.Slice(r * ldCol, outPixels);
                    int offW = kw * g.DilationW - g.PadLeft;
                    var (owLo, owHi) = ConvGeometry.ValidRange(outW, g.W, g.StrideW, offW);
                    if (owLo >= owHi) { row.Clear(); continue; }
                    row[..(ohLo * outW)].Clear();
                    row[(ohHi * outW)..].Clear();
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        var dst = row.Slice(oh * outW, outW);
                        var src = plane.Slice((oh * g.StrideH + offH) * g.W);   // input row ih
                        for (int ow = 0; ow < owLo; ow++) dst[ow] = T.Zero;          // borders are a pixel or two:
                        for (int ow = owHi; ow < outW; ow++) dst[ow] = T.Zero;       // loops beat Clear() calls
                        if (g.StrideW == 1) CopyShort(src.Slice(owLo + offW, owHi - owLo), dst[owLo..owHi]);
                        else for (int ow = owLo, iw = owLo * g.StrideW + offW; ow < owHi; ow++, iw += g.StrideW) dst[ow] = src[iw];
                    }
                }
            }
        }
    }

    /// <summary>image = Σ over taps of col scattered back to the pixels they read (overwrites image; padding
    /// entries are dropped). The adjoint of <see cref="Forward{T}"/>.</summary>
    public static void Backward<T>(ReadOnlySpan<T> col, int ldCol, in ConvGeometry g, Span<T> image) where T : IFloatingPointIeee754<T>
    {
        Check(image.Length, g, col.Length, ldCol);
        if (IsShifted<T>(g)) { BackwardShifted(col, ldCol, g, image); return; }
        image[..g.ImageSize].Clear();
        int outW = g.OutW;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.H * g.W, g.H * g.W);
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                int offH = kh * g.DilationH - g.PadTop;
                var (ohLo, ohHi) = ConvGeometry.ValidRange(g.OutH, g.H, g.StrideH, offH);
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    var row = col.Slice(((c * g.KernelH + kh) * g.KernelW + kw) * ldCol, g.OutPixels);
                    int offW = kw * g.DilationW - g.PadLeft;
                    var (owLo, owHi) = ConvGeometry.ValidRange(outW, g.W, g.StrideW, offW);
                    if (owLo >= owHi) continue;
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        var src = row.Slice(oh * outW, outW);
                        var dst = plane.Slice((oh * g.StrideH + offH) * g.W);
                        if (g.StrideW == 1) AddShort(dst.Slice(owLo + offW, owHi - owLo), src[owLo..owHi]);
                        else for (int ow = owLo, iw = owLo * g.StrideW + offW; ow < owHi; ow++, iw += g.StrideW) dst[iw] += src[ow];
                    }
                }
            }
        }
    }

    /// <summary>d += s for a run of one image row: up to two vectors loaded before either is stored, so their overlap
    /// (runs that are not a whole number of vectors) still receives s once; longer runs take <see cref="AddInPlace"/>.</summary>
    private static void AddShort<T>(Span<T> d, ReadOnlySpan<T> s) where T : IFloatingPointIeee754<T>
    {
        int n = Math.Min(d.Length, s.Length);
        if (AddTwo<T, V512<T>>(d, s, n) || AddTwo<T, V256<T>>(d, s, n) || AddTwo<T, V128<T>>(d, s, n)) return;
        AddInPlace(d[..n], s[..n]);
    }

    /// <summary>d += s when n is one to two vectors of this width (two overlapping vectors); false otherwise.</summary>
    private static bool AddTwo<T, TV>(Span<T> d, ReadOnlySpan<T> s, int n) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        if (!TV.IsSupported || n < TV.Count || n > 2 * TV.Count) return false;
        ref T dr = ref MemoryMarshal.GetReference(d);
        ref T sr = ref MemoryMarshal.GetReference(s);
        nuint t = (nuint)(n - TV.Count);
        var a = TV.Load(ref dr, 0) + TV.Load(ref sr, 0);
        var b = TV.Load(ref dr, t) + TV.Load(ref sr, t);
        b.Store(ref dr, t);
        a.Store(ref dr, 0);
        return true;
    }

    /// <summary>d += s for the short runs of one image row (TensorPrimitives' per-call cost dominates at ~10-30
    /// elements): full vectors, then narrower ones, then scalars.</summary>
    private static void AddInPlace<T>(Span<T> d, ReadOnlySpan<T> s) where T : IFloatingPointIeee754<T>
    {
        int n = Math.Min(d.Length, s.Length);
        int i = AddRun<T, V512<T>>(d, s, n, 0);
        i = AddRun<T, V256<T>>(d, s, n, i);
        i = AddRun<T, V128<T>>(d, s, n, i);
        for (; i < n; i++) d[i] += s[i];
    }

    /// <summary>d[i..] += s[i..] in whole vectors of this width; returns where it stopped.</summary>
    private static int AddRun<T, TV>(Span<T> d, ReadOnlySpan<T> s, int n, int i) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        if (!TV.IsSupported) return i;
        ref T dr = ref MemoryMarshal.GetReference(d);
        ref T sr = ref MemoryMarshal.GetReference(s);
        for (; i <= n - TV.Count; i += TV.Count) (TV.Load(ref dr, (nuint)i) + TV.Load(ref sr, (nuint)i)).Store(ref dr, (nuint)i);
        return i;
    }

    /// <summary>d = s for the short runs of one image row (a Memmove call costs more than copying 5-30 elements):
    /// whole vectors, then one last vector ending at the run's end (overlapping what was already copied).</summary>
    private static void CopyShort<T>(ReadOnlySpan<T> s, Span<T> d) where T : INumberBase<T>
    {
        int n = s.Length;
        if (n > d.Length) throw new ArgumentException("Im2Col: copy destination too short");
        if (Copy<T, V512<T>>(s, d, n) || Copy<T, V256<T>>(s, d, n) || Copy<T, V128<T>>(s, d, n)) return;
        for (int i = 0; i < n; i++) d[i] = s[i];
    }

    /// <summary>d = s in vectors of this width, the last one overlapping; false when n is under one vector.</summary>
    private static bool Copy<T, TV>(ReadOnlySpan<T> s, Span<T> d, int n) where T : INumberBase<T> where TV : struct, IVec<TV, T>
    {
        if (!TV.IsSupported || n < TV.Count) return false;
        ref T sr = ref MemoryMarshal.GetReference(s);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int c = TV.Count, i = 0;
        for (; i <= n - c; i += c) TV.Load(ref sr, (nuint)i).Store(ref dr, (nuint)i);
        if (i < n) TV.Load(ref sr, (nuint)(n - c)).Store(ref dr, (nuint)(n - c));
        return true;
    }

    /// <summary>Scalar twin of <see cref="Forward{T}"/>: every element with its own bounds test.</summary>
    public static void ForwardScalar<T>(ReadOnlySpan<T> image, in ConvGeometry g, Span<T> col, int ldCol) where T : INumberBase<T>
    {
        Check(image.Length, g, col.Length, ldCol);
        for (int c = 0; c < g.Channels; c++)
            for (int kh = 0; kh < g.KernelH; kh++)
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int r = (c * g.KernelH + kh) * g.KernelW + kw;
                    for (int oh = 0; oh < g.OutH; oh++)
                        for (int ow = 0; ow < g.OutW; ow++)
                        {
                            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
                            int iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                            bool inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
                            col[r * ldCol + oh * g.OutW + ow] = inside ? image[(c * g.H + ih) * g.W + iw] : T.Zero;
                        }
                }
    }

    /// <summary>Scalar twin of <see cref="Backward{T}"/>.</summary>
    public static void BackwardScalar<T>(ReadOnlySpan<T> col, int ldCol, in ConvGeometry g, Span<T> image) where T : INumberBase<T>
    {
        Check(image.Length, g, col.Length, ldCol);
        image[..g.ImageSize].Clear();
        for (int c = 0; c < g.Channels; c++)
            for (int kh = 0; kh < g.KernelH; kh++)
                for (int kw = 0; kw < g.KernelW; kw++)
                {
                    int r = (c * g.KernelH + kh) * g.KernelW + kw;
                    for (int oh = 0; oh < g.OutH; oh++)
                        for (int ow = 0; ow < g.OutW; ow++)
                        {
                            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
                            int iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                                image[(c * g.H + ih) * g.W + iw] += col[r * ldCol + oh * g.OutW + ow];
                        }
                }
    }

    private static void Check(int imageLength, in ConvGeometry g, int colLength, int ldCol)
    {
        if (imageLength < g.ImageSize)
            throw new ArgumentException($"Im2Col: image has {imageLength} elements, the geometry needs {g.ImageSize}");
        if (ldCol < g.OutPixels || (g.ColRows > 0 && (long)(g.ColRows - 1) * ldCol + g.OutPixels > colLength))
            throw new ArgumentException($"Im2Col: a {g.ColRows}×{g.OutPixels} column matrix with ldCol={ldCol} does not fit in {colLength} elements");
    }
}
