namespace Nabla.Tensors.Kernels;

/// <summary>
/// Runs an <see cref="IUnaryOperator{T}"/> over a strided source into a contiguous destination. Dims that are
/// contiguous in the source are merged first; each innermost run then takes the span form directly (stride 1) or is
/// gathered into its slot of the destination and transformed there in place (any other stride), so transposed
/// inputs still get the vector kernels.
/// </summary>
internal static class UnaryDriver
{
    public static void Run<T, TOp>(TOp op, T[] x, int offset, ReadOnlySpan<int> strides, Span<T> dst, ReadOnlySpan<int> shape)
        where TOp : struct, IUnaryOperator<T>
    {
        int n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        Span<int> sh = stackalloc int[Math.Max(shape.Length, 1)];
        Span<int> st = stackalloc int[sh.Length];
        int r = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (r > 0 && st[r - 1] == strides[d] * shape[d]) { sh[r - 1] *= shape[d]; st[r - 1] = strides[d]; }
            else { sh[r] = shape[d]; st[r] = strides[d]; r++; }
        }
        if (r == 0) { sh[0] = 1; st[0] = 1; r = 1; }

        int inner = sh[r - 1], si = st[r - 1];
        Span<int> idx = stackalloc int[r];
        int o = offset;
        for (int pos = 0; pos < n; pos += inner)
        {
            var d = dst.Slice(pos, inner);
            if (si == 1) op.Invoke(x.AsSpan(o, inner), d);
            else
            {
                for (int j = 0, p = o; j < inner; j++, p += si) d[j] = x[p];
                op.Invoke(d, d);
            }
            for (int k = r - 2; k >= 0; k--)
            {
                o += st[k];
                if (++idx[k] < sh[k]) break;
                o -= st[k] * sh[k];
                idx[k] = 0;
            }
        }
    }
}
