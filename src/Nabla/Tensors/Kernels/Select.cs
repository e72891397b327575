using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>Ternary selection over three strided (possibly broadcast, stride-0) operands into a contiguous
/// destination: dst = c ≠ 0 ? a : b. Outer dims advance like an odometer; the innermost dim is a tight loop.</summary>
internal static class Select
{
    public static void Where<TC, T>(
        TC[] c, int cOffset, ReadOnlySpan<int> cStrides,
        T[] a, int aOffset, ReadOnlySpan<int> aStrides,
        T[] b, int bOffset, ReadOnlySpan<int> bStrides,
        Span<T> dst, ReadOnlySpan<int> shape) where TC : INumberBase<TC>
    {
        int rank = shape.Length, n = ShapeUtil.Numel(shape);
        if (n == 0) return;
        if (rank == 0) { dst[0] = c[cOffset] != TC.Zero ? a[aOffset] : b[bOffset]; return; }
        int inner = shape[rank - 1], ic = cStrides[rank - 1], ia = aStrides[rank - 1], ib = bStrides[rank - 1];
        Span<int> idx = stackalloc int[rank];
        int oc = cOffset, oa = aOffset, ob = bOffset;
        for (int pos = 0; pos < n; pos += inner)
        {
            var d = dst.Slice(pos, inner);
            for (int j = 0; j < inner; j++)
                d[j] = c[oc + j * ic] != TC.Zero ? a[oa + j * ia] : b[ob + j * ib];
            for (int k = rank - 2; k >= 0; k--)
            {
                oc += cStrides[k]; oa += aStrides[k]; ob += bStrides[k];
                if (++idx[k] < shape[k]) break;
                oc -= cStrides[k] * shape[k]; oa -= aStrides[k] * shape[k]; ob -= bStrides[k] * shape[k];
                idx[k] = 0;
            }
        }
    }
}
