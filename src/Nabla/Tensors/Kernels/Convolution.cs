using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Batched 2-d convolution (cross-correlation, as in PyTorch) by im2col + GEMM, forward and backward.
/// Legend: N images, C input channels, K = C·kH·kW taps (rows of the column matrix), P = OutH·OutW output pixels,
/// Co output channels. Weight is [Co, K] (i.e. [Co, C, kH, kW] flattened).
/// <code>
///   forward        Y[n]  (Co×P) = W (Co×K) · col(X[n]) (K×P) + b
///   weight grad    gW    (Co×K) = Σ_n gY[n] (Co×P) · col(X[n])ᵀ (P×K)
///   input grad     gX[n]        = col2im( Wᵀ (K×Co) · gY[n] (Co×P) )
///   bias grad      gb[co]       = Σ_n Σ_p gY[n, co, p]
/// </code>
/// </summary>
/// <remarks>
/// Images are processed in chunks of G consecutive images whose column matrices sit side by side (K × G·P), so that
/// small feature maps (P of a few pixels, late VGG layers) still give the GEMM a wide right-hand side. Chunks are
/// dealt to the parts of one <see cref="ParallelFor"/> run statically (part w takes chunks w, w + parts, ...; each part
/// runs single-threaded GEMMs, a lone part gets all cores for its GEMMs) and per-part weight/bias gradient
/// partials are summed in worker order, so results do not depend on thread timing. All temporaries come from
/// <see cref="ArrayPool{T}.Shared"/>. A 1×1, stride-1, unpadded convolution needs no column matrix at all: the
/// image [C, H·W] is already col(X[n]).
/// </remarks>
internal static class Convolution
{
    /// <summary>Below this many output pixels per GEMM, images are grouped into one product.</summary>
    private const int MinGemmColumns = 256;

    /// <summary>Rows of the column matrix per channel block (about the GEMM's KC) and the column-matrix size above which
    /// channels are blocked (elements; a quarter of a 1 MiB L2 in float32).</summary>
    private const int BlockRows = 512, MaxL2ColElements = 1 << 16;

    /// <summary>Upper bound on one worker's column buffer (elements), which caps the chunk size G.</summary>
    private const int MaxColElements = 1 << 22;

