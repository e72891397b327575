using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>Which algorithm <see cref="Convolution"/> runs: chosen from the geometry, or forced (tests, benchmarks).</summary>
internal enum ConvAlgorithm { Auto, Im2Col, Regions }

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
/// weight gradient is accumulated in place the same way. Each W_r,kh is packed once per call
/// (<see cref="GemmPackedA{T}"/>, every core packing a share); then chunks of images (a column matrix of about
/// <see cref="ColElements"/> elements) are dealt statically to the cores, each running single-threaded products on
/// the shared packed weight, and weight-gradient partials are summed in worker order, so results do not depend on
/// thread timing. <see cref="Suits"/> says when this beats im2col.
/// </remarks>
internal static class ConvolutionRegions
{
    /// <summary>Target size of one chunk's column matrix (elements): small enough to stay in L2 between its fill and its
    /// product.</summary>
    private const int ColElements = 1 << 18;

    /// <summary>Fewest columns per product (forward, input gradient) and per weight-gradient product, whose depth is the
    /// column count: a shallow product reads and writes the whole weight gradient for little work.</summary>
    private const int MinColumns = 64, MinWeightGradColumns = 256;

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
                    Scatter(null, 0, 0, batch, region, g, outChannels, output.Span, bias.Span);
                    continue;
                }
                int kg = g.Channels * region.Taps, pix = region.Pixels, block = region.Cols.Taps * g.Channels;
                var packed = PackRows(wt, region, g, outChannels, ldw, transpose: false);
                try
                {
                    int chunk = ChunkImages(kg, pix, batch, MinColumns), chunks = (batch + chunk - 1) / chunk;
                    RunWorkers(Math.Min(ParallelFor.MaxDegree, chunks), (w, workers) =>
                    {
                        var col = ArrayPool<T>.Shared.Rent(kg * chunk * pix);
                        var prod = ArrayPool<T>.Shared.Rent(outChannels * chunk * pix);
                        try
                        {
                            for (int ch = w; ch < chunks; ch += workers)
                            {
                                int n0 = ch * chunk, count = Math.Min(chunk, batch - n0), cols = count * pix;
                                FillColumns(input.Span, n0, count, g, region, 0, g.Channels, col, cols);
                                // Y_r = Σ over the region's kernel rows of W_r,kh · (its rows of col_r)
                                for (int i = 0; i < packed.Length; i++)
                                    packed[i].Run(cols, col.AsSpan(i * block * cols, block * cols), cols, i == 0 ? T.Zero : T.One,
                                        prod.AsSpan(0, outChannels * cols), cols);
                                Scatter(prod, cols, n0, count, region, g, outChannels, output.Span, bias.Span);
                            }
                        }
                        finally
                        {
                            ArrayPool<T>.Shared.Return(col);
                            ArrayPool<T>.Shared.Return(prod);
                        }
                    });
                }
                finally { foreach (var pa in packed) pa.Dispose(); }
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
        int cores = ParallelFor.MaxDegree;
        var wt = needInput ? ArrayPool<T>.Shared.Rent(wSize) : null;              // weight, tap-major
        var gwt = needWeight ? new T[]?[cores] : null;                          // per-worker weight gradients, tap-major
        try
        {
            if (wt is not null) ForRanges(outChannels, (lo, hi) => ToTapMajor(weight.Span, wt, g.Channels, taps, lo, hi));
            foreach (var region in Regions(g))
            {
                if (region.Taps == 0) continue;   // these outputs read no input and no weight
                int kg = g.Channels * region.Taps, pix = region.Pixels, block = region.Cols.Taps * g.Channels;
                var packed = wt is null ? [] : PackRows(wt, region, g, outChannels, ldw, transpose: true);
                try
                {
                    int chunk = ChunkImages(kg, pix, batch, needWeight ? MinWeightGradColumns : MinColumns), chunks = (batch + chunk - 1) / chunk;
                    RunWorkers(Math.Min(cores, chunks), (w, workers) =>
                    {
                        var col = ArrayPool<T>.Shared.Rent(kg * chunk * pix);
                        var gyM = ArrayPool<T>.Shared.Rent(outChannels * chunk * pix);
                        if (gwt is not null && gwt[w] is null) { gwt[w] = ArrayPool<T>.Shared.Rent(wSize); gwt[w].AsSpan(0, wSize).Clear(); }
                        try
                        {
                            for (int ch = w; ch < chunks; ch += workers)
                            {
                                int n0 = ch * chunk, count = Math.Min(chunk, batch - n0), cols = count * pix;
                                Gather(gradOutput.Span, n0, count, region, g, outChannels, gyM, cols);
                                var gyMat = gyM.AsSpan(0, outChannels * cols);
                                if (gwt is not null)
                                {
                                    // gW_r,kh (Co × |kw|·C, in place in the tap-major gradient) += gY_r · (rows kh of col_r)ᵀ
                                    FillColumns(input.Span, n0, count, g, region, 0, g.Channels, col, cols);
                                    for (int kh = region.Rows.KLo; kh < region.Rows.KHi; kh++)
                                    {
                                        int i = kh - region.Rows.KLo;
                                        var c = gwt[w].AsSpan((kh * g.KernelW + region.Cols.KLo) * g.Channels, (outChannels - 1) * ldw + block);
                                        Convolution.GemmT(1, false, true, outChannels, block, cols, T.One, gyMat, cols,
                                            col.AsSpan(i * block * cols, block * cols), cols, T.One, c, ldw);
                                    }
                                }
                                if (packed.Length == 0) continue;
                                // rows kh of gcol_r = W_r,khᵀ · gY_r, then col2im onto the input gradient (images of this chunk only)
                                for (int i = 0; i < packed.Length; i++)
                                    packed[i].Run(cols, gyMat, cols, T.Zero, col.AsSpan(i * block * cols, block * cols), cols);
                                AddColumns(col, cols, n0, count, g, region, 0, g.Channels, gradInput.Span);
                            }
                        }
                        finally
                        {
                            ArrayPool<T>.Shared.Return(col);
                            ArrayPool<T>.Shared.Return(gyM);
                        }
                    });
                }
                finally { foreach (var pa in packed) pa.Dispose(); }
            }
            if (gwt is not null)
            {
                var sum = gwt[0];
                if (sum is null) gradWeight.Span[..wSize].Clear();
                else
                {
                    for (int w = 1; w < cores; w++)
                        if (gwt[w] is { } part) TensorPrimitives.Add(sum.AsSpan(0, wSize), part.AsSpan(0, wSize), sum.AsSpan(0, wSize));
                    ForRanges(outChannels, (lo, hi) => FromTapMajor(sum, gradWeight.Span, g.Channels, taps, lo, hi));
                }
            }
        }
        finally
        {
            if (wt is not null) ArrayPool<T>.Shared.Return(wt);
            if (gwt is not null) foreach (var part in gwt) if (part is not null) ArrayPool<T>.Shared.Return(part);
        }
    }

    /// <summary>Images per chunk: a column matrix near <see cref="ColElements"/>, at least <paramref name="minColumns"/>
    /// columns, and no more than an even share of the batch per core.</summary>
    private static int ChunkImages(int kg, int pix, int batch, int minColumns)
    {
        int images = Math.Max(ColElements / Math.Max(1, kg * pix), (minColumns + pix - 1) / pix);
        return Math.Clamp(Math.Min(images, (batch + ParallelFor.MaxDegree - 1) / ParallelFor.MaxDegree), 1, Math.Max(1, batch));
    }

    /// <summary>W_r,kh for each kernel row of the region, packed: Co × |kw|·C read in place from the tap-major weight
    /// (row stride ldw), or its transpose.</summary>
    private static Convolution.PackedMatrix<T>[] PackRows<T>(T[] wt, Region region, in ConvGeometry g, int outChannels, int ldw, bool transpose)
        where T : IFloatingPointIeee754<T>
    {
        int block = region.Cols.Taps * g.Channels;
        var packed = new Convolution.PackedMatrix<T>[region.Rows.Taps];
        for (int kh = region.Rows.KLo; kh < region.Rows.KHi; kh++)
        {
            var a = wt.AsSpan((kh * g.KernelW + region.Cols.KLo) * g.Channels, (outChannels - 1) * ldw + block);
            packed[kh - region.Rows.KLo] = transpose
                ? Convolution.PackT(true, block, outChannels, a, ldw)
                : Convolution.PackT(false, outChannels, block, a, ldw);
        }
        return packed;
    }

    /// <summary>body(worker, workers) on the shared pool (inline when there is one worker).</summary>
    private static void RunWorkers(int workers, Action<int, int> body)
    {
        if (workers <= 1) body(0, 1);
        else ParallelFor.Run(workers, w => body(w, workers));
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
    /// col[((kh − KLo)·|kw| + kw − KLo)·C + c, j·P_r + q] = the pixel tap (kh, kw) reads for the region's pixel q of
    /// image j. Every read is inside the image by construction (no padding test, no zero), and one image plane at a
    /// time is read for all its taps while it sits in L1; the taps' rows are written front to back.
    /// </summary>
    private static void FillColumns<T>(ReadOnlySpan<T> x, int first, int count, in ConvGeometry g, Region region, int cLo, int cHi, T[] col, int ld)
    {
        int channels = g.Channels, plane = g.H * g.W;
        if (x.Length < (long)(first + count) * channels * plane || col.Length < (long)channels * region.Taps * ld)
            throw new ArgumentException("ConvolutionRegions: buffer too small");   // guards the unchecked accesses below
        var walk = new Walk(g, region);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T cr = ref MemoryMarshal.GetArrayDataReference(col);
        for (int c = cLo; c < cHi; c++)
            for (int j = 0; j < count; j++)
            {
                ref T src = ref Unsafe.Add(ref xr, (nint)((first + j) * channels + c) * plane);
                ref T dst = ref Unsafe.Add(ref cr, (nint)c * ld + j * walk.Pixels);
                for (int tap = 0; tap < walk.Taps; tap++)
                    walk.Copy(ref src, walk.Start(tap), ref Unsafe.Add(ref dst, (nint)tap * channels * ld));
            }
    }

    /// <summary>The input gradient of channels [cLo, cHi) of images first .. += the region's column-matrix gradient put
    /// back on the pixels it was read from (the adjoint of <see cref="FillColumns{T}"/>; channel ranges never share a pixel).</summary>
    private static void AddColumns<T>(T[] col, int ld, int first, int count, in ConvGeometry g, Region region, int cLo, int cHi, Span<T> gx)
        where T : IFloatingPointIeee754<T>
    {
        int channels = g.Channels, plane = g.H * g.W;
        if (gx.Length < (long)(first + count) * channels * plane || col.Length < (long)channels * region.Taps * ld)
            throw new ArgumentException("ConvolutionRegions: buffer too small");
        var walk = new Walk(g, region);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        ref T cr = ref MemoryMarshal.GetArrayDataReference(col);
        for (int c = cLo; c < cHi; c++)
            for (int j = 0; j < count; j++)
            {
                ref T dst = ref Unsafe.Add(ref xr, (nint)((first + j) * channels + c) * plane);
                ref T src = ref Unsafe.Add(ref cr, (nint)c * ld + j * walk.Pixels);
                for (int tap = 0; tap < walk.Taps; tap++)
                    walk.Add(ref Unsafe.Add(ref src, (nint)tap * channels * ld), ref dst, walk.Start(tap));
            }
    }

    /// <summary>How a region's pixels sit in one image plane: for tap i (kernel row KLo + i / |kw|, column KLo + i % |kw|)
    /// the first pixel read is <see cref="Start"/>(i); then <c>Height</c> rows of <c>Width</c> pixels, rows RowStep
    /// apart, pixels ColStep apart. Plain integers in locals, so the copy loops keep them in registers.</summary>
    private readonly struct Walk
    {
        public readonly int Taps, Pixels, Width, Height, RowStep, ColStep, TapsW, Origin, KhStep, KwStep;

        public Walk(in ConvGeometry g, Region r)
        {
            Taps = r.Taps; Pixels = r.Pixels; Width = r.Cols.Outputs; Height = r.Rows.Outputs; TapsW = r.Cols.Taps;
            RowStep = g.StrideH * g.W; ColStep = g.StrideW;
            KhStep = g.DilationH * g.W; KwStep = g.DilationW;
            Origin = (r.Rows.OLo * g.StrideH - g.PadTop + r.Rows.KLo * g.DilationH) * g.W + r.Cols.OLo * g.StrideW - g.PadLeft + r.Cols.KLo * g.DilationW;
        }

        public int Start(int tap) => Origin + tap / TapsW * KhStep + tap % TapsW * KwStep;

        /// <summary>dst[0 .. Pixels) = the region's pixels of a plane, from plane offset s.</summary>
        public void Copy<T>(ref T plane, int s, ref T dst)
        {
            int width = Width, colStep = ColStep, rowStep = RowStep;
            for (int h = 0; h < Height; h++, s += rowStep)
            {
                for (int t = 0; t < width; t++) Unsafe.Add(ref dst, t) = Unsafe.Add(ref plane, s + t * colStep);
                dst = ref Unsafe.Add(ref dst, width);
            }
        }

        /// <summary>The region's pixels of a plane, from plane offset d, += src[0 .. Pixels).</summary>
        public void Add<T>(ref T src, ref T plane, int d) where T : IFloatingPointIeee754<T>
        {
            int width = Width, colStep = ColStep, rowStep = RowStep;
            for (int h = 0; h < Height; h++, d += rowStep)
            {
                for (int t = 0; t < width; t++) Unsafe.Add(ref plane, d + t * colStep) += Unsafe.Add(ref src, t);
                src = ref Unsafe.Add(ref src, width);
            }
        }
    }

    /// <summary>Every output channel of images first .. first+count−1: the region's pixels = prod[co, j·P_r + q]
    /// (row stride ld) + bias; no prod writes the bias alone (0 without bias).</summary>
    private static void Scatter<T>(T[]? prod, int ld, int first, int count, Region region, in ConvGeometry g, int outChannels,
        Span<T> y, ReadOnlySpan<T> bias) where T : IFloatingPointIeee754<T>
    {
        int width = region.Cols.Outputs, p = g.OutPixels;
        for (int co = 0; co < outChannels; co++)
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

    /// <summary>gyM[co, j·P_r + q] (row stride ld) = the region's pixels of every output channel of images first ..
    /// (the adjoint of <see cref="Scatter{T}"/>).</summary>
    private static void Gather<T>(ReadOnlySpan<T> gy, int first, int count, Region region, in ConvGeometry g, int outChannels,
        T[] gyM, int ld)
    {
        int width = region.Cols.Outputs, p = g.OutPixels;
        for (int co = 0; co < outChannels; co++)
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
