using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>Which algorithm <see cref="Convolution"/> runs: chosen from the geometry, or forced (tests, benchmarks).
/// Winograd applies to the forward pass only; a backward pass asked for it runs im2col.</summary>
internal enum ConvAlgorithm { Auto, Im2Col, Regions, Winograd, Winograd4 }

/// <summary>
/// Convolution by tap regions: im2col + GEMM without the products by padding zeros.
/// </summary>
/// <remarks>
/// On a small padded map much of the column matrix is padding — a 3×3, padding-1 kernel on a 2×2 map reads the
/// image on 16 of its 36 taps per output pixel, on 4×4 on 100 of 144, on 8×8 on 484 of 576 — and im2col multiplies
/// every zero. Here the output pixels are grouped into regions whose kernel window meets the image on the same taps
/// (for one axis: output rows whose valid kernel rows are the same range; a region is a band of rows × a band of
/// columns, at most 9 for a 3×3 kernel with padding 1: four corners, four edges, the interior). Each region is a
/// smaller im2col + GEMM on its valid taps only:
/// <code>
///   forward       Y_r (Co × N·P_r) = W_r (Co × C·T_r) · col_r(X) (C·T_r × N·P_r)       scattered into Y (+ bias)
///   weight grad   gW  at the taps of r  += gY_r · col_r(X)ᵀ
///   input grad    gX  += col2im_r( W_rᵀ · gY_r )
/// </code>
/// where P_r is the region's pixels, T_r its valid taps and W_r the weight restricted to them. The multiply-adds are
/// exactly the ones that touch the image (what a direct convolution does); the price is smaller products.
/// The weight is read tap-major, [Co, kH·kW, C] (one transposition per call), so that W_r is one strided matrix per
/// kernel row of the region (the region's taps of one kernel row are adjacent there): no per-region gather, and the
/// weight gradient is accumulated in place the same way. A region's column matrix is filled through a table of plane
/// offsets (one per tap and pixel, so tiny rows of one or two pixels cost no loop set-up), split over the cores by
/// channel; its products run on the whole batch (in chunks of at most <see cref="MaxColElements"/>) with every core
/// inside the GEMM. The splits are static, so results do not depend on thread timing. (A variant dealing chunks of
/// images to the cores, each with single-threaded products on a weight packed once, was no faster.)
/// <see cref="Suits"/> says when this beats im2col.
/// </remarks>
internal static class ConvolutionRegions
{
    /// <summary>Upper bound on the column matrix of one region chunk (elements).</summary>
    private const int MaxColElements = 1 << 22;

    /// <summary>Output positions [OLo, OHi) along one axis whose kernel taps [KLo, KHi) are the ones inside the image.</summary>
    internal readonly record struct Band(int OLo, int OHi, int KLo, int KHi)
    {
        public int Outputs => OHi - OLo;
        public int Taps => KHi - KLo;
    }

    /// <summary>A band of output rows × a band of output columns.</summary>
    internal readonly record struct Region(Band Rows, Band Cols)
    {
        public int Pixels => Rows.Outputs * Cols.Outputs;
        public int Taps => Rows.Taps * Cols.Taps;
    }