    /// <summary>output [N, Co, OutH, OutW] = conv(input [N, C, H, W], weight [Co, K]) + bias (empty bias: none).</summary>
    public static void Forward<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> bias, Memory<T> output,
        int batch, int outChannels, ConvGeometry g, ConvAlgorithm algorithm = ConvAlgorithm.Auto) where T : IFloatingPointIeee754<T>
    {
        CheckSizes(input.Length, weight.Length, output.Length, batch, outChannels, g);
        if (!bias.IsEmpty && bias.Length != outChannels)
            throw new ArgumentException($"Convolution: bias has {bias.Length} elements for {outChannels} output channels");
        if (batch == 0 || outChannels == 0 || g.OutPixels == 0) return;
        if (UseRegions(algorithm, g))
        {
            ConvolutionRegions.Forward(input, weight, bias, output, batch, outChannels, g);
            return;
        }
        if (algorithm is ConvAlgorithm.Winograd or ConvAlgorithm.Winograd4 || (algorithm == ConvAlgorithm.Auto && ConvolutionWinograd.Suits(g, outChannels)))
        {
            ConvolutionWinograd.Forward(input, weight, bias, output, batch, outChannels, g, UseF4(algorithm, g));
            return;
        }
        var plan = Plan.For(batch, g);
        // Workers that each run several single-threaded products share one packing of the weight; with many input
        // channels, one per block of channels (see Plan.ChannelBlock).
        int cb = plan.ChannelBlock(g), taps = g.KernelH * g.KernelW, kAll = g.ColRows;
        using var packed = plan.SharesWeight && cb == 0 ? PackT(false, outChannels, kAll, weight.Span[..(outChannels * kAll)], kAll) : null;
        using var blocks = PackedBlocks<T>.Pack(cb == 0 ? 0 : cb, false, weight.Span, outChannels, g);
        RunWorkers(plan.Workers, w =>
        {
            int k = g.ColRows, p = g.OutPixels, imageSize = g.ImageSize;
            T[]? col = plan.Pointwise && plan.Chunk == 1 ? null : ArrayPool<T>.Shared.Rent(k * plan.Chunk * p);
            T[]? tmp = plan.Chunk == 1 ? null : ArrayPool<T>.Shared.Rent(outChannels * plan.Chunk * p);
            try
            {
                var x = input.Span; var wt = weight.Span[..(outChannels * k)]; var b = bias.Span; var y = output.Span;
                for (int chunk = w; chunk < plan.Chunks; chunk += plan.Workers)
                {
                    int n0 = chunk * plan.Chunk, count = Math.Min(plan.Chunk, batch - n0), cols = count * p;
                    if (blocks.Length > 0)
                    {
                        // Y = Σ over channel blocks of W[:, block] · col(X[block]): each block's columns stay in L2
                        // between their fill and their product (the whole column matrix would not).
                        var prodB = tmp.AsSpan(0, outChannels * cols);
                        for (int i = 0; i < blocks.Length; i++)
                        {
                            int c0 = i * cb, nc = Math.Min(cb, g.Channels - c0), plane = g.H * g.W;
                            var sub = g with { Channels = nc };
                            for (int j = 0; j < count; j++)
                                Im2Col.Forward(x.Slice((n0 + j) * imageSize + c0 * plane, nc * plane), sub, col.AsSpan(j * p), cols);
                            blocks[i].Run(cols, col.AsSpan(0, nc * taps * cols), cols, i == 0 ? T.Zero : T.One, prodB, cols);
                        }
                        Reorder(prodB, cols, n0, count, outChannels, p, b, y);
                        continue;
                    }
                    ReadOnlySpan<T> colM = col is null
                        ? x.Slice(n0 * imageSize, imageSize)
                        : FillColumns(x, n0, count, g, col.AsSpan(0, k * cols));
                    if (count == 1)
                    {
                        var yn = y.Slice(n0 * outChannels * p, outChannels * p);
                        GemmT(plan.GemmThreads, false, false, outChannels, p, k, T.One, wt, k, colM, p, T.Zero, yn, p);
                        if (!b.IsEmpty) for (int co = 0; co < outChannels; co++) AddScalar(yn.Slice(co * p, p), b[co]);
                        continue;
                    }
                    var prod = tmp.AsSpan(0, outChannels * cols);                         // [Co, count·P]
                    if (packed is not null) packed.Run(cols, colM, cols, T.Zero, prod, cols);
                    else GemmT(plan.GemmThreads, false, false, outChannels, cols, k, T.One, wt, k, colM, cols, T.Zero, prod, cols);
                    Reorder(prod, cols, n0, count, outChannels, p, b, y);
                }
            }
            finally
            {
                if (col is not null) ArrayPool<T>.Shared.Return(col);
                if (tmp is not null) ArrayPool<T>.Shared.Return(tmp);
            }
        });
    }

    /// <summary>y images n0 .. n0+count−1 = prod [Co, count·P] reordered to [count, Co, P], + bias.</summary>
    private static void Reorder<T>(ReadOnlySpan<T> prod, int cols, int n0, int count, int outChannels, int p, ReadOnlySpan<T> b, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < count; j++)
            for (int co = 0; co < outChannels; co++)
            {
                var dst = y.Slice(((n0 + j) * outChannels + co) * p, p);
                prod.Slice(co * cols + j * p, p).CopyTo(dst);
                if (!b.IsEmpty) AddScalar(dst, b[co]);
            }
    }

    /// <summary>
    /// Gradients of <see cref="Forward{T}"/> given gradOutput [N, Co, OutH, OutW]; an empty destination is skipped.
    /// gradInput [N, C, H, W] and gradWeight [Co, K], gradBias [Co] are overwritten.
    /// </summary>
    public static void Backward<T>(ReadOnlyMemory<T> input, ReadOnlyMemory<T> weight, ReadOnlyMemory<T> gradOutput,
        Memory<T> gradInput, Memory<T> gradWeight, Memory<T> gradBias, int batch, int outChannels, ConvGeometry g,
        ConvAlgorithm algorithm = ConvAlgorithm.Auto) where T : IFloatingPointIeee754<T>
    {
        CheckSizes(input.Length, weight.Length, gradOutput.Length, batch, outChannels, g);
        int k = g.ColRows, p = g.OutPixels, imageSize = g.ImageSize;
        bool needInput = !gradInput.IsEmpty, needWeight = !gradWeight.IsEmpty, needBias = !gradBias.IsEmpty;
        if (needInput && gradInput.Length < batch * imageSize) throw new ArgumentException("Convolution: gradInput is too small");
        if (needWeight && gradWeight.Length < outChannels * k) throw new ArgumentException("Convolution: gradWeight is too small");
        if (needBias && gradBias.Length < outChannels) throw new ArgumentException("Convolution: gradBias is too small");
        if (needWeight) gradWeight.Span[..(outChannels * k)].Clear();
        if (needBias) gradBias.Span[..outChannels].Clear();
        if (batch == 0 || outChannels == 0 || p == 0 || !(needInput || needWeight || needBias))
        {
            if (needInput) gradInput.Span[..(batch * imageSize)].Clear();
            return;
        }
        if (UseRegions(algorithm, g))
        {
            ConvolutionRegions.Backward(input, weight, gradOutput, gradInput, gradWeight, gradBias, batch, outChannels, g);
            return;
        }
        bool forcedWino = algorithm is ConvAlgorithm.Winograd or ConvAlgorithm.Winograd4;
        var back = needInput && (forcedWino || algorithm == ConvAlgorithm.Auto) ? ConvolutionWinograd.BackwardDataGeometry(g, outChannels) : null;
        bool winoWeight = needWeight && (forcedWino ? ConvolutionWinograd.Applies(g)
            : algorithm == ConvAlgorithm.Auto && ConvolutionWinograd.Suits(g, outChannels));
        if (back is not null || winoWeight)
        {
            // the input gradient by Winograd (a convolution of gY with the rotated weight), the weight gradient by its
            // transpose F(3×3, 2×2), the bias gradient as sums of gY; what remains by im2col
            if (back is { } b) ConvolutionWinograd.BackwardData(gradOutput, weight.Span, gradInput, batch, outChannels, g, b, UseF4(algorithm, b));
            if (winoWeight) ConvolutionWinograd.BackwardWeight(input, gradOutput, gradWeight, batch, outChannels, g, UseF4(algorithm, g));
            if (needBias)
            {
                var gy = gradOutput.Span; var gB = gradBias.Span;
                for (int n = 0; n < batch; n++)
                    for (int co = 0; co < outChannels; co++) gB[co] += TensorPrimitives.Sum(gy.Slice((n * outChannels + co) * p, p));
            }
            bool restInput = needInput && back is null, restWeight = needWeight && !winoWeight;
            if (restInput || restWeight)
                Backward(input, weight, gradOutput, restInput ? gradInput : default, restWeight ? gradWeight : default, default, batch, outChannels, g, ConvAlgorithm.Im2Col);
            return;
        }
        // From here every image of gradInput is overwritten (col2im or a beta = 0 GEMM), so it needs no clearing.

        var plan = Plan.For(batch, g);
        int cb = plan.ChannelBlock(g), taps = g.KernelH * g.KernelW;
        using var packedT = needInput && plan.SharesWeight && !plan.Pointwise && cb == 0
            ? PackT(true, k, outChannels, weight.Span[..(outChannels * k)], k) : null;   // Wᵀ, shared by the workers
        using var blocksT = PackedBlocks<T>.Pack(needInput ? cb : 0, true, weight.Span, outChannels, g);   // Wᵀ per channel block
        // Worker 0 accumulates straight into the outputs; the others into pooled partials summed at the end.
        var partialW = new T[]?[plan.Workers];
        var partialB = new T[]?[plan.Workers];
        RunWorkers(plan.Workers, w =>
        {
            bool direct = plan.Pointwise && plan.Chunk == 1;
            T[]? col = direct || !(needWeight || needInput) ? null : ArrayPool<T>.Shared.Rent(k * plan.Chunk * p);
            T[]? tmp = plan.Chunk == 1 ? null : ArrayPool<T>.Shared.Rent(outChannels * plan.Chunk * p);
            if (w > 0 && needWeight) { partialW[w] = ArrayPool<T>.Shared.Rent(outChannels * k); partialW[w].AsSpan(0, outChannels * k).Clear(); }
            if (w > 0 && needBias) { partialB[w] = ArrayPool<T>.Shared.Rent(outChannels); partialB[w].AsSpan(0, outChannels).Clear(); }
            try
            {
                var x = input.Span; var wt = weight.Span[..(outChannels * k)]; var gy = gradOutput.Span;
                var gW = needWeight ? (w == 0 ? gradWeight.Span : partialW[w].AsSpan())[..(outChannels * k)] : default;
                var gB = needBias ? (w == 0 ? gradBias.Span : partialB[w].AsSpan())[..outChannels] : default;
                var gX = gradInput.Span;
                for (int chunk = w; chunk < plan.Chunks; chunk += plan.Workers)
                {
                    int n0 = chunk * plan.Chunk, count = Math.Min(plan.Chunk, batch - n0), cols = count * p;
                    ReadOnlySpan<T> gyM;                                                  // [Co, count·P]
                    if (count == 1) gyM = gy.Slice(n0 * outChannels * p, outChannels * p);
                    else
                    {
                        var t = tmp.AsSpan(0, outChannels * cols);
                        for (int j = 0; j < count; j++)
                            for (int co = 0; co < outChannels; co++)
                                gy.Slice(((n0 + j) * outChannels + co) * p, p).CopyTo(t.Slice(co * cols + j * p, p));
                        gyM = t;
                    }
                    if (needBias) for (int co = 0; co < outChannels; co++) gB[co] += TensorPrimitives.Sum(gyM.Slice(co * cols, cols));
                    if (cb > 0)
                    {
                        // channel block by channel block, the block's columns kept in L2 (as in the forward pass)
                        for (int c0 = 0, i = 0; c0 < g.Channels; c0 += cb, i++)
                        {
                            int nc = Math.Min(cb, g.Channels - c0), rows = nc * taps, plane = g.H * g.W;
                            var sub = g with { Channels = nc };
                            var colB = col.AsSpan(0, rows * cols);
                            if (needWeight)
                            {
                                for (int j = 0; j < count; j++)
                                    Im2Col.Forward(x.Slice((n0 + j) * imageSize + c0 * plane, nc * plane), sub, col.AsSpan(j * p), cols);
                                GemmT(1, false, true, outChannels, rows, cols, T.One, gyM, cols, colB, cols, T.One, gW[(c0 * taps)..], k);
                            }
                            if (!needInput) continue;
                            blocksT[i].Run(cols, gyM, cols, T.Zero, colB, cols);
                            for (int j = 0; j < count; j++)
                                Im2Col.Backward<T>(colB[(j * p)..], cols, sub, gX.Slice((n0 + j) * imageSize + c0 * plane, nc * plane));
                        }
                        continue;
                    }
                    if (needWeight)
                    {
                        ReadOnlySpan<T> colM = direct ? x.Slice(n0 * imageSize, imageSize) : FillColumns(x, n0, count, g, col.AsSpan(0, k * cols));
                        WeightGradient(plan.GemmThreads, outChannels, k, cols, gyM, colM, gW);
                    }
                    if (!needInput) continue;
                    if (direct) { GemmT(plan.GemmThreads, true, false, k, p, outChannels, T.One, wt, k, gyM, p, T.Zero, gX.Slice(n0 * imageSize, imageSize), p); continue; }
                    var gCol = col.AsSpan(0, k * cols);                                   // reuses the column buffer
                    if (packedT is not null) packedT.Run(cols, gyM, cols, T.Zero, gCol, cols);
                    else GemmT(plan.GemmThreads, true, false, k, cols, outChannels, T.One, wt, k, gyM, cols, T.Zero, gCol, cols);
                    for (int j = 0; j < count; j++)
                        Im2Col.Backward<T>(gCol[(j * p)..], cols, g, gX.Slice((n0 + j) * imageSize, imageSize));
                }
            }
            finally
            {
                if (col is not null) ArrayPool<T>.Shared.Return(col);
                if (tmp is not null) ArrayPool<T>.Shared.Return(tmp);
            }
        });
        for (int w = 1; w < plan.Workers; w++)
        {
            if (partialW[w] is { } pw) { TensorPrimitives.Add(gradWeight.Span[..(outChannels * k)], pw.AsSpan(0, outChannels * k), gradWeight.Span); ArrayPool<T>.Shared.Return(pw); }
            if (partialB[w] is { } pb) { TensorPrimitives.Add(gradBias.Span[..outChannels], pb.AsSpan(0, outChannels), gradBias.Span); ArrayPool<T>.Shared.Return(pb); }
        }
    }

    /// <summary>Tap regions (<see cref="ConvolutionRegions"/>) when forced, or on Auto when they skip enough padding products.</summary>
    /// <summary>Winograd's larger tile F(4×4, 3×3) rather than F(2×2, 3×3): when forced, or on Auto where it wins
    /// (<see cref="ConvolutionWinograd.SuitsF4"/>).</summary>
    private static bool UseF4(ConvAlgorithm algorithm, in ConvGeometry g) =>
        algorithm == ConvAlgorithm.Winograd4 || (algorithm == ConvAlgorithm.Auto && ConvolutionWinograd.SuitsF4(g));

    private static bool UseRegions(ConvAlgorithm algorithm, in ConvGeometry g) =>
        algorithm == ConvAlgorithm.Regions || (algorithm == ConvAlgorithm.Auto && ConvolutionRegions.Suits(g));

    /// <summary>How a batch is cut: G images per chunk, how many chunks, how many workers.</summary>
    private readonly record struct Plan(int Chunk, int Chunks, int Workers, bool Pointwise)
    {
        /// <summary>Threads per GEMM: all cores when one worker runs the batch, otherwise one per worker.</summary>
        public int GemmThreads => Workers > 1 ? 1 : ParallelFor.MaxDegree;

        /// <summary>Whether single-threaded products on several chunks per worker should share one packed weight
        /// (<see cref="PackT{T}"/>) instead of each packing it again.</summary>
        public bool SharesWeight => Workers > 1 && Chunks > Workers;

        /// <summary>Input channels per block of the weight and the column matrix when a chunk's whole column matrix
        /// would overflow L2 (many channels), 0 for no blocking: each block is about one KC deep.</summary>
        public int ChannelBlock(in ConvGeometry g)
        {
            int taps = g.KernelH * g.KernelW, cb = Math.Max(1, BlockRows / taps);
            return Workers > 1 && Chunk > 1 && !Pointwise && g.Channels > cb && (long)g.ColRows * Chunk * g.OutPixels > MaxL2ColElements ? cb : 0;
        }

        public static Plan For(int batch, in ConvGeometry g)
        {
            int cores = ParallelFor.MaxDegree;
            int p = Math.Max(1, g.OutPixels), k = Math.Max(1, g.ColRows);
            int chunk = (MinGemmColumns + p - 1) / p;
            chunk = (int)Math.Min(chunk, Math.Max(1, MaxColElements / ((long)k * p)));
            chunk = Math.Clamp(Math.Min(chunk, (batch + cores - 1) / cores), 1, Math.Max(1, batch));
            int chunks = (batch + chunk - 1) / chunk;
            bool pointwise = g is { KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1, PadTop: 0, PadLeft: 0 } && g.OutH == g.H && g.OutW == g.W;
            return new Plan(chunk, chunks, Math.Min(cores, chunks), pointwise);
        }
    }

    /// <summary>Column matrix of images n0 .. n0+count−1 side by side: [K, count·P].</summary>
    private static ReadOnlySpan<T> FillColumns<T>(ReadOnlySpan<T> x, int n0, int count, in ConvGeometry g, Span<T> col) where T : IFloatingPointIeee754<T>
    {
        int cols = count * g.OutPixels;
        for (int j = 0; j < count; j++)
            Im2Col.Forward(x.Slice((n0 + j) * g.ImageSize, g.ImageSize), g, col[(j * g.OutPixels)..], cols);
        return col;
    }

    /// <summary>Runs body(0 .. workers−1) on the shared pool (inline when there is one worker).</summary>
    private static void RunWorkers(int workers, Action<int> body)
    {
        if (workers <= 1) body(0);
        else ParallelFor.Run(workers, body);
    }

    private static void AddScalar<T>(Span<T> row, T v) where T : IFloatingPointIeee754<T> => TensorPrimitives.Add(row, v, row);

    /// <summary>GEMM on float32 or float64 spans (the element type is known at JIT time, so the branch folds).</summary>
    internal static void GemmT<T>(int threads, bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            Gemm.Sgemm(GemmPath.Auto, threads, transA, transB, m, n, k, float.CreateTruncating(alpha), As<T, float>(a), lda,
                As<T, float>(b), ldb, float.CreateTruncating(beta), As<T, float>(c), ldc);
        else if (typeof(T) == typeof(double))
            Gemm.Dgemm(GemmPath.Auto, threads, transA, transB, m, n, k, double.CreateTruncating(alpha), As<T, double>(a), lda,
                As<T, double>(b), ldb, double.CreateTruncating(beta), As<T, double>(c), ldc);
        else throw new NotSupportedException($"Convolution: element type {typeof(T).Name}");
    }

    /// <summary>The weight [Co, K] packed per block of cb input channels (rows c·kH·kW .. of K), as W[:, block]
    /// (Co × rows) or its transpose; cb = 0 packs nothing. Disposing returns every block's buffer.</summary>
    private sealed class PackedBlocks<T> : IDisposable where T : IFloatingPointIeee754<T>
    {
        private readonly PackedMatrix<T>[] _blocks;
        private PackedBlocks(PackedMatrix<T>[] blocks) => _blocks = blocks;

        public int Length => _blocks.Length;
        public PackedMatrix<T> this[int i] => _blocks[i];

        public static PackedBlocks<T> Pack(int cb, bool transpose, ReadOnlySpan<T> weight, int outChannels, in ConvGeometry g)
        {
            int taps = g.KernelH * g.KernelW, k = g.ColRows;
            var blocks = new PackedMatrix<T>[cb == 0 ? 0 : (g.Channels + cb - 1) / cb];
            for (int i = 0; i < blocks.Length; i++)
            {
                int rows = Math.Min(cb, g.Channels - i * cb) * taps;
                var a = weight.Slice(i * cb * taps, (outChannels - 1) * k + rows);
                blocks[i] = transpose ? PackT(true, rows, outChannels, a, k) : PackT(false, outChannels, rows, a, k);
            }
            return new PackedBlocks<T>(blocks);
        }

        public void Dispose() { foreach (var b in _blocks) b.Dispose(); }
    }

    /// <summary>op(A) (m×k) packed once for many single-threaded products on any thread (<see cref="GemmPackedA{T}"/>;
    /// the packing itself shared over the cores).</summary>
    internal static PackedMatrix<T> PackT<T>(bool transA, int m, int k, ReadOnlySpan<T> a, int lda) where T : IFloatingPointIeee754<T> =>
        new(transA, m, k, a, lda);

    /// <summary><see cref="GemmPackedA{T}"/> for a float32 or float64 T known at JIT time.</summary>
    internal sealed class PackedMatrix<T> : IDisposable where T : IFloatingPointIeee754<T>
    {
        private readonly GemmPackedA<float>? _f;
        private readonly GemmPackedA<double>? _d;

        public PackedMatrix(bool transA, int m, int k, ReadOnlySpan<T> a, int lda)
        {
            if (typeof(T) == typeof(float)) _f = GemmPackedA<float>.Pack(GemmPath.Auto, ParallelFor.MaxDegree, transA, m, k, As<T, float>(a), lda);
            else if (typeof(T) == typeof(double)) _d = GemmPackedA<double>.Pack(GemmPath.Auto, ParallelFor.MaxDegree, transA, m, k, As<T, double>(a), lda);
            else throw new NotSupportedException($"Convolution: element type {typeof(T).Name}");
        }

        /// <summary>C (m×n) = A·op(B) + beta·C on the calling thread, op(B) k×n (B stored n×k when transB; row stride ldb).</summary>
        public void Run(int n, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, bool transB = false)
        {
            if (_f is not null) GemmDriver.RunPacked(_f, transB, n, 1f, As<T, float>(b), ldb, float.CreateTruncating(beta), As<T, float>(c), ldc);
            else GemmDriver.RunPacked(_d!, transB, n, 1d, As<T, double>(b), ldb, double.CreateTruncating(beta), As<T, double>(c), ldc);
        }

        public void Dispose() { _f?.Dispose(); _d?.Dispose(); }
    }

    /// <summary>gW (Co×K) += gY (Co×cols) · colᵀ (cols×K): by <see cref="GemmDotNT"/> when the product is small and one
    /// thread runs it (both operands are read as they lie, nothing re-packed per chunk), else the packed GEMM.</summary>
    private static void WeightGradient<T>(int threads, int outChannels, int k, int cols, ReadOnlySpan<T> gy, ReadOnlySpan<T> col, Span<T> gW)
        where T : IFloatingPointIeee754<T>
    {
        if (threads == 1 && GemmDotNT.Suits(outChannels, k, cols))
        {
            if (typeof(T) == typeof(float)) { GemmDotNT.Run(outChannels, k, cols, As<T, float>(gy), cols, As<T, float>(col), cols, 1f, As<T, float>(gW), k); return; }
            if (typeof(T) == typeof(double)) { GemmDotNT.Run(outChannels, k, cols, As<T, double>(gy), cols, As<T, double>(col), cols, 1d, As<T, double>(gW), k); return; }
        }
        GemmT(threads, false, true, outChannels, k, cols, T.One, gy, cols, col, cols, T.One, gW, k);
    }

    /// <summary>Reinterprets a span whose element type is known to be TTo (no copy, no constraint on T).</summary>
    private static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    private static Span<TTo> As<TFrom, TTo>(Span<TFrom> s) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    private static void CheckSizes(int inputLength, int weightLength, int outputLength, int batch, int outChannels, in ConvGeometry g)
    {
        if (inputLength < (long)batch * g.ImageSize)
            throw new ArgumentException($"Convolution: input has {inputLength} elements, {batch} images need {(long)batch * g.ImageSize}");
        if (weightLength < (long)outChannels * g.ColRows)
            throw new ArgumentException($"Convolution: weight has {weightLength} elements, [{outChannels}, {g.ColRows}] needs {(long)outChannels * g.ColRows}");
        if (outputLength < (long)batch * outChannels * g.OutPixels)
            throw new ArgumentException($"Convolution: output has {outputLength} elements, needs {(long)batch * outChannels * g.OutPixels}");
    }
}
