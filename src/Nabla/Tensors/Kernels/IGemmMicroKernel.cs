using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// A GEMM register-blocked micro-kernel (BLIS terminology): C[MR×NR] = alpha·Ã·B̃ + beta·C for one packed
/// MR×kc sliver of A (column p at a + p·MR) and one packed kc×NR sliver of B (row p at b + p·NR), with the whole
/// MR×NR tile of C held in registers across the kc loop. beta = 0 means C is written without being read.
/// The cache-block sizes that suit the kernel travel with it (for <see cref="GemmDriver"/>'s loop order): an MR×KC
/// sliver of packed A stays in L1, a KC×NC block of packed B in L2, an MC×KC panel of packed A in L3.
/// </summary>
internal unsafe interface IGemmMicroKernel<T> where T : unmanaged, INumber<T>
{
    static abstract bool IsSupported { get; }
    static abstract int MR { get; }
    static abstract int NR { get; }
    static abstract int MC { get; }
    static abstract int KC { get; }
    static abstract int NC { get; }

    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta);

    /// <summary>Like <see cref="Run"/> for the first <paramref name="rows"/> &lt; MR rows only (a short last sliver,
    /// still packed with stride MR), writing just those rows of C; false when the kernel has no such variant.</summary>
    static abstract bool RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta);
}
