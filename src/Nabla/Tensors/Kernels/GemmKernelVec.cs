using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors.Kernels;

/// <summary>The height MR of a GEMM register tile, as a type so the JIT compiles one tile body per height with the
/// unused rows removed (<see cref="GemmKernelVec{T, TV, TRows}"/>).</summary>
internal interface ITileRows { static abstract int Value { get; } }
internal readonly struct Rows4 : ITileRows { public static int Value => 4; }
internal readonly struct Rows6 : ITileRows { public static int Value => 6; }
internal readonly struct Rows8 : ITileRows { public static int Value => 8; }
internal readonly struct Rows12 : ITileRows { public static int Value => 12; }

/// <summary>
/// The GEMM micro-kernel (BLIS terminology), written once for every vector width: an MR × 2 vector tile of C held
/// in registers over the kc loop, for TV = <see cref="V512{T}"/>, <see cref="V256{T}"/> or <see cref="V128{T}"/>
/// (the JIT compiles one copy per width and height; rows beyond MR are dead code it removes).
/// </summary>
/// <remarks>
/// The height is the register budget: 2·MR accumulators + 2 B vectors + 1 broadcast must fit the register file, so
/// MR = 12 where there are 32 vector registers (AVX-512: 27 of 32 zmm; ARM64 NEON) and MR = 6 where there are 16
/// (AVX2, SSE: 15 of 16). Per k step: 2 loads of B, MR broadcasts of A, 2·MR FMAs — at MR = 12 the FMA pipes, not
/// the load ports, are the limit. A short last sliver of A (m not a multiple of MR) runs the 8- or 4-row body on the
/// same packed sliver (stride MR) instead of a padded tile: m = 64 is five 12-row slivers and one 4-row one.
/// It replaced hand-written Vector512 (12-row) and Vector256 (6-row) tiles at equal speed, measured on Zen 4
/// (`nabla bench sgemm-1024,sgemm-2048 --threads 1`, old and new binaries alternated, 4 rounds, medians):
/// 1024: 103.4 vs 104.5 GFLOP/s, 2048: 105.7 vs 104.2 — within the ±2 % the machine varies; the AVX2 tile
/// (DOTNET_EnableAVX512F=0) 103.8 vs 100.6. The JIT gives this body one register move per row that the
/// hand-written one did not have (the odd accumulator is computed into the broadcast register, then moved;
/// a move costs no execution port on Zen 4, and the FMA pipes, at 24 per k step, are the limit).
/// </remarks>
internal unsafe struct GemmKernelVec<T, TV, TRows> : IGemmMicroKernel<T>
    where T : unmanaged, INumber<T> where TV : struct, IVec<TV, T> where TRows : struct, ITileRows
{
    /// <summary>The width runs natively and has a fused multiply–add (x86 FMA3 or ARM64 AdvSIMD); a 12-row tile also
    /// needs 32 vector registers.</summary>
    public static bool IsSupported =>
        TV.IsSupported && (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        && (TRows.Value <= 6 || Avx512F.IsSupported || AdvSimd.Arm64.IsSupported);

    public static int MR => TRows.Value;
    public static int NR => 2 * TV.Count;
    // For GemmDriver's loop order (A sliver in L1, B block in L2, A panel in L3). 12-row tile, sized for Zen 4/5
    // (32/48 KiB L1, 1 MiB L2 per core): MR·KC·sizeof(T) = 24 KiB sliver of A in L1, KC·NC = 512 KiB block of B (at
    // NR = 32 floats) in L2, MC·KC = 4 MiB panel of A in L3. NC = 256 rather than 384 (a 768 KiB block): on Zen 5,
    // 2 threads, +1.7 % at 1024 and +1.4 % at 2048 (medians of 7 and 4 alternated runs, 2026-12-07; KC = 384 was
    // 1 % slower than 512). 6-row tile (Haswell-class): a 6 KiB sliver of A, a 512 KiB block of B, a 1 MiB panel of A
    // (twice each for double).
    public static int KC => MR == 12 && sizeof(T) == 4 ? 512 : 256;
    public static int MC => MR == 12 && sizeof(T) == 4 ? 2040 : 1020;
    public static int NC => MR == 12 ? 256 : sizeof(T) == 4 ? 512 : 256;

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta) => Tile<TRows>(MR, kc, a, b, c, ldc, alpha, beta);

    public static bool RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        if (MR != 12) return false;
        if (rows <= 4) Tile<Rows4>(rows, kc, a, b, c, ldc, alpha, beta);
        else if (rows <= 8) Tile<Rows8>(rows, kc, a, b, c, ldc, alpha, beta);
        else return false;
        return true;
    }

    /// <summary>Rows 0..rows-1 (rows ≤ R) of C = alpha·Ã·B̃ + beta·C from an A sliver packed with stride MR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<R>(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta) where R : struct, ITileRows
    {
        int h = R.Value, mr = MR;
        nuint w = (nuint)TV.Count;
        TV c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero, c20 = TV.Zero, c21 = TV.Zero,
            c30 = TV.Zero, c31 = TV.Zero, c40 = TV.Zero, c41 = TV.Zero, c50 = TV.Zero, c51 = TV.Zero,
            c60 = TV.Zero, c61 = TV.Zero, c70 = TV.Zero, c71 = TV.Zero, c80 = TV.Zero, c81 = TV.Zero,
            c90 = TV.Zero, c91 = TV.Zero, cA0 = TV.Zero, cA1 = TV.Zero, cB0 = TV.Zero, cB1 = TV.Zero;
        PrefetchTile(c, ldc, rows, NR * sizeof(T));
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TV.Load(ref *b, 0), b1 = TV.Load(ref *b, w);
            Row(a[0], b0, b1, ref c00, ref c01);
            if (h > 1) { Row(a[1], b0, b1, ref c10, ref c11); }
            if (h > 2) { Row(a[2], b0, b1, ref c20, ref c21); }
            if (h > 3) { Row(a[3], b0, b1, ref c30, ref c31); }
            if (h > 4) { Row(a[4], b0, b1, ref c40, ref c41); }
            if (h > 5) { Row(a[5], b0, b1, ref c50, ref c51); }
            if (h > 6) { Row(a[6], b0, b1, ref c60, ref c61); }
            if (h > 7) { Row(a[7], b0, b1, ref c70, ref c71); }
            if (h > 8) { Row(a[8], b0, b1, ref c80, ref c81); }
            if (h > 9) { Row(a[9], b0, b1, ref c90, ref c91); }
            if (h > 10) { Row(a[10], b0, b1, ref cA0, ref cA1); }
            if (h > 11) { Row(a[11], b0, b1, ref cB0, ref cB1); }
            a += mr;
            b += 2 * TV.Count;
        }
        TV va = TV.Create(alpha), vb = TV.Create(beta);
        bool readC = beta != T.Zero;
        StoreRow(c, c00, c01, va, vb, readC);
        if (rows > 1) StoreRow(c + 1 * ldc, c10, c11, va, vb, readC);
        if (rows > 2) StoreRow(c + 2 * ldc, c20, c21, va, vb, readC);
        if (rows > 3) StoreRow(c + 3 * ldc, c30, c31, va, vb, readC);
        if (h > 4 && rows > 4) StoreRow(c + 4 * ldc, c40, c41, va, vb, readC);
        if (h > 5 && rows > 5) StoreRow(c + 5 * ldc, c50, c51, va, vb, readC);
        if (h > 6 && rows > 6) StoreRow(c + 6 * ldc, c60, c61, va, vb, readC);
        if (h > 7 && rows > 7) StoreRow(c + 7 * ldc, c70, c71, va, vb, readC);
        if (h > 8 && rows > 8) StoreRow(c + 8 * ldc, c80, c81, va, vb, readC);
        if (h > 9 && rows > 9) StoreRow(c + 9 * ldc, c90, c91, va, vb, readC);
        if (h > 10 && rows > 10) StoreRow(c + 10 * ldc, cA0, cA1, va, vb, readC);
        if (h > 11 && rows > 11) StoreRow(c + 11 * ldc, cB0, cB1, va, vb, readC);
    }

    /// <summary>One row of the tile, one k step: (c0, c1) += a·(b0, b1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(T a, TV b0, TV b1, ref TV c0, ref TV c1)
    {
        TV x = TV.Create(a);
        c0 = TV.FusedMultiplyAdd(x, b0, c0);
        c1 = TV.FusedMultiplyAdd(x, b1, c1);
    }

    /// <summary>c[0 .. 2W) = alpha·(x0, x1) + beta·c (c read only when <paramref name="readC"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, TV x0, TV x1, TV alpha, TV beta, bool readC)
    {
        nuint w = (nuint)TV.Count;
        x0 *= alpha; x1 *= alpha;
        if (readC)
        {
            x0 = TV.FusedMultiplyAdd(TV.Load(ref *c, 0), beta, x0);
            x1 = TV.FusedMultiplyAdd(TV.Load(ref *c, w), beta, x1);
        }
        x0.Store(ref *c, 0);
        x1.Store(ref *c, w);
    }

    /// <summary>Touches the C tile (rows × rowBytes) so its lines arrive while the k loop runs, not at the stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(T* c, nint ldc, int rows, int rowBytes)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            byte* row = (byte*)(c + r * ldc);
            for (int o = 0; o < rowBytes; o += 64) Sse.Prefetch0(row + o);
            Sse.Prefetch0(row + rowBytes - 1);
        }
    }
}
