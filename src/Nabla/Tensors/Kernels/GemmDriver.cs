using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors.Kernels;

/// <summary>Which micro-kernel <see cref="GemmDriver"/> uses: the widest the CPU supports, or one forced (tests).
/// V512 is the 12-row tile of <see cref="GemmKernelVec{T, TV, TRows}"/> on 512-bit vectors, V256 its 6-row tile on
/// 256-bit ones, V128 on 128-bit ones (12 rows on ARM64's 32 registers, 6 on x86's 16), Scalar the portable twin.</summary>
internal enum GemmPath { Auto, V512, V256, V128, Scalar }

internal static unsafe class GemmDriver
{
    /// <summary>Below this many multiply-adds (m·n·k) one thread is faster than waking another.</summary>
    internal const long ParallelThreshold = 1L << 21;

    public static void Run<T>(GemmPath path, int maxThreads, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmEpilogue<T> ep = default) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == T.Zero)   // A and B are not read (BLAS)
        {
            ScaleC(m, n, beta, c, ldc);
            if (ep.IsActive) ep.Apply(c, ldc, m, n);
            return;
        }
        path = Resolve<T>(path);
        switch (path)
        {
            case GemmPath.V512 when GemmKernelVec<T, V512<T>, Rows12>.IsSupported:
                With<T, GemmKernelVec<T, V512<T>, Rows12>>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep); break;
            case GemmPath.V256 when GemmKernelVec<T, V256<T>, Rows6>.IsSupported:
                With<T, GemmKernelVec<T, V256<T>, Rows6>>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep); break;
            case GemmPath.V128 when GemmKernelVec<T, V128<T>, Rows12>.IsSupported && V128Rows12:   // ARM64: 32 registers
                With<T, GemmKernelVec<T, V128<T>, Rows12>>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep); break;
            case GemmPath.V128 when GemmKernelVec<T, V128<T>, Rows6>.IsSupported:
                With<T, GemmKernelVec<T, V128<T>, Rows6>>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep); break;
            case GemmPath.Scalar:
                With<T, GemmKernelScalar<T>>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep); break;
            default: throw new PlatformNotSupportedException($"Gemm: path {path} is not supported by this CPU");
        }
    }

    /// <summary>The path Auto stands for on this CPU (the widest kernel), any other path unchanged.</summary>
    internal static GemmPath Resolve<T>(GemmPath path) where T : unmanaged, INumber<T> =>
        path != GemmPath.Auto ? path
        : GemmKernelVec<T, V512<T>, Rows12>.IsSupported ? GemmPath.V512
        : GemmKernelVec<T, V256<T>, Rows6>.IsSupported ? GemmPath.V256
        : GemmKernelVec<T, V128<T>, Rows6>.IsSupported ? GemmPath.V128 : GemmPath.Scalar;

    /// <summary>Whether the 128-bit path uses the 12-row tile (ARM64's 32 registers) rather than the 6-row one.</summary>
    internal static bool V128Rows12 => !Sse.IsSupported;

    /// <summary>
    /// C (m×n, m = a.M) = alpha·A·op(B) + beta·C on one thread, with A packed beforehand (<see cref="GemmPackedA{T}"/>):
    /// the blocked loop of <see cref="Blocked{T, K}"/> without its A packing. Safe to call from several threads at
    /// once on the same packed A (it is only read).
    /// </summary>
    public static void RunPacked<T>(GemmPackedA<T> a, bool transB, int n, T alpha, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        int m = a.M, k = a.K;
        Gemm.Validate(false, transB, m, n, k, m * k, k, b.Length, ldb, c.Length, ldc);
        if (n == 0) return;
        fixed (T* pb = b, pc = c)
            switch (a.Path)
            {
                case GemmPath.V512: BlockedPacked<T, GemmKernelVec<T, V512<T>, Rows12>>(a, transB, n, alpha, pb, ldb, beta, pc, ldc); break;
                case GemmPath.V256: BlockedPacked<T, GemmKernelVec<T, V256<T>, Rows6>>(a, transB, n, alpha, pb, ldb, beta, pc, ldc); break;
                case GemmPath.V128 when V128Rows12: BlockedPacked<T, GemmKernelVec<T, V128<T>, Rows12>>(a, transB, n, alpha, pb, ldb, beta, pc, ldc); break;
                case GemmPath.V128: BlockedPacked<T, GemmKernelVec<T, V128<T>, Rows6>>(a, transB, n, alpha, pb, ldb, beta, pc, ldc); break;
                default: BlockedPacked<T, GemmKernelScalar<T>>(a, transB, n, alpha, pb, ldb, beta, pc, ldc); break;
            }
    }

    private static void BlockedPacked<T, K>(GemmPackedA<T> a, bool transB, int n, T alpha, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        int m = a.M, k = a.K, mcStep = a.McStep, nr = K.NR;
        int ncMax = Math.Min(K.NC, (n + nr - 1) / nr * nr), kcMax = Math.Min(K.KC, k);
        int bSize = GemmBuffers<T>.RoundUp(ncMax * kcMax);
        T* bp = GemmBuffers<T>.Get(bSize + K.MR * nr), tile = bp + bSize;
        for (int ic = 0; ic < m; ic += mcStep)
        {
            int mc = Math.Min(mcStep, m - ic);
            for (int pc = 0; pc < k; pc += K.KC)
            {
                int kc = Math.Min(K.KC, k - pc);
                T betaBlock = pc == 0 ? beta : T.One;
                T* ap = a.Block(ic, pc);
                for (int jc = 0; jc < n; jc += K.NC)
                {
                    int nc = Math.Min(K.NC, n - jc);
                    GemmPacking.PackB<T, K>(transB, transB ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, kc, nc, bp);
                    Macro<T, K>(mc, nc, kc, alpha, ap, bp, betaBlock, c + ic * ldc + jc, ldc, tile, default);
                }
            }
        }
    }

    /// <summary>One GEMM with kernel K: transposed when C is narrow, else sliced over threads.</summary>
    private static void With<T, K>(int maxThreads, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmEpilogue<T> ep) where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        if (TryTransposed<T, K>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        {
            if (ep.IsActive) ep.Apply(c, ldc, m, n);   // C is narrow here: one short pass
            return;
        }
        Split<T, K>(maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep);
    }

    /// <summary>C = beta·C (C = 0 when beta = 0, whatever C held).</summary>
    private static void ScaleC<T>(int m, int n, T beta, T* c, nint ldc) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    /// <summary>
    /// A narrow C (n well below NR, e.g. 64×10 logits) makes most of every MR×NR tile padding. Cᵀ = op(B)ᵀ·op(A)ᵀ
    /// puts the long side along NR instead: compute it into a pooled scratch (op(X)ᵀ is X read with the other
    /// transpose flag), then C = (Cᵀ)ᵀ + beta·C. Taken only when it cuts the padded tile area by a quarter or more.
    /// </summary>
    private static bool TryTransposed<T, K>(int maxThreads, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc) where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        static long Pad(int x, int to) => (x + to - 1) / to * (long)to;
        long direct = Pad(m, K.MR) * Pad(n, K.NR), swapped = Pad(n, K.MR) * Pad(m, K.NR);
        if (4 * swapped > 3 * direct || (long)m * n > int.MaxValue / 2) return false;
        var scratch = ArrayPool<T>.Shared.Rent(m * n);
        fixed (T* t = scratch)
        {
            Split<T, K>(maxThreads, !transB, !transA, n, m, k, alpha, b, ldb, a, lda, T.Zero, t, m, default);   // t = Cᵀ, n×m
            for (int i = 0; i < m; i++)
            {
                T* ci = c + i * ldc;
                if (beta == T.Zero) for (int j = 0; j < n; j++) ci[j] = t[j * m + i];
                else for (int j = 0; j < n; j++) ci[j] = t[j * m + i] + beta * ci[j];
            }
        }
        ArrayPool<T>.Shared.Return(scratch);
        return true;
    }

    /// <summary>Chooses the thread count and the slicing of C, then runs <see cref="Blocked{T, K}"/> per slice.</summary>
    internal static void Split<T, K>(int maxThreads, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmEpilogue<T> ep = default) where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        int threads = Math.Min(maxThreads, ParallelFor.MaxDegree);
        if (threads <= 1 || (long)m * n * k < ParallelThreshold)
        {
            Blocked<T, K>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep);
            return;
        }
        bool byCols = SliceByColumns<T, K>(threads, m, n);
        int mPanels = (m + K.MR - 1) / K.MR, nPanels = (n + K.NR - 1) / K.NR;
        int panels = byCols ? nPanels : mPanels, unit = byCols ? K.NR : K.MR;
        int parts = Math.Min(threads, panels);
        if (parts <= 1)
        {
            Blocked<T, K>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep);
            return;
        }
        var task = new SliceTask<T, K>
        {
            TransA = transA, TransB = transB, M = m, N = n, Depth = k, Alpha = alpha, Beta = beta,
            A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, Ep = ep, ByCols = byCols, Panels = panels, Unit = unit, Parts = parts,
        };
        ParallelFor.Run(parts, task.Execute);
    }

    /// <summary>Whether <see cref="Split{T, K}"/> gives each of <paramref name="threads"/> threads a slice of C's columns
    /// (rather than of its rows).</summary>
    internal static bool SliceByColumns<T, K>(int threads, int m, int n) where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        // Slicing columns makes every thread pack all of A, slicing rows all of B. Estimate per-thread cost as
        // tile FLOPs + packing (weighted ~8 multiply-adds per packed element) and take the cheaper. Each thread packs
        // and reads only its own panels: an A panel packed by all threads together (a share each, two fork-joins per
        // K block) was level with this on a quiet host but 9-25 % slower whenever the host was in its slower phase
        // (Zen 5, 2 threads, the two variants alternated in blocks of 15 calls in one process: sgemm-1024 439-442 vs
        // 479-484 GFLOP/s, mlp-infer 279-283k vs 346-351k samples/s, 2026-12-07), so it was removed.
        int mPanels = (m + K.MR - 1) / K.MR, nPanels = (n + K.NR - 1) / K.NR;
        long colSlice = (long)(nPanels + threads - 1) / threads * K.NR, rowSlice = (long)(mPanels + threads - 1) / threads * K.MR;
        long costCols = colSlice * mPanels * K.MR + 8 * (mPanels * K.MR + colSlice);
        long costRows = rowSlice * nPanels * K.NR + 8 * (rowSlice + nPanels * K.NR);
        // Blocked packs every B block again for each A panel (K.MC rows) of its slice, which the estimate leaves out:
        // where a column slice holds more A panels than a row slice, rows win (2 threads, Zen 5, both splits
        // alternated in one process, 2026-12-07: sgemm 2048³ 453 → 463 GFLOP/s, 2048×1024×1024 442 → 461,
        // 2048×512×784 424 → 460, 3000×3000×512 456 → 459; every block won).
        return costCols <= costRows && PanelCount(m, K.MC) <= PanelCount(rowSlice, K.MC);
    }

    /// <summary>One thread's share of C: panels [part·P/parts, (part+1)·P/parts) of the sliced dimension.</summary>
    private sealed class SliceTask<T, K> where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        public bool TransA, TransB, ByCols;
        public int M, N, Depth, Panels, Unit, Parts;
        public T Alpha, Beta;
        public T* A, B, C;
        public nint Lda, Ldb, Ldc;
        public GemmEpilogue<T> Ep;

        public void Execute(int part)
        {
            int lo = (int)((long)Panels * part / Parts) * Unit, hi = (int)((long)Panels * (part + 1) / Parts) * Unit;
            if (ByCols)
            {
                hi = Math.Min(hi, N);
                T* b = TransB ? B + lo * Ldb : B + lo;
                Blocked<T, K>(TransA, TransB, M, hi - lo, Depth, Alpha, A, Lda, b, Ldb, Beta, C + lo, Ldc, Ep.From(lo));
            }
            else
            {
                hi = Math.Min(hi, M);
                T* a = TransA ? A + lo : A + lo * Lda;
                Blocked<T, K>(TransA, TransB, hi - lo, N, Depth, Alpha, a, Lda, B, Ldb, Beta, C + lo * Ldc, Ldc, Ep);
            }
        }
    }

    /// <summary>
    /// The single-threaded blocked algorithm on one (sub)problem. Loop order (BLIS's, with the roles of A and B
    /// swapped for row-major C): ic over MC rows (a panel of packed A, kept in L3), pc over KC (pack that panel),
    /// jc over NC columns (pack a KC×NC block of B into L2), then ir over the MR-row slivers of A (one sliver,
    /// MR×KC, stays in L1) and, innermost, jr over the NR-column slivers of B (streamed from L2).
    /// </summary>
    /// <remarks>
    /// Why this order and not GotoBLAS's (B sliver in L1, A block in L2): with the 12×32 AVX-512 tile a B sliver
    /// is 32·KC elements, so at KC = 256 it fills Zen 4's whole 32 KiB L1 and C-tile updates evict it; the A sliver
    /// is 12·KC and fits at KC = 512, which also halves how often each C tile is read and written back. Measured on
    /// Zen 4, 1 thread, sgemm 1024 / 2048: +3 % / +2 % against the Goto order (see the commit message).
    /// </remarks>
    private static void Blocked<T, K>(bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, GemmEpilogue<T> ep) where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        if (m <= 0 || n <= 0) return;
        int mr = K.MR, nr = K.NR;
        int mcStep = PanelStep(m, mr, K.MC);
        int kcMax = Math.Min(K.KC, k);
        int mcMax = Math.Min(mcStep, (m + mr - 1) / mr * mr), ncMax = Math.Min(K.NC, (n + nr - 1) / nr * nr);
        int aSize = GemmBuffers<T>.RoundUp(mcMax * kcMax), bSize = GemmBuffers<T>.RoundUp(ncMax * kcMax);
        T* ap = GemmBuffers<T>.Get(aSize + bSize + mr * nr);
        T* bp = ap + aSize, tile = bp + bSize;

        for (int ic = 0; ic < m; ic += mcStep)
        {
            int mc = Math.Min(mcStep, m - ic);
            for (int pc = 0; pc < k; pc += K.KC)
            {
                int kc = Math.Min(K.KC, k - pc);
                T betaBlock = pc == 0 ? beta : T.One;   // later K blocks accumulate onto the first
                GemmPacking.PackA<T, K>(transA, transA ? a + pc * lda + ic : a + ic * lda + pc, lda, mc, kc, ap);
                for (int jc = 0; jc < n; jc += K.NC)
                {
                    int nc = Math.Min(K.NC, n - jc);
                    GemmPacking.PackB<T, K>(transB, transB ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, kc, nc, bp);
                    Macro<T, K>(mc, nc, kc, alpha, ap, bp, betaBlock, c + ic * ldc + jc, ldc, tile, pc + kc == k ? ep.From(jc) : default);
                }
            }
        }
    }

    /// <summary>How many A panels (at most <paramref name="mc"/> rows each) <paramref name="m"/> rows are cut into.</summary>
    private static long PanelCount(long m, int mc) => (m + mc - 1) / mc;

    /// <summary>The height of the A panels m rows are cut into: at most <paramref name="mc"/>, equal, whole slivers of
    /// <paramref name="mr"/>. m = 2048 is two panels of 1032 and 1016 rows, not 2040 + 8, whose 8-row panel would pack
    /// every block of B again for a single sliver.</summary>
    internal static int PanelStep(int m, int mr, int mc)
    {
        int panels = (m + mc - 1) / mc;
        return ((m + panels - 1) / panels + mr - 1) / mr * mr;
    }

    /// <summary>The two innermost loops: every MR×NR tile of an mc×nc block of C from packed A and B, one A sliver
    /// (kept in L1) against every B sliver of the block (streamed from L2); on the last K block the epilogue then runs
    /// on each sliver's strip of C while it is still in L1.</summary>
    internal static void Macro<T, K>(int mc, int nc, int kc, T alpha, T* ap, T* bp, T beta, T* c, nint ldc, T* tile, GemmEpilogue<T> ep)
        where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        int mr = K.MR, nr = K.NR;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* aSliver = ap + ir * kc;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                T* bs = bp + jr * kc;
                T* cs = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    K.Run(kc, aSliver, bs, cs, ldc, alpha, beta);
                    continue;
                }
                if (cols == nr && K.RunRows(rows, kc, aSliver, bs, cs, ldc, alpha, beta)) continue;
                // Edge tile: compute the full padded tile aside, then merge only the valid part into C.
                K.Run(kc, aSliver, bs, tile, nr, T.One, T.Zero);
                for (int r = 0; r < rows; r++)
                {
                    T* cr = cs + r * ldc, tr = tile + r * nr;
                    if (beta == T.Zero) for (int j = 0; j < cols; j++) cr[j] = alpha * tr[j];
                    else for (int j = 0; j < cols; j++) cr[j] = alpha * tr[j] + beta * cr[j];
                }
            }
            if (ep.IsActive) ep.Apply(c + ir * ldc, ldc, rows, nc);
        }
    }
}
