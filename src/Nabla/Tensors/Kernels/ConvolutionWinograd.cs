using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The forward pass of a 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, 2016):
/// each 2×2 block of output pixels comes from a 4×4 input patch with 16 multiplies per channel pair instead of 36.
/// </summary>
/// <remarks>
/// <code>
///   Y(tile) = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A
///   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
/// </code>
/// The sum over channels of the 16 element-wise products is 16 matrix products, one per position ξ of the 4×4 tile:
/// M_ξ (Co × tiles) = U_ξ (Co × C) · V_ξ (C × tiles), U = G g Gᵀ the transformed weight (computed and packed once per
/// call, shared by the cores), V = Bᵀ d B the transformed input patches (zeros outside the image, so any padding
/// works). The input transform runs on vectors of channels (the chunk's images are first laid out channels-last,
/// channels padded to a whole vector), the output transform on vectors of tiles; chunks of images are dealt
/// statically to the cores. Against im2col this is 2.25× fewer multiply-adds for the price of the transforms and
/// the layout change, O(C + Co) per tile, so it pays with tens of channels (<see cref="Suits"/>). Accuracy: the
/// transforms only add, subtract and halve, so results differ from direct summation by rounding only (float32 and
/// float64 against a float64 direct sum in <c>ConvolutionTests</c>). The input gradient is the same forward pass on the
/// rotated weight (<see cref="BackwardData{T}"/>), the weight gradient its transpose F(3×3, 2×2) (<see cref="BackwardWeight{T}"/>).
/// The same loops run the larger tile F(4×4, 3×3) (<see cref="F4"/>, in ConvolutionWinograd.F4.cs): a tile type
/// (<see cref="IWinogradTile"/>) supplies the transforms, the loops are written once.
/// </remarks>
internal static partial class ConvolutionWinograd
{
    /// <summary>One tile size F(M×M, 3×3): an Alpha×Alpha input patch (Alpha = M + 2) per M×M block of outputs, Alpha²
    /// products. The loops (<see cref="Run{T, TV, TTile}"/>, <see cref="RunWeight{T, TV, TTile}"/>, and the walks over
    /// tiles of <see cref="TransformInput{T, TV, TTile}"/>, <see cref="TransformOutput{T, TV, TTile}"/>,
    /// <see cref="TransformGradOutput{T, TV, TTile}"/>) are written once; a tile type supplies the transforms of one
    /// kernel block, input patch or output block.</summary>
    internal interface IWinogradTile
    {
        static abstract int M { get; }
        static abstract int Alpha { get; }
        /// <summary>u[ξ·plane] = (G g Gᵀ)[ξ] for Count kernels at once, whose 9 taps (row-major) are vectors at
        /// <paramref name="tapStride"/>.</summary>
        static abstract void WeightBlock<T, TV>(ref T taps, nint tapStride, ref T u, nint plane) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>;
        /// <summary>One input patch, channels c .. c+Count−1 at once: v[ξ·xiStride + at] = (Bᵀ d B)[ξ], where d[i, j] is the
        /// vector at row <c>rowAt[i]</c>, column <c>colAt[j]</c> of the image whose first row is <paramref name="jh"/> in
        /// the channels-last chunk (−1: outside the image, zero). <paramref name="scratch"/> holds Alpha² vectors.</summary>
        static abstract void InputPatch<T, TV>(ref T xr, nint jh, ReadOnlySpan<int> rowAt, ReadOnlySpan<int> colAt, int wd, int cp, int c,
            ref T v, nint at, nint xiStride, ref T scratch) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>;
        /// <summary>One vector of tiles: res[(M·i + j)·Count] = (Aᵀ s A)[i, j], s[ξ] the vector at m[ξ·xiStride + at].
        /// <paramref name="scratch"/> holds Alpha·M vectors.</summary>
        static abstract void OutputBlock<T, TV>(ref T m, nint at, nint xiStride, ref T res, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>;
        /// <summary>One vector of tiles: h[ξ·xiStride + at] = (A q Aᵀ)[ξ], q[i, j] the vector at q[(M·i + j)·ldt].
        /// <paramref name="scratch"/> holds Alpha·M vectors.</summary>
        static abstract void GradOutputBlock<T, TV>(ref T q, nint ldt, ref T h, nint at, nint xiStride, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>;
        /// <summary>The 9 taps (vectors at <paramref name="tapStride"/>) of Gᵀ M G for Count summed products at once,
        /// M[ξ] = m[ξ·plane].</summary>
        static abstract void WeightGradientBlock<T, TV>(ref T m, nint plane, ref T taps, nint tapStride) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>;
    }

    /// <summary>Tiles a chunk aims at (columns of each product).</summary>
    private const int TargetTiles = 256;

    /// <summary>Whether the geometry can run here at all: 3×3, stride 1, dilation 1, and 128-bit vectors.</summary>
    internal static bool Applies(in ConvGeometry g) =>
        g is { KernelH: 3, KernelW: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1 } && V128<float>.IsSupported;

    /// <summary>Where Auto takes it: enough channels for the transforms to pay, and maps of 4×4 and up, or 3×3 ones, which
    /// F(4×4, 3×3) computes as one cropped tile (2×2 maps go to tap regions). A 256→256 layer on 3×3 maps, batch 1000:
    /// forward 23 ms by F(4×4) against 47 by tap regions; weight gradient 25 against 48 (2026-12-07, Zen 5, 2 threads).</summary>
    internal static bool Suits(in ConvGeometry g, int outChannels) =>
        Applies(g) && g.Channels >= 32 && outChannels >= 32
        && ((g.OutH >= 4 && g.OutW >= 4) || (g.OutH >= 3 && g.OutW >= 3 && SuitsF4(g)));

    /// <summary>
    /// Where Auto takes F(4×4, 3×3) over F(2×2, 3×3): where its products, counted over the tiles it computes (cropped
    /// ones whole), are at most ¾ of F(2×2)'s — 36 per 4×4 tile against 16 per 2×2 tile, 9/16 on maps whose sides are
    /// even multiples of the tiles, more where F(4×4) crops more (5×5 and 6×6 maps: equal, so F(2×2); 2×2: F(2×2)).
    /// </summary>
    /// <remarks>It was "sides multiples of 4" (from <c>nabla bench vgg11-convs</c>, all of whose maps are), which kept
    /// cifar10-fast's 15×15, 7×7 and 3×3 maps on F(2×2) although F(4×4) computes them in 13–22 % less time forward and
    /// 7–21 % less backward (input and weight gradients), batch 1000, 64→64 and 64→256 at 15×15, 256→256 at 7×7
    /// (2026-12-07, Zen 5, 2 threads).</remarks>
    internal static bool SuitsF4(in ConvGeometry g)
    {
        if (!UseF4Default) return false;
        long f4 = 36L * ((g.OutH + 3) / 4) * ((g.OutW + 3) / 4), f2 = 16L * ((g.OutH + 1) / 2) * ((g.OutW + 1) / 2);
        return 4 * f4 <= 3 * f2;
    }

    /// <summary>Off: Auto keeps F(2×2, 3×3) everywhere (A/B measurements).</summary>
    internal static bool UseF4Default = Environment.GetEnvironmentVariable("NABLA_WINOGRAD_F4") != "0";

    /// <summary>y = conv(x, w) + bias by F(2×2, 3×3), or by F(4×4, 3×3) when <paramref name="f4"/>.</summary>
    public static void Forward<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> bias, Memory<T> output,
        int batch, int outChannels, ConvGeometry g, bool f4 = false) where T : IFloatingPointIeee754<T>
    {
        if (!Applies(g)) throw new ArgumentException("ConvolutionWinograd: needs a 3×3 kernel, stride 1, dilation 1 and SIMD");
        switch (Vec.Best<T>(), f4)
        {
            case (VecWidth.V512, false): Run<T, V512<T>, F2>(input, weight, bias, output, batch, outChannels, g); break;
            case (VecWidth.V256, false): Run<T, V256<T>, F2>(input, weight, bias, output, batch, outChannels, g); break;
            case (_, false): Run<T, V128<T>, F2>(input, weight, bias, output, batch, outChannels, g); break;
            case (VecWidth.V512, true): Run<T, V512<T>, F4>(input, weight, bias, output, batch, outChannels, g); break;
            case (VecWidth.V256, true): Run<T, V256<T>, F4>(input, weight, bias, output, batch, outChannels, g); break;
            default: Run<T, V128<T>, F4>(input, weight, bias, output, batch, outChannels, g); break;
        }
    }

