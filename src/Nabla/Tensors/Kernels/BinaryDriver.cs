namespace Nabla.Tensors.Kernels;

/// <summary>
/// Runs an <see cref="IBinaryOperator{T}"/> over two strided (possibly broadcast, stride-0) operands into a
/// contiguous destination. Adjacent dims that are contiguous for all three are merged first, so the innermost
/// run is as long as possible and takes the span∘span or span∘scalar vector form.
/// </summary>
internal static class BinaryDriver
{
    public static void Run<T, TOp>(T[] a, int aOffset, ReadOnlySpan<int> aStrides, T[] b, int bOffset, ReadOnlySpan<int> bStrides, Span<T> dst, ReadOnlySpan<int> shape)
        where TOp : IBinaryOperator<T>
    {
        int n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        // Coalesce dims (dst is contiguous).
        Span<int> sh = stackalloc int[Math.Max(shape.Length, 1)];
        Span<int> sa = stackalloc int[sh.Length];
        Span<int> sb = stackalloc int[sh.Length];
        int r = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (r > 0 && sa[r - 1] == aStrides[d] * shape[d] && sb[r - 1] == bStrides[d] * shape[d])
            {
                sh[r - 1] *= shape[d]; sa[r - 1] = aStrides[d]; sb[r - 1] = bStrides[d];
            }
            else { sh[r] = shape[d]; sa[r] = aStrides[d]; sb[r] = bStrides[d]; r++; }
        }
        if (r == 0) { sh[0] = 1; sa[0] = 0; sb[0] = 0; r = 1; }

        int inner = sh[r - 1], ia = sa[r - 1], ib = sb[r - 1];
        Span<int> idx = stackalloc int[r];
        int oa = aOffset, ob = bOffset;
        for (int pos = 0; pos < n; pos += inner)
        {
            var d = dst.Slice(pos, inner);
            if (ia == 1 && ib == 1) TOp.Invoke(a.AsSpan(oa, inner), b.AsSpan(ob, inner), d);
            else if (ia == 1 && ib == 0) TOp.Invoke(a.AsSpan(oa, inner), b[ob], d);
            else if (ia == 0 && ib == 1) TOp.Invoke(a[oa], b.AsSpan(ob, inner), d);
            else for (int j = 0; j < inner; j++) d[j] = TOp.Invoke(a[oa + j * ia], b[ob + j * ib]);
            for (int k = r - 2; k >= 0; k--)
            {
                oa += sa[k]; ob += sb[k];
                if (++idx[k] < sh[k]) break;
                oa -= sa[k] * sh[k]; ob -= sb[k] * sh[k];
                idx[k] = 0;
            }
        }
    }
}
