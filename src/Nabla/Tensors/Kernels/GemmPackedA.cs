using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// op(A) packed once, for many products against different right-hand sides: a convolution multiplies its weight by
/// the column matrix of every chunk of images, and <see cref="GemmDriver"/> would pack the weight again for each
/// (for a 512×4608 weight, 2.4 M elements packed per 16 images of a 4×4 map). Pack it here once per call, with
/// every core taking a share, then run single-threaded products on it from any number of threads at once.
/// </summary>
/// <remarks>
/// The layout is exactly what <see cref="GemmDriver"/>'s blocked loop packs per (MC panel, KC block), stored for
/// every block: block (ic, pc) starts at ic·K + roundUp(mc, MR)·pc and holds MR-row slivers of KC columns. The
/// buffer is pinned and comes from a small pool, so a convolution per training step allocates nothing.
/// Disposing returns it; the object must not be used afterwards.
/// </remarks>
internal sealed unsafe class GemmPackedA<T> : IDisposable where T : unmanaged, INumber<T>
{
    public int M { get; }
    public int K { get; }
    internal GemmPath Path { get; }
    private readonly int _mr, _mcStep;
    private T[]? _buffer;
    private readonly T* _base;

    private GemmPackedA(int m, int k, GemmPath path, int mr, int mc)
    {
        M = m; K = k; Path = path; _mr = mr;
        _mcStep = GemmDriver.PanelStep(m, mr, mc);   // the panels Blocked cuts
        long size = (long)(m + mr - 1) / mr * mr * k + 64 / sizeof(T);
        if (size > Array.MaxLength) throw new ArgumentException($"GemmPackedA: {m}×{k} is too large to pack");
        _buffer = Pool.Rent((int)size);
        nint p = (nint)Unsafe.AsPointer(ref _buffer[0]);
        _base = (T*)((p + 63) & ~(nint)63);
    }

    /// <summary>op(A) (m×k; A stored k×m when <paramref name="transA"/>) packed for the kernel of
    /// <paramref name="path"/> (Auto: the widest), slivers shared out over up to <paramref name="threads"/> cores.</summary>
    public static GemmPackedA<T> Pack(GemmPath path, int threads, bool transA, int m, int k, ReadOnlySpan<T> a, int lda)
    {
        if (m <= 0 || k <= 0) throw new ArgumentException($"GemmPackedA: empty matrix {m}×{k}");
        Gemm.Validate(transA, false, m, 0, k, a.Length, lda, 0, 0, 0, 0);
        path = GemmDriver.Resolve<T>(path);
        return path switch
        {
            GemmPath.V512 when GemmKernelVec<T, V512<T>, Rows12>.IsSupported => Pack<GemmKernelVec<T, V512<T>, Rows12>>(path, threads, transA, m, k, a, lda),
            GemmPath.V256 when GemmKernelVec<T, V256<T>, Rows6>.IsSupported => Pack<GemmKernelVec<T, V256<T>, Rows6>>(path, threads, transA, m, k, a, lda),
            GemmPath.V128 when GemmKernelVec<T, V128<T>, Rows12>.IsSupported && GemmDriver.V128Rows12 =>
                Pack<GemmKernelVec<T, V128<T>, Rows12>>(path, threads, transA, m, k, a, lda),
            GemmPath.V128 when GemmKernelVec<T, V128<T>, Rows6>.IsSupported => Pack<GemmKernelVec<T, V128<T>, Rows6>>(path, threads, transA, m, k, a, lda),
            GemmPath.Scalar => Pack<GemmKernelScalar<T>>(path, threads, transA, m, k, a, lda),
            _ => throw new PlatformNotSupportedException($"GemmPackedA: path {path} is not supported by this CPU"),
        };
    }

    private static GemmPackedA<T> Pack<K>(GemmPath path, int threads, bool transA, int m, int k, ReadOnlySpan<T> a, int lda)
        where K : IGemmMicroKernel<T>
    {
        var packed = new GemmPackedA<T>(m, k, path, K.MR, K.MC);
        int slivers = (m + K.MR - 1) / K.MR, blocks = (k + K.KC - 1) / K.KC;
        int parts = (long)m * k < GemmDriver.ParallelThreshold / 8 ? 1 : Math.Max(1, Math.Min(threads, Math.Min(ParallelFor.MaxDegree, slivers)));
        fixed (T* pa = a)
        {
            T* src = pa;
            void Part(int part)
            {
                int s0 = (int)((long)slivers * part / parts), s1 = (int)((long)slivers * (part + 1) / parts);
                for (int pc = 0; pc < blocks; pc++)
                    for (int s = s0; s < s1;)
                    {
                        int row = s * K.MR, ic = row / packed._mcStep * packed._mcStep;
                        int panelEnd = Math.Min(m, ic + packed._mcStep);
                        int rows = Math.Min(Math.Min(s1 * K.MR, m), panelEnd) - row;   // within one panel
                        int kc = Math.Min(K.KC, k - pc * K.KC);
                        T* from = transA ? src + (nint)pc * K.KC * lda + row : src + (nint)row * lda + pc * K.KC;
                        GemmPacking.PackA<T, K>(transA, from, lda, rows, kc, packed.Block(ic, pc * K.KC) + (row - ic) * kc);
                        s += (rows + K.MR - 1) / K.MR;
                    }
            }
            if (parts == 1) Part(0);
            else ParallelFor.Run(parts, Part);
        }
        return packed;
    }

    /// <summary>The packed (MC panel starting at row ic, KC block starting at column pc).</summary>
    internal T* Block(int ic, int pc)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        int mc = Math.Min(_mcStep, M - ic);
        return _base + (nint)ic * K + (nint)((mc + _mr - 1) / _mr * _mr) * pc;
    }

    internal int McStep => _mcStep;

    public void Dispose()
    {
        if (_buffer is { } b) { _buffer = null; Pool.Return(b); }
    }

    /// <summary>Pinned arrays kept for the next call (a training step packs the same sizes every time; a Winograd
    /// convolution packs 16 matrices per pass, so 8 kept arrays made vgg11-train allocate ~16 MB of pinned memory per
    /// layer and step: 48 took its peak from 1,028 to 839 MiB and its speed from 197–210 to 224 images/s).</summary>
    private static class Pool
    {
        private const int Keep = 48;
        private static readonly List<T[]> Free = [];

        public static T[] Rent(int size)
        {
            lock (Free)
            {
                int best = -1;
                for (int i = 0; i < Free.Count; i++)
                    if (Free[i].Length >= size && (best < 0 || Free[i].Length < Free[best].Length)) best = i;
                if (best >= 0) { var b = Free[best]; Free.RemoveAt(best); return b; }
            }
            return GC.AllocateUninitializedArray<T>(size, pinned: true);
        }

        public static void Return(T[] buffer)
        {
            lock (Free)
            {
                if (Free.Count < Keep) { Free.Add(buffer); return; }
                int smallest = 0;
                for (int i = 1; i < Free.Count; i++) if (Free[i].Length < Free[smallest].Length) smallest = i;
                if (Free[smallest].Length < buffer.Length) Free[smallest] = buffer;
            }
        }
    }
}