    /// <summary>
    /// The input gradient of a 3×3 stride-1 convolution is itself one: gX = conv(gY, W′) with W′[c, co] = W[co, c]
    /// rotated by 180° and padding 2 − p on each side (so the output is the input's size). Null when that geometry
    /// does not suit (padding above 2, too few channels, small maps): the caller keeps im2col.
    /// </summary>
    internal static ConvGeometry? BackwardDataGeometry(in ConvGeometry g, int outChannels)
    {
        if (!Applies(g)) return null;
        int padBottom = g.OutH - g.H - g.PadTop + 2, padRight = g.OutW - g.W - g.PadLeft + 2;
        if (g.PadTop is < 0 or > 2 || g.PadLeft is < 0 or > 2 || padBottom is < 0 or > 2 || padRight is < 0 or > 2) return null;
        var back = ConvGeometry.Create(outChannels, g.OutH, g.OutW, 3, 3, 1, 1, 2 - g.PadTop, 2 - padBottom, 2 - g.PadLeft, 2 - padRight, 1, 1);
        return back.OutH == g.H && back.OutW == g.W && Suits(back, g.Channels) ? back : null;
    }

    /// <summary>gradInput [N, C, H, W] = conv(gradOutput, W′) on <paramref name="back"/> (from
    /// <see cref="BackwardDataGeometry"/>): the forward pass above on the rotated, transposed weight.</summary>
    public static void BackwardData<T>(ReadOnlyMemory<T> gradOutput, ReadOnlySpan<T> weight, Memory<T> gradInput, int batch,
        int outChannels, in ConvGeometry g, ConvGeometry back, bool f4 = false) where T : IFloatingPointIeee754<T>
    {
        int channels = g.Channels;
        var rotated = ArrayPool<T>.Shared.Rent(channels * outChannels * 9);
        try
        {
            for (int co = 0; co < outChannels; co++)
                for (int c = 0; c < channels; c++)
                {
                    var src = weight.Slice((co * channels + c) * 9, 9);
                    var dst = rotated.AsSpan((c * outChannels + co) * 9, 9);
                    for (int k = 0; k < 9; k++) dst[k] = src[8 - k];
                }
            Forward<T>(gradOutput, rotated.AsMemory(0, channels * outChannels * 9), default, gradInput, batch, channels, back, f4);
        }
        finally { ArrayPool<T>.Shared.Return(rotated); }
    }

