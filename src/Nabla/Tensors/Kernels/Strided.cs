namespace Nabla.Tensors.Kernels;

/// <summary>Loops over strided n-d layouts: gather into contiguous memory, scatter, fill. The innermost dim runs
/// as a tight loop (a block copy when its stride is 1); outer dims advance like an odometer.</summary>
internal static class Strided
{
    /// <summary>dst[i] = src[offset + Σ idx_d·strides_d] in row-major order of <paramref name="shape"/>.</summary>
    public static void Copy<T>(T[] src, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> dst)
    {
        int rank = shape.Length;
        int n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        if (rank == 0) { dst[0] = src[offset]; return; }
        int inner = shape[rank - 1], si = strides[rank - 1];
        Span<int> idx = stackalloc int[rank];
        int o = offset;
        for (int pos = 0; pos < n; pos += inner)
        {
            if (si == 1) src.AsSpan(o, inner).CopyTo(dst.Slice(pos, inner));
            else for (int j = 0, p = o; j < inner; j++, p += si) dst[pos + j] = src[p];
            for (int d = rank - 2; d >= 0; d--)
            {
                o += strides[d];
                if (++idx[d] < shape[d]) break;
                o -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>Strided-to-strided copy of a tensor of <paramref name="shape"/>.</summary>
    public static void CopyStrided<T>(T[] src, int srcOffset, ReadOnlySpan<int> srcStrides, T[] dst, int dstOffset, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> shape)
    {
        int rank = shape.Length;
        int n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        if (rank == 0) { dst[dstOffset] = src[srcOffset]; return; }
        int inner = shape[rank - 1], ss = srcStrides[rank - 1], ds = dstStrides[rank - 1];
        Span<int> idx = stackalloc int[rank];
        int so = srcOffset, dO = dstOffset;
        for (int pos = 0; pos < n; pos += inner)
        {
            if (ss == 1 && ds == 1) src.AsSpan(so, inner).CopyTo(dst.AsSpan(dO, inner));
            else for (int j = 0; j < inner; j++) dst[dO + j * ds] = src[so + j * ss];
            for (int d = rank - 2; d >= 0; d--)
            {
                so += srcStrides[d]; dO += dstStrides[d];
                if (++idx[d] < shape[d]) break;
                so -= srcStrides[d] * shape[d]; dO -= dstStrides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    public static void Fill<T>(T[] dst, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, T value)
    {
        int rank = shape.Length;
        int n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        if (rank == 0) { dst[offset] = value; return; }
        int inner = shape[rank - 1], si = strides[rank - 1];
        Span<int> idx = stackalloc int[rank];
        int o = offset;
        for (int pos = 0; pos < n; pos += inner)
        {
            if (si == 1) dst.AsSpan(o, inner).Fill(value);
            else for (int j = 0; j < inner; j++) dst[o + j * si] = value;
            for (int d = rank - 2; d >= 0; d--)
            {
                o += strides[d];
                if (++idx[d] < shape[d]) break;
                o -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }
}