    /// <summary>The bands of one axis: consecutive outputs with the same range of valid taps.</summary>
    internal static List<Band> Bands(int outSize, int size, int kernel, int stride, int pad, int dilation)
    {
        var bands = new List<Band>();
        for (int o = 0; o < outSize; o++)
        {
            // tap k reads o·stride − pad + k·dilation, inside when 0 ≤ that < size
            int lo = Math.Max(0, CeilDiv(pad - o * stride, dilation));
            int hi = Math.Min(kernel, CeilDiv(size + pad - o * stride, dilation));
            if (hi < lo) hi = lo;
            if (bands.Count > 0 && bands[^1] is { } last && last.KLo == lo && last.KHi == hi) bands[^1] = last with { OHi = o + 1 };
            else bands.Add(new Band(o, o + 1, lo, hi));
        }
        return bands;
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    /// <summary>Every region of the geometry (their pixels partition the output).</summary>
    internal static Region[] Regions(in ConvGeometry g)
    {
        var rows = Bands(g.OutH, g.H, g.KernelH, g.StrideH, g.PadTop, g.DilationH);
        var cols = Bands(g.OutW, g.W, g.KernelW, g.StrideW, g.PadLeft, g.DilationW);
        var regions = new Region[rows.Count * cols.Count];
        int i = 0;
        foreach (var r in rows) foreach (var c in cols) regions[i++] = new Region(r, c);
        return regions;
    }

    /// <summary>True when the regions skip at least half of im2col's products (and there is more than one region). Below
    /// that, the smaller and more numerous products cost more than the zeros they skip: measured with
    /// <c>nabla bench vgg11-convs</c> on Zen 4, 2 threads, batch 128, 3×3 padding 1, regions against im2col in
    /// channel blocks: 512→512 on 2×2 (16/36 of the products) forward 10–13 vs 19–20 ms, backward 23 vs 38–39 ms; on
    /// 4×4 (100/144) forward 69–75 vs 53 ms, backward 113–115 vs 107–122 ms; on 8×8 (484/576) slower in both.</summary>
    internal static bool Suits(in ConvGeometry g)
    {
        long full = (long)g.OutPixels * g.KernelH * g.KernelW;
        if (full == 0 || g.KernelH * g.KernelW == 1) return false;
        var regions = Regions(g);
        if (regions.Length == 1) return false;
        long valid = 0;
        foreach (var r in regions) valid += (long)r.Pixels * r.Taps;
        return 2 * valid <= full;
    }

    /// <summary>output [N, Co, OutH, OutW] = conv(input, weight) + bias, region by region.</summary>
    public static void Forward<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> bias, Memory<T> output,
        int batch, int outChannels, ConvGeometry g) where T : IFloatingPointIeee754<T>
    {
        int taps = g.KernelH * g.KernelW, wSize = outChannels * g.ColRows, ldw = taps * g.Channels;
        var wt = ArrayPool<T>.Shared.Rent(wSize);
        try
        {
            ForRanges(outChannels, (lo, hi) => ToTapMajor(weight.Span, wt, g.Channels, taps, lo, hi));
            foreach (var region in Regions(g))
            {
                if (region.Taps == 0)   // windows wholly in the padding: the bias alone
                {
                    ForRanges(outChannels, (lo, hi) => Scatter(null, 0, 0, batch, region, g, outChannels, lo, hi, output.Span, bias.Span));
                    continue;
                }
                int kg = g.Channels * region.Taps, pix = region.Pixels, block = region.Cols.Taps * g.Channels;
                int chunk = Math.Clamp(MaxColElements / Math.Max(1, kg * pix), 1, batch);
                var offsets = Offsets(g, region);
                var col = ArrayPool<T>.Shared.Rent(kg * chunk * pix);
                var prod = ArrayPool<T>.Shared.Rent(outChannels * chunk * pix);
                try
                {
                    for (int n0 = 0; n0 < batch; n0 += chunk)
                    {
                        int count = Math.Min(chunk, batch - n0), cols = count * pix, first = n0;
                        ForRanges(g.Channels, (lo, hi) => FillColumns(input.Span, first, count, g, offsets, pix, lo, hi, col, cols));
                        // Y_r = Σ over the region's kernel rows of W_r,kh (Co × |kw|·C, read in place) · its rows of col_r
                        for (int kh = region.Rows.KLo; kh < region.Rows.KHi; kh++)
                        {
                            int i = kh - region.Rows.KLo;
                            var a = wt.AsSpan((kh * g.KernelW + region.Cols.KLo) * g.Channels, (outChannels - 1) * ldw + block);
                            Convolution.GemmT(ParallelFor.MaxDegree, false, false, outChannels, cols, block, T.One, a, ldw,
                                col.AsSpan(i * block * cols, block * cols), cols, i == 0 ? T.Zero : T.One, prod.AsSpan(0, outChannels * cols), cols);
                        }
                        ForRanges(outChannels, (lo, hi) => Scatter(prod, cols, first, count, region, g, outChannels, lo, hi, output.Span, bias.Span));
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(col);
                    ArrayPool<T>.Shared.Return(prod);
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(wt); }
    }

    /// <summary>Gradients of <see cref="Forward{T}"/> (the contract of <see cref="Convolution.Backward{T}"/>; sizes already checked,
    /// destinations to fill non-empty or empty).</summary>
    public static void Backward<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> gradOutput,
        Memory<T> gradInput, Memory<T> gradWeight, Memory<T> gradBias, int batch, int outChannels, ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int p = g.OutPixels, taps = g.KernelH * g.KernelW, wSize = outChannels * g.ColRows, ldw = taps * g.Channels;
        bool needInput = !gradInput.IsEmpty, needWeight = !gradWeight.IsEmpty, needBias = !gradBias.IsEmpty;
        if (needBias)
        {
            var gb = gradBias.Span[..outChannels]; var gy = gradOutput.Span;
            gb.Clear();
            for (int n = 0; n < batch; n++)
                for (int co = 0; co < outChannels; co++) gb[co] += TensorPrimitives.Sum(gy.Slice((n * outChannels + co) * p, p));
        }
        if (!(needInput || needWeight)) return;
        if (needInput) gradInput.Span[..(batch * g.ImageSize)].Clear();   // regions add onto it
        var wt = needInput ? ArrayPool<T>.Shared.Rent(wSize) : null;        // weight, tap-major
        var gwt = needWeight ? ArrayPool<T>.Shared.Rent(wSize) : null;      // its gradient, tap-major, accumulated in place
        try
        {
            if (wt is not null) ForRanges(outChannels, (lo, hi) => ToTapMajor(weight.Span, wt, g.Channels, taps, lo, hi));
            if (gwt is not null) gwt.AsSpan(0, wSize).Clear();
            foreach (var region in Regions(g))
            {
                if (region.Taps == 0) continue;   // these outputs read no input and no weight
                int kg = g.Channels * region.Taps, pix = region.Pixels, block = region.Cols.Taps * g.Channels;
                int chunk = Math.Clamp(MaxColElements / Math.Max(1, kg * pix), 1, batch);
                var offsets = Offsets(g, region);
                var col = ArrayPool<T>.Shared.Rent(kg * chunk * pix);
                var gyM = ArrayPool<T>.Shared.Rent(outChannels * chunk * pix);
                try
                {
                    for (int n0 = 0; n0 < batch; n0 += chunk)
                    {
                        int count = Math.Min(chunk, batch - n0), cols = count * pix, first = n0;
                        ForRanges(outChannels, (lo, hi) => Gather(gradOutput.Span, first, count, region, g, outChannels, lo, hi, gyM, cols));
                        var gyMat = gyM.AsSpan(0, outChannels * cols);
                        if (gwt is not null)
                        {
                            // gW_r,kh (Co × |kw|·C, in place in the tap-major gradient) += gY_r · (rows kh of col_r)ᵀ
                            ForRanges(g.Channels, (lo, hi) => FillColumns(input.Span, first, count, g, offsets, pix, lo, hi, col, cols));
                            for (int kh = region.Rows.KLo; kh < region.Rows.KHi; kh++)
                            {
                                int i = kh - region.Rows.KLo;
                                var c = gwt.AsSpan((kh * g.KernelW + region.Cols.KLo) * g.Channels, (outChannels - 1) * ldw + block);
                                Convolution.GemmT(ParallelFor.MaxDegree, false, true, outChannels, block, cols, T.One, gyMat, cols,
                                    col.AsSpan(i * block * cols, block * cols), cols, T.One, c, ldw);
                            }
                        }
                        if (wt is null) continue;
                        // rows kh of gcol_r = W_r,khᵀ · gY_r, then col2im onto the input gradient
                        for (int kh = region.Rows.KLo; kh < region.Rows.KHi; kh++)
                        {
                            int i = kh - region.Rows.KLo;
                            var a = wt.AsSpan((kh * g.KernelW + region.Cols.KLo) * g.Channels, (outChannels - 1) * ldw + block);
                            Convolution.GemmT(ParallelFor.MaxDegree, true, false, block, cols, outChannels, T.One, a, ldw,
                                gyMat, cols, T.Zero, col.AsSpan(i * block * cols, block * cols), cols);
                        }
                        ForRanges(g.Channels, (lo, hi) => AddColumns(col, cols, first, count, g, offsets, pix, lo, hi, gradInput.Span));
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(col);
                    ArrayPool<T>.Shared.Return(gyM);
                }
            }
            if (gwt is not null) ForRanges(outChannels, (lo, hi) => FromTapMajor(gwt, gradWeight.Span, g.Channels, taps, lo, hi));
        }
        finally
        {
            if (wt is not null) ArrayPool<T>.Shared.Return(wt);
            if (gwt is not null) ArrayPool<T>.Shared.Return(gwt);
        }
    }

    /// <summary>Plane offsets of the region's pixels for each of its taps: offsets[i·P_r + q] is the input pixel that tap i
    /// (kernel row KLo + i / |kw|, column KLo + i % |kw|) reads for the region's pixel q. Every one is inside the image.</summary>
    private static int[] Offsets(in ConvGeometry g, Region region)
    {
        var (rows, cols) = region;
        var offsets = new int[region.Taps * region.Pixels];
        int e = 0;
        for (int kh = rows.KLo; kh < rows.KHi; kh++)
            for (int kw = cols.KLo; kw < cols.KHi; kw++)
                for (int oh = rows.OLo; oh < rows.OHi; oh++)
                    for (int ow = cols.OLo; ow < cols.OHi; ow++)
                        offsets[e++] = (oh * g.StrideH - g.PadTop + kh * g.DilationH) * g.W + ow * g.StrideW - g.PadLeft + kw * g.DilationW;
        return offsets;
    }

    /// <summary>body(lo, hi) over [0, total) cut into one contiguous range per core (inline on one core).</summary>
    private static void ForRanges(int total, Action<int, int> body)
    {
        int parts = Math.Min(ParallelFor.MaxDegree, total);
        if (parts <= 1) { body(0, total); return; }
        ParallelFor.Run(parts, part => body((int)((long)total * part / parts), (int)((long)total * (part + 1) / parts)));
    }

    /// <summary>wt [Co, taps, C] = w [Co, C, taps], output channels [coLo, coHi).</summary>
    private static void ToTapMajor<T>(ReadOnlySpan<T> w, T[] wt, int channels, int taps, int coLo, int coHi)
    {
        for (int co = coLo; co < coHi; co++)
        {
            var src = w.Slice(co * channels * taps, channels * taps);
            var dst = wt.AsSpan(co * channels * taps, channels * taps);
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < taps; t++) dst[t * channels + c] = src[c * taps + t];
        }
    }

    /// <summary>w [Co, C, taps] = wt [Co, taps, C] (the inverse of <see cref="ToTapMajor{T}"/>), output channels [coLo, coHi).</summary>
    private static void FromTapMajor<T>(T[] wt, Span<T> w, int channels, int taps, int coLo, int coHi)
    {
        for (int co = coLo; co < coHi; co++)
        {
            var src = wt.AsSpan(co * channels * taps, channels * taps);
            var dst = w.Slice(co * channels * taps, channels * taps);
            for (int t = 0; t < taps; t++)
                for (int c = 0; c < channels; c++) dst[c * taps + t] = src[t * channels + c];
        }
    }

    /// <summary>
    /// Rows (kh, kw, c) for channels [cLo, cHi) of the region's column matrix for images first .. first+count−1:
    /// col[i·C + c, j·P_r + q] = image j's pixel offsets[i·P_r + q] of channel c. Every read is inside the image by
    /// construction (no padding test, no zero); one image plane at a time is read for all its taps while it sits in L1.
    /// </summary>
    private static void FillColumns<T>(ReadOnlySpan<T> x, int first, int count, in ConvGeometry g, int[] offsets, int pix, int cLo, int cHi, T[] col, int ld)
    {
        int channels = g.Channels, plane = g.H * g.W, taps = offsets.Length / pix;
        if (x.Length < (long)(first + count) * channels * plane || col.Length < (long)channels * taps * ld || (long)count * pix > ld)
            throw new ArgumentException("ConvolutionRegions: buffer too small");   // guards the unchecked accesses below
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T cr = ref MemoryMarshal.GetArrayDataReference(col);
        ref int or = ref MemoryMarshal.GetArrayDataReference(offsets);
        nint tapStride = (nint)channels * ld;
        for (int c = cLo; c < cHi; c++)
            for (int j = 0; j < count; j++)
            {
                ref T src = ref Unsafe.Add(ref xr, (nint)((first + j) * channels + c) * plane);
                ref T dst = ref Unsafe.Add(ref cr, (nint)c * ld + j * pix);
                ref int off = ref or;
                for (int i = 0; i < taps; i++, dst = ref Unsafe.Add(ref dst, tapStride), off = ref Unsafe.Add(ref off, pix))
                    for (int q = 0; q < pix; q++) Unsafe.Add(ref dst, q) = Unsafe.Add(ref src, Unsafe.Add(ref off, q));
            }
    }

    /// <summary>The input gradient of channels [cLo, cHi) of images first .. += the region's column-matrix gradient put
    /// back on the pixels it was read from (the adjoint of <see cref="FillColumns{T}"/>; channel ranges never share a pixel).</summary>
    private static void AddColumns<T>(T[] col, int ld, int first, int count, in ConvGeometry g, int[] offsets, int pix, int cLo, int cHi, Span<T> gx)
        where T : IFloatingPointIeee754<T>
    {
        int channels = g.Channels, plane = g.H * g.W, taps = offsets.Length / pix;
        if (gx.Length < (long)(first + count) * channels * plane || col.Length < (long)channels * taps * ld || (long)count * pix > ld)
            throw new ArgumentException("ConvolutionRegions: buffer too small");
        ref T xr = ref MemoryMarshal.GetReference(gx);
        ref T cr = ref MemoryMarshal.GetArrayDataReference(col);
        ref int or = ref MemoryMarshal.GetArrayDataReference(offsets);
        nint tapStride = (nint)channels * ld;
        for (int c = cLo; c < cHi; c++)
            for (int j = 0; j < count; j++)
            {
                ref T dst = ref Unsafe.Add(ref xr, (nint)((first + j) * channels + c) * plane);
                ref T src = ref Unsafe.Add(ref cr, (nint)c * ld + j * pix);
                ref int off = ref or;
                for (int i = 0; i < taps; i++, src = ref Unsafe.Add(ref src, tapStride), off = ref Unsafe.Add(ref off, pix))
                    for (int q = 0; q < pix; q++) Unsafe.Add(ref dst, Unsafe.Add(ref off, q)) += Unsafe.Add(ref src, q);
            }
    }

    /// <summary>Output channels [coLo, coHi) of images first .. first+count−1: the region's pixels = prod[co, j·P_r + q]
    /// (row stride ld) + bias; no prod writes the bias alone (0 without bias).</summary>
    private static void Scatter<T>(T[]? prod, int ld, int first, int count, Region region, in ConvGeometry g, int outChannels,
        int coLo, int coHi, Span<T> y, ReadOnlySpan<T> bias) where T : IFloatingPointIeee754<T>
    {
        int width = region.Cols.Outputs, p = g.OutPixels;
        for (int co = coLo; co < coHi; co++)
        {
            T b = bias.IsEmpty ? T.Zero : bias[co];
            int q = 0;
            for (int j = 0; j < count; j++)
            {
                var map = y.Slice(((first + j) * outChannels + co) * p, p);
                for (int oh = region.Rows.OLo; oh < region.Rows.OHi; oh++, q += width)
                {
                    var dst = map.Slice(oh * g.OutW + region.Cols.OLo, width);
                    if (prod is null) dst.Fill(b);
                    else
                    {
                        var src = prod.AsSpan(co * ld + q, width);
                        for (int t = 0; t < width; t++) dst[t] = src[t] + b;
                    }
                }
            }
        }
    }

    /// <summary>gyM[co, j·P_r + q] (row stride ld) = the region's pixels of output channels [coLo, coHi) of images first ..
    /// (the adjoint of <see cref="Scatter{T}"/>).</summary>
    private static void Gather<T>(ReadOnlySpan<T> gy, int first, int count, Region region, in ConvGeometry g, int outChannels,
        int coLo, int coHi, T[] gyM, int ld)
    {
        int width = region.Cols.Outputs, p = g.OutPixels;
        for (int co = coLo; co < coHi; co++)
        {
            int q = 0;
            for (int j = 0; j < count; j++)
            {
                var map = gy.Slice(((first + j) * outChannels + co) * p, p);
                for (int oh = region.Rows.OLo; oh < region.Rows.OHi; oh++, q += width)
                    map.Slice(oh * g.OutW + region.Cols.OLo, width).CopyTo(gyM.AsSpan(co * ld + q, width));
            }
        }
    }
}