    /// <summary>
    /// gradWeight [Co, C, 3, 3] (overwritten) by F(3×3, 2×2), the transpose of the forward algorithm: a weight gradient
    /// is the correlation of each 4×4 input patch with the 2×2 block of gY over it, summed over tiles and images, so
    /// <code>
    ///   gW[co, c] = Gᵀ [ Σ_tiles (A h_co Aᵀ) ⊙ (Bᵀ d_c B) ] G      h = the 2×2 gY block, d = the 4×4 input patch
    /// </code>
    /// with the forward pass's A, G, Bᵀ (y = Aᵀ diag(Bᵀd) G g for all g, d transposes to gW = Gᵀ diag(Bᵀd) A h). The sum
    /// over tiles is 16 products per chunk, M_ξ (Co × C) += H_ξ (Co × tiles) · V_ξ (tiles × C), with V_ξ the forward
    /// pass's input transform; each worker sums its chunks, the workers' sums are added, and Gᵀ M G runs once per
    /// channel pair at the end.
    /// </summary>
    public static void BackwardWeight<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> gradOutput, Memory<T> gradWeight, int batch,
        int outChannels, ConvGeometry g, bool f4 = false) where T : IFloatingPointIeee754<T>
    {
        if (!Applies(g)) throw new ArgumentException("ConvolutionWinograd: needs a 3×3 kernel, stride 1, dilation 1 and SIMD");
        switch (Vec.Best<T>(), f4)
        {
            case (VecWidth.V512, false): RunWeight<T, V512<T>, F2>(input, gradOutput, gradWeight, batch, outChannels, g); break;
            case (VecWidth.V256, false): RunWeight<T, V256<T>, F2>(input, gradOutput, gradWeight, batch, outChannels, g); break;
            case (_, false): RunWeight<T, V128<T>, F2>(input, gradOutput, gradWeight, batch, outChannels, g); break;
            case (VecWidth.V512, true): RunWeight<T, V512<T>, F4>(input, gradOutput, gradWeight, batch, outChannels, g); break;
            case (VecWidth.V256, true): RunWeight<T, V256<T>, F4>(input, gradOutput, gradWeight, batch, outChannels, g); break;
            default: RunWeight<T, V128<T>, F4>(input, gradOutput, gradWeight, batch, outChannels, g); break;
        }
    }

    private static void RunWeight<T, TV, TTile>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> gradOutput, Memory<T> gradWeight, int batch,
        int outChannels, ConvGeometry g) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int channels = g.Channels, cp = (channels + TV.Count - 1) / TV.Count * TV.Count;
        int mt = TTile.M, xis = TTile.Alpha * TTile.Alpha;
        int tilesH = (g.OutH + mt - 1) / mt, tilesW = (g.OutW + mt - 1) / mt, perImage = tilesH * tilesW;
        int cores = ParallelFor.MaxDegree;
        int chunk = Math.Clamp((TargetTiles + perImage - 1) / perImage, 1, Math.Max(1, (batch + cores - 1) / cores));
        int chunks = (batch + chunk - 1) / chunk, workers = Math.Min(cores, chunks);
        int maxTiles = chunk * perImage, ldt = (maxTiles + TV.Count - 1) / TV.Count * TV.Count;
        int plane = outChannels * cp;
        var sums = new T[workers][];
        void Work(int w)
        {
            var acc = sums[w] = ArrayPool<T>.Shared.Rent(xis * plane);       // Σ M_ξ, Co × cp each
            acc.AsSpan(0, xis * plane).Clear();
            var xt = ArrayPool<T>.Shared.Rent(chunk * g.H * g.W * cp);
            var v = ArrayPool<T>.Shared.Rent(xis * maxTiles * cp);          // V_ξ, tiles × cp
            var h = ArrayPool<T>.Shared.Rent(xis * outChannels * ldt);      // H_ξ, Co × tiles (row stride ldt)
            var quad = ArrayPool<T>.Shared.Rent(mt * mt * ldt);             // one channel's M×M blocks, tile-major
            try
            {
                for (int ch = w; ch < chunks; ch += workers)
                {
                    int n0 = ch * chunk, count = Math.Min(chunk, batch - n0), tiles = count * perImage;
                    ChannelsLast(input.Span, n0, count, g, cp, xt);
                    TransformInput<T, TV, TTile>(xt, count, g, cp, tilesH, tilesW, v, tiles);
                    TransformGradOutput<T, TV, TTile>(gradOutput.Span, n0, count, outChannels, g, tilesH, tilesW, quad, h, ldt);
                    for (int xi = 0; xi < xis; xi++)
                        Convolution.GemmT(1, false, false, outChannels, cp, tiles, T.One, h.AsSpan(xi * outChannels * ldt), ldt,
                            v.AsSpan(xi * tiles * cp, tiles * cp), cp, T.One, acc.AsSpan(xi * plane, plane), cp);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(xt);
                ArrayPool<T>.Shared.Return(v);
                ArrayPool<T>.Shared.Return(h);
                ArrayPool<T>.Shared.Return(quad);
            }
        }
        try
        {
            if (workers <= 1) Work(0);
            else ParallelFor.Run(workers, Work);
            var total = sums[0];
            for (int w = 1; w < workers; w++) System.Numerics.Tensors.TensorPrimitives.Add(total.AsSpan(0, xis * plane), sums[w].AsSpan(0, xis * plane), total.AsSpan(0, xis * plane));
            TransformWeightGradient<T, TV, TTile>(total, plane, outChannels, channels, cp, gradWeight);
        }
        finally
        {
            foreach (var a in sums) if (a is not null) ArrayPool<T>.Shared.Return(a);
        }
    }

    /// <summary>h[ξ, co, t] = (A q Aᵀ)[ξ] for the M×M block q of gY over tile t (zeros past the map's edges): the blocks
    /// are first gathered tile-major (<paramref name="blocks"/>, M² planes), then transformed on vectors of tiles.</summary>
    private static void TransformGradOutput<T, TV, TTile>(ReadOnlySpan<T> gy, int n0, int count, int outChannels, in ConvGeometry g, int tilesH, int tilesW,
        T[] blocks, T[] h, int ldt) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int tiles = count * tilesH * tilesW, n = TV.Count, mt = TTile.M, alpha = TTile.Alpha;
        if (blocks.Length < (long)mt * mt * ldt || h.Length < (long)alpha * alpha * outChannels * ldt || ldt < (tiles + n - 1) / n * n)
            throw new ArgumentException("ConvolutionWinograd: buffer too small");
        int padded = (tiles + n - 1) / n * n;
        ref T qr = ref MemoryMarshal.GetArrayDataReference(blocks);
        ref T hr = ref MemoryMarshal.GetArrayDataReference(h);
        var scratch = ArrayPool<T>.Shared.Rent(alpha * mt * n);
        ref T sr = ref MemoryMarshal.GetArrayDataReference(scratch);
        nint xiStride = (nint)outChannels * ldt;
        for (int co = 0; co < outChannels; co++)
        {
            GatherBlocks(gy, n0, count, outChannels, co, g, mt, tilesH, tilesW, blocks, ldt);
            for (int t = 0; t < padded; t += n)
                TTile.GradOutputBlock<T, TV>(ref Unsafe.Add(ref qr, t), ldt, ref hr, (nint)co * ldt + t, xiStride, ref sr);
        }
        ArrayPool<T>.Shared.Return(scratch);
    }

    private static void Run<T, TV, TTile>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> bias, Memory<T> output,
        int batch, int outChannels, ConvGeometry g) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int channels = g.Channels, cp = (channels + TV.Count - 1) / TV.Count * TV.Count;   // channels padded to whole vectors
        int mt = TTile.M, xis = TTile.Alpha * TTile.Alpha;
        int tilesH = (g.OutH + mt - 1) / mt, tilesW = (g.OutW + mt - 1) / mt, perImage = tilesH * tilesW;
        int cores = ParallelFor.MaxDegree;
        int chunk = Math.Clamp((TargetTiles + perImage - 1) / perImage, 1, Math.Max(1, (batch + cores - 1) / cores));
        int chunks = (batch + chunk - 1) / chunk, workers = Math.Min(cores, chunks);
        int maxTiles = chunk * perImage, ldm = (maxTiles + TV.Count - 1) / TV.Count * TV.Count;

        var u = ArrayPool<T>.Shared.Rent(xis * outChannels * cp);
        var packed = new Convolution.PackedMatrix<T>[xis];
        try
        {
            TransformWeight<T, TV, TTile>(weight, u, outChannels, channels, cp);
            for (int xi = 0; xi < xis; xi++)
                packed[xi] = Convolution.PackT(false, outChannels, cp, u.AsSpan(xi * outChannels * cp, outChannels * cp), cp);
            void Work(int w)
            {
                var xt = ArrayPool<T>.Shared.Rent(chunk * g.H * g.W * cp);   // the chunk, channels-last
                var v = ArrayPool<T>.Shared.Rent(xis * maxTiles * cp);      // V_ξ stored tiles × channels
                var m = ArrayPool<T>.Shared.Rent(xis * outChannels * ldm);  // M_ξ, Co × tiles (row stride ldm)
                try
                {
                    for (int ch = w; ch < chunks; ch += workers)
                    {
                        int n0 = ch * chunk, count = Math.Min(chunk, batch - n0), tiles = count * perImage;
                        ChannelsLast(input.Span, n0, count, g, cp, xt);
                        TransformInput<T, TV, TTile>(xt, count, g, cp, tilesH, tilesW, v, tiles);
                        for (int xi = 0; xi < xis; xi++)
                            packed[xi].Run(tiles, v.AsSpan(xi * tiles * cp, tiles * cp), cp, T.Zero,
                                m.AsSpan(xi * outChannels * ldm, outChannels * ldm), ldm, transB: true);
                        TransformOutput<T, TV, TTile>(m, ldm, tiles, n0, outChannels, g, tilesH, tilesW, bias.Span, output.Span);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(xt);
                    ArrayPool<T>.Shared.Return(v);
                    ArrayPool<T>.Shared.Return(m);
                }
            }
            if (workers <= 1) Work(0);
            else ParallelFor.Run(workers, Work);
        }
        finally
        {
            foreach (var p in packed) p?.Dispose();
            ArrayPool<T>.Shared.Return(u);
        }
    }

    /// <summary>u[ξ, co, c] = (G g Gᵀ)[ξ] for every kernel g = w[co, c] (zero for the padding channels c ≥ C): each
    /// output channel's kernels transposed to 9 tap rows of cp channels, then transformed a vector of channels at a
    /// time, the output channels shared out over the cores (the scalar form of this cost a 512→512 layer 10 ms a call).</summary>
    private static void TransformWeight<T, TV, TTile>(ReadOnlyMemory<T> w, T[] u, int outChannels, int channels, int cp)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int plane = outChannels * cp, n = TV.Count;
        if (w.Length < outChannels * channels * 9 || u.Length < (long)TTile.Alpha * TTile.Alpha * plane) throw new ArgumentException("ConvolutionWinograd: buffer too small");
        void Part(int part, int parts)
        {
            var taps = ArrayPool<T>.Shared.Rent(9 * cp);
            taps.AsSpan(0, 9 * cp).Clear();
            var ws = w.Span;
            ref T tr = ref MemoryMarshal.GetArrayDataReference(taps);
            ref T ur = ref MemoryMarshal.GetArrayDataReference(u);
            for (int co = outChannels * part / parts, end = outChannels * (part + 1) / parts; co < end; co++)
            {
                var kernels = ws.Slice(co * channels * 9, channels * 9);
                for (int c = 0; c < channels; c++)
                    for (int k = 0; k < 9; k++) taps[k * cp + c] = kernels[c * 9 + k];
                for (int c = 0; c < cp; c += n)
                    TTile.WeightBlock<T, TV>(ref Unsafe.Add(ref tr, c), cp, ref Unsafe.Add(ref ur, co * cp + c), plane);
            }
            ArrayPool<T>.Shared.Return(taps);
        }
        int parts = (long)outChannels * channels >= 4096 ? Math.Min(ParallelFor.MaxDegree, outChannels) : 1;
        if (parts <= 1) Part(0, 1);
        else ParallelFor.Run(parts, part => Part(part, parts));
    }

    /// <summary>gW[co, c] = Gᵀ M G for the summed products M = m[ξ, co, c]: a vector of channels at a time into 9 tap
    /// rows, then transposed into gW's [Co, C, 3, 3] layout.</summary>
    private static void TransformWeightGradient<T, TV, TTile>(T[] m, int plane, int outChannels, int channels, int cp, Memory<T> gW)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int n = TV.Count;
        if (gW.Length < outChannels * channels * 9 || m.Length < (long)TTile.Alpha * TTile.Alpha * plane) throw new ArgumentException("ConvolutionWinograd: buffer too small");
        void Part(int part, int parts)
        {
            var taps = ArrayPool<T>.Shared.Rent(9 * cp);
            var gs = gW.Span;
            ref T tr = ref MemoryMarshal.GetArrayDataReference(taps);
            ref T mr = ref MemoryMarshal.GetArrayDataReference(m);
            for (int co = outChannels * part / parts, end = outChannels * (part + 1) / parts; co < end; co++)
            {
                for (int c = 0; c < cp; c += n)
                    TTile.WeightGradientBlock<T, TV>(ref Unsafe.Add(ref mr, co * cp + c), plane, ref Unsafe.Add(ref tr, c), cp);
                var kernels = gs.Slice(co * channels * 9, channels * 9);
                for (int c = 0; c < channels; c++)
                    for (int k = 0; k < 9; k++) kernels[c * 9 + k] = taps[k * cp + c];
            }
            ArrayPool<T>.Shared.Return(taps);
        }
        int parts = (long)outChannels * channels >= 4096 ? Math.Min(ParallelFor.MaxDegree, outChannels) : 1;
        if (parts <= 1) Part(0, 1);
        else ParallelFor.Run(parts, part => Part(part, parts));
    }

    /// <summary>F(2×2, 3×3): the transforms below, 4×4 input patches, 16 products.</summary>
    internal readonly struct F2 : IWinogradTile
    {
        public static int M => 2;
        public static int Alpha => 4;
        public static void WeightBlock<T, TV>(ref T taps, nint tapStride, ref T u, nint plane) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // G on each column of the 3×3 kernel (rows of G g), then on each row of G g
            TV g0 = Ld2<T, TV>(ref taps, 0), g1 = Ld2<T, TV>(ref taps, tapStride), g2 = Ld2<T, TV>(ref taps, 2 * tapStride);
            TV g3 = Ld2<T, TV>(ref taps, 3 * tapStride), g4 = Ld2<T, TV>(ref taps, 4 * tapStride), g5 = Ld2<T, TV>(ref taps, 5 * tapStride);
            TV g6 = Ld2<T, TV>(ref taps, 6 * tapStride), g7 = Ld2<T, TV>(ref taps, 7 * tapStride), g8 = Ld2<T, TV>(ref taps, 8 * tapStride);
            G<T, TV>(g0, g3, g6, out TV a0, out TV b0, out TV c0, out TV d0);
            G<T, TV>(g1, g4, g7, out TV a1, out TV b1, out TV c1, out TV d1);
            G<T, TV>(g2, g5, g8, out TV a2, out TV b2, out TV c2, out TV d2);
            G<T, TV>(a0, a1, a2, out TV y0, out TV y1, out TV y2, out TV y3);
            St(y0, ref u, 0); St(y1, ref u, plane); St(y2, ref u, 2 * plane); St(y3, ref u, 3 * plane);
            G<T, TV>(b0, b1, b2, out y0, out y1, out y2, out y3);
            St(y0, ref u, 4 * plane); St(y1, ref u, 5 * plane); St(y2, ref u, 6 * plane); St(y3, ref u, 7 * plane);
            G<T, TV>(c0, c1, c2, out y0, out y1, out y2, out y3);
            St(y0, ref u, 8 * plane); St(y1, ref u, 9 * plane); St(y2, ref u, 10 * plane); St(y3, ref u, 11 * plane);
            G<T, TV>(d0, d1, d2, out y0, out y1, out y2, out y3);
            St(y0, ref u, 12 * plane); St(y1, ref u, 13 * plane); St(y2, ref u, 14 * plane); St(y3, ref u, 15 * plane);
        }

        /// <summary>(y0 … y3) = G (g0, g1, g2), G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void G<T, TV>(TV g0, TV g1, TV g2, out TV y0, out TV y1, out TV y2, out TV y3) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            T half = T.CreateTruncating(0.5);
            TV s = (g0 + g2) * half, d = g1 * half;
            y0 = g0; y1 = s + d; y2 = s - d; y3 = g2;
        }

        public static void WeightGradientBlock<T, TV>(ref T m, nint plane, ref T taps, nint tapStride) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            // Gᵀ down each column of M (3 × 4), then along each of those rows
            Gt<T, TV>(Ld2<T, TV>(ref m, 0), Ld2<T, TV>(ref m, 4 * plane), Ld2<T, TV>(ref m, 8 * plane), Ld2<T, TV>(ref m, 12 * plane), out TV a0, out TV b0, out TV c0);
            Gt<T, TV>(Ld2<T, TV>(ref m, plane), Ld2<T, TV>(ref m, 5 * plane), Ld2<T, TV>(ref m, 9 * plane), Ld2<T, TV>(ref m, 13 * plane), out TV a1, out TV b1, out TV c1);
            Gt<T, TV>(Ld2<T, TV>(ref m, 2 * plane), Ld2<T, TV>(ref m, 6 * plane), Ld2<T, TV>(ref m, 10 * plane), Ld2<T, TV>(ref m, 14 * plane), out TV a2, out TV b2, out TV c2);
            Gt<T, TV>(Ld2<T, TV>(ref m, 3 * plane), Ld2<T, TV>(ref m, 7 * plane), Ld2<T, TV>(ref m, 11 * plane), Ld2<T, TV>(ref m, 15 * plane), out TV a3, out TV b3, out TV c3);
            Gt<T, TV>(a0, a1, a2, a3, out TV y0, out TV y1, out TV y2);
            St(y0, ref taps, 0); St(y1, ref taps, tapStride); St(y2, ref taps, 2 * tapStride);
            Gt<T, TV>(b0, b1, b2, b3, out y0, out y1, out y2);
            St(y0, ref taps, 3 * tapStride); St(y1, ref taps, 4 * tapStride); St(y2, ref taps, 5 * tapStride);
            Gt<T, TV>(c0, c1, c2, c3, out y0, out y1, out y2);
            St(y0, ref taps, 6 * tapStride); St(y1, ref taps, 7 * tapStride); St(y2, ref taps, 8 * tapStride);
        }

        /// <summary>(w0, w1, w2) = Gᵀ (m0 … m3), Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Gt<T, TV>(TV m0, TV m1, TV m2, TV m3, out TV w0, out TV w1, out TV w2) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            T half = T.CreateTruncating(0.5);
            TV s = (m1 + m2) * half;
            w0 = m0 + s; w1 = (m1 - m2) * half; w2 = s + m3;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void InputPatch<T, TV>(ref T xr, nint jh, ReadOnlySpan<int> rowAt, ReadOnlySpan<int> colAt, int wd, int cp, int c,
            ref T v, nint at, nint xiStride, ref T scratch) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            int i0 = rowAt[0], i1 = rowAt[1], i2 = rowAt[2], i3 = rowAt[3], w0 = colAt[0], w1 = colAt[1], w2 = colAt[2], w3 = colAt[3];
            // Bᵀ d on the rows (e0 = d0 − d2, e1 = d1 + d2, e2 = d2 − d1, e3 = d1 − d3), column by column
            TV d0 = Ld<T, TV>(ref xr, jh, i0, w0, wd, cp, c), d1 = Ld<T, TV>(ref xr, jh, i1, w0, wd, cp, c);
            TV d2 = Ld<T, TV>(ref xr, jh, i2, w0, wd, cp, c), d3 = Ld<T, TV>(ref xr, jh, i3, w0, wd, cp, c);
            TV e00 = d0 - d2, e10 = d1 + d2, e20 = d2 - d1, e30 = d1 - d3;
            d0 = Ld<T, TV>(ref xr, jh, i0, w1, wd, cp, c); d1 = Ld<T, TV>(ref xr, jh, i1, w1, wd, cp, c);
            d2 = Ld<T, TV>(ref xr, jh, i2, w1, wd, cp, c); d3 = Ld<T, TV>(ref xr, jh, i3, w1, wd, cp, c);
            TV e01 = d0 - d2, e11 = d1 + d2, e21 = d2 - d1, e31 = d1 - d3;
            d0 = Ld<T, TV>(ref xr, jh, i0, w2, wd, cp, c); d1 = Ld<T, TV>(ref xr, jh, i1, w2, wd, cp, c);
            d2 = Ld<T, TV>(ref xr, jh, i2, w2, wd, cp, c); d3 = Ld<T, TV>(ref xr, jh, i3, w2, wd, cp, c);
            TV e02 = d0 - d2, e12 = d1 + d2, e22 = d2 - d1, e32 = d1 - d3;
            d0 = Ld<T, TV>(ref xr, jh, i0, w3, wd, cp, c); d1 = Ld<T, TV>(ref xr, jh, i1, w3, wd, cp, c);
            d2 = Ld<T, TV>(ref xr, jh, i2, w3, wd, cp, c); d3 = Ld<T, TV>(ref xr, jh, i3, w3, wd, cp, c);
            TV e03 = d0 - d2, e13 = d1 + d2, e23 = d2 - d1, e33 = d1 - d3;
            // then B on the columns, stored at ξ = 4·row + column
            St(e00 - e02, ref v, 0 * xiStride + at); St(e01 + e02, ref v, 1 * xiStride + at);
            St(e02 - e01, ref v, 2 * xiStride + at); St(e01 - e03, ref v, 3 * xiStride + at);
            St(e10 - e12, ref v, 4 * xiStride + at); St(e11 + e12, ref v, 5 * xiStride + at);
            St(e12 - e11, ref v, 6 * xiStride + at); St(e11 - e13, ref v, 7 * xiStride + at);
            St(e20 - e22, ref v, 8 * xiStride + at); St(e21 + e22, ref v, 9 * xiStride + at);
            St(e22 - e21, ref v, 10 * xiStride + at); St(e21 - e23, ref v, 11 * xiStride + at);
            St(e30 - e32, ref v, 12 * xiStride + at); St(e31 + e32, ref v, 13 * xiStride + at);
            St(e32 - e31, ref v, 14 * xiStride + at); St(e31 - e33, ref v, 15 * xiStride + at);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void OutputBlock<T, TV>(ref T m, nint at, nint xiStride, ref T res, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            nint n = TV.Count;
            TV s0 = Ld2<T, TV>(ref m, 0 * xiStride + at), s1 = Ld2<T, TV>(ref m, 1 * xiStride + at), s2 = Ld2<T, TV>(ref m, 2 * xiStride + at), s3 = Ld2<T, TV>(ref m, 3 * xiStride + at);
            TV s4 = Ld2<T, TV>(ref m, 4 * xiStride + at), s5 = Ld2<T, TV>(ref m, 5 * xiStride + at), s6 = Ld2<T, TV>(ref m, 6 * xiStride + at), s7 = Ld2<T, TV>(ref m, 7 * xiStride + at);
            TV s8 = Ld2<T, TV>(ref m, 8 * xiStride + at), s9 = Ld2<T, TV>(ref m, 9 * xiStride + at), s10 = Ld2<T, TV>(ref m, 10 * xiStride + at), s11 = Ld2<T, TV>(ref m, 11 * xiStride + at);
            TV s12 = Ld2<T, TV>(ref m, 12 * xiStride + at), s13 = Ld2<T, TV>(ref m, 13 * xiStride + at), s14 = Ld2<T, TV>(ref m, 14 * xiStride + at), s15 = Ld2<T, TV>(ref m, 15 * xiStride + at);
            // Aᵀ s: r0 = s0 + s1 + s2, r1 = s1 − s2 − s3 (rows of 4), then the same on the columns
            TV r00 = s0 + s4 + s8, r01 = s1 + s5 + s9, r02 = s2 + s6 + s10, r03 = s3 + s7 + s11;
            TV r10 = s4 - s8 - s12, r11 = s5 - s9 - s13, r12 = s6 - s10 - s14, r13 = s7 - s11 - s15;
            St(r00 + r01 + r02, ref res, 0);
            St(r01 - r02 - r03, ref res, n);
            St(r10 + r11 + r12, ref res, 2 * n);
            St(r11 - r12 - r13, ref res, 3 * n);
        }

        public static void GradOutputBlock<T, TV>(ref T q, nint ldt, ref T h, nint at, nint xiStride, ref T scratch)
            where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
        {
            TV a = Ld2<T, TV>(ref q, 0), b = Ld2<T, TV>(ref q, ldt), c = Ld2<T, TV>(ref q, 2 * ldt), d = Ld2<T, TV>(ref q, 3 * ldt);
            // A q on the rows: (q0·, q0· + q1·, q0· − q1·, −q1·), then Aᵀ on the columns the same way
            TV s0 = a + c, s1 = b + d, u0 = a - c, u1 = b - d;   // rows 1 and 2 of A q (row 0 is (a, b), row 3 is (−c, −d))
            St(a, ref h, 0 * xiStride + at); St(a + b, ref h, 1 * xiStride + at); St(a - b, ref h, 2 * xiStride + at); St(TV.Zero - b, ref h, 3 * xiStride + at);
            St(s0, ref h, 4 * xiStride + at); St(s0 + s1, ref h, 5 * xiStride + at); St(s0 - s1, ref h, 6 * xiStride + at); St(TV.Zero - s1, ref h, 7 * xiStride + at);
            St(u0, ref h, 8 * xiStride + at); St(u0 + u1, ref h, 9 * xiStride + at); St(u0 - u1, ref h, 10 * xiStride + at); St(TV.Zero - u1, ref h, 11 * xiStride + at);
            TV nc = TV.Zero - c, nd = TV.Zero - d;
            St(nc, ref h, 12 * xiStride + at); St(nc + nd, ref h, 13 * xiStride + at); St(nc - nd, ref h, 14 * xiStride + at); St(TV.Zero - nd, ref h, 15 * xiStride + at);
        }
    }

    /// <summary>xt [count, H, W, cp] = images n0 .. of x [N, C, H, W], channels C .. cp−1 zero.</summary>
    private static unsafe void ChannelsLast<T>(ReadOnlySpan<T> x, int n0, int count, in ConvGeometry g, int cp, T[] xt) where T : IFloatingPointIeee754<T>
    {
        int channels = g.Channels, hw = g.H * g.W;
        if (cp > channels) xt.AsSpan(0, count * hw * cp).Clear();
        if (typeof(T) == typeof(float))
        {
            // each image one transpose, C × HW → HW × cp, in 16×16 (or 4×4) register blocks: the element loop below
            // stores with a stride of cp and cost a 64-channel 16×16 layer ~1 ms per chunk
            var xs = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x)), x.Length);
            fixed (float* src = xs, dst = Unsafe.As<float[]>(xt))
                for (int j = 0; j < count; j++)
                    GemmPacking.TransposeInto(src + (nint)(n0 + j) * channels * hw, hw, channels, hw, dst + (nint)j * hw * cp, cp);
            return;
        }
        for (int j = 0; j < count; j++)
        {
            var img = x.Slice((n0 + j) * channels * hw, channels * hw);
            var dst = xt.AsSpan(j * hw * cp, hw * cp);
            for (int c = 0; c < channels; c++)
            {
                var plane = img.Slice(c * hw, hw);
                for (int p = 0; p < hw; p++) dst[p * cp + c] = plane[p];
            }
        }
    }

    /// <summary>v[ξ, t, c] = (Bᵀ d B)[ξ] for the Alpha×Alpha patch d of every tile t of a channels-last chunk (zeros
    /// outside the image), channels c .. c+Count−1 at once.</summary>
    private static void TransformInput<T, TV, TTile>(T[] xt, int count, in ConvGeometry g, int cp, int tilesH, int tilesW, T[] v, int tiles)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int h = g.H, wd = g.W, padTop = g.PadTop, padLeft = g.PadLeft, mt = TTile.M, alpha = TTile.Alpha;
        if (xt.Length < (long)count * h * wd * cp || v.Length < (long)alpha * alpha * tiles * cp) throw new ArgumentException("ConvolutionWinograd: buffer too small");
        ref T xr = ref MemoryMarshal.GetArrayDataReference(xt);
        ref T vr = ref MemoryMarshal.GetArrayDataReference(v);
        var scratch = ArrayPool<T>.Shared.Rent(alpha * alpha * TV.Count);
        ref T er = ref MemoryMarshal.GetArrayDataReference(scratch);
        nint xiStride = (nint)tiles * cp;
        Span<int> rowAt = stackalloc int[alpha];
        Span<int> colAt = stackalloc int[alpha];
        for (int j = 0; j < count; j++)
            for (int th = 0; th < tilesH; th++)
            {
                Window(rowAt, mt * th - padTop, h);
                for (int tw = 0; tw < tilesW; tw++)
                {
                    Window(colAt, mt * tw - padLeft, wd);
                    nint jh = (nint)j * h, at = (nint)((j * tilesH + th) * tilesW + tw) * cp;
                    for (int c = 0; c < cp; c += TV.Count)
                        TTile.InputPatch<T, TV>(ref xr, jh, rowAt, colAt, wd, cp, c, ref vr, at + c, xiStride, ref er);
                }
            }
        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>at[k] = start + k where that lies in [0, limit), else −1: the input rows (or columns) of one tile's patch.</summary>
    private static void Window(Span<int> at, int start, int limit)
    {
        for (int k = 0; k < at.Length; k++) at[k] = start + k >= 0 && start + k < limit ? start + k : -1;
    }

    /// <summary>blocks[(m·i + j)·ldt + t] = gY[image, co] element (i, j) of tile t's m×m block, for the chunk's images
    /// (tile-major; zeros past the map's edges): the gY side of the weight gradient, gathered for vectors of tiles.</summary>
    private static void GatherBlocks<T>(ReadOnlySpan<T> gy, int n0, int count, int outChannels, int co, in ConvGeometry g, int m,
        int tilesH, int tilesW, T[] blocks, int ldt) where T : IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, p = outH * outW, perImage = tilesH * tilesW;
        blocks.AsSpan(0, m * m * ldt).Clear();
        for (int j = 0; j < count; j++)
        {
            var map = gy.Slice(((n0 + j) * outChannels + co) * p, p);
            for (int th = 0; th < tilesH; th++)
            {
                int rows = Math.Min(m, outH - m * th), t0 = j * perImage + th * tilesW;
                for (int i = 0; i < rows; i++)
                {
                    var src = map.Slice((m * th + i) * outW, outW);
                    for (int tw = 0; tw < tilesW; tw++)
                    {
                        int cols = Math.Min(m, outW - m * tw), t = t0 + tw;
                        for (int jj = 0; jj < cols; jj++) blocks[(m * i + jj) * ldt + t] = src[m * tw + jj];
                    }
                }
            }
        }
    }

    /// <summary>Writes the m×m outputs of <paramref name="lanes"/> consecutive tiles from t0 (res[(m·i + j)·n + lane])
    /// plus the bias into y, cropped at the map's edges; each lane's (image, tile row, tile column) is stepped, not divided.</summary>
    private static void ScatterTiles<T>(T[] res, int n, int lanes, int t0, int n0, int outChannels, int co, in ConvGeometry g, int m,
        int tilesH, int tilesW, T bias, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, p = outH * outW, perImage = tilesH * tilesW;
        int j = t0 / perImage, th = (t0 - j * perImage) / tilesW, tw = t0 - j * perImage - th * tilesW;
        for (int l = 0; l < lanes; l++, tw++)
        {
            if (tw == tilesW) { tw = 0; if (++th == tilesH) { th = 0; j++; } }
            var map = y.Slice(((n0 + j) * outChannels + co) * p, p);
            int rows = Math.Min(m, outH - m * th), cols = Math.Min(m, outW - m * tw);
            for (int i = 0; i < rows; i++)
            {
                var dst = map.Slice((m * th + i) * outW + m * tw, cols);
                for (int jj = 0; jj < cols; jj++) dst[jj] = res[(m * i + jj) * n + l] + bias;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Ld<T, TV>(ref T xr, nint jh, int ih, int iw, int wd, int cp, int c) where T : INumberBase<T> where TV : struct, IVec<TV, T> =>
        ih < 0 || iw < 0 ? TV.Zero : TV.Load(ref xr, (nuint)(((jh + ih) * wd + iw) * cp + c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void St<T, TV>(TV value, ref T destination, nint offset) where T : INumberBase<T> where TV : struct, IVec<TV, T> =>
        value.Store(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Ld2<T, TV>(ref T source, nint offset) where T : INumberBase<T> where TV : struct, IVec<TV, T> =>
        TV.Load(ref source, (nuint)offset);

    /// <summary>y (images n0 ..) = Aᵀ m A + bias for every output channel and tile (Count tiles at once), cropped at the
    /// map's edges.</summary>
    private static void TransformOutput<T, TV, TTile>(T[] m, int ldm, int tiles, int n0, int outChannels, in ConvGeometry g, int tilesH, int tilesW,
        ReadOnlySpan<T> bias, Span<T> y) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TTile : IWinogradTile
    {
        int n = TV.Count, mt = TTile.M, alpha = TTile.Alpha;
        if (m.Length < (long)alpha * alpha * outChannels * ldm || ldm < (tiles + n - 1) / n * n) throw new ArgumentException("ConvolutionWinograd: buffer too small");
        ref T mr = ref MemoryMarshal.GetArrayDataReference(m);
        var scratch = ArrayPool<T>.Shared.Rent(alpha * mt * n);
        var res = ArrayPool<T>.Shared.Rent(mt * mt * n);   // the M × M outputs of n tiles
        ref T sr = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref T rr = ref MemoryMarshal.GetArrayDataReference(res);
        nint xiStride = (nint)outChannels * ldm;
        for (int co = 0; co < outChannels; co++)
        {
            T b = bias.IsEmpty ? T.Zero : bias[co];
            for (int t0 = 0; t0 < tiles; t0 += n)
            {
                TTile.OutputBlock<T, TV>(ref mr, (nint)co * ldm + t0, xiStride, ref rr, ref sr);
                ScatterTiles(res, n, Math.Min(n, tiles - t0), t0, n0, outChannels, co, g, mt, tilesH, tilesW, b, y);
            }
        }
        ArrayPool<T>.Shared.Return(scratch);
        ArrayPool<T>.Shared.Return(res);
    }
}
