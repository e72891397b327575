using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Y = A·B for matrices [M,K]·[K,N], batches [B,M,K]·[B,K,N], and a batch against one matrix [B,M,K]·[K,N].
/// ∂L/∂A = ∂L/∂Y·Bᵀ, ∂L/∂B = Aᵀ·∂L/∂Y (summed over the batch when B was shared).
/// </summary>
/// <remarks>Transposed views are passed to the GEMM kernel as transposed operands, never copied.</remarks>
internal sealed class MatMulOp : Node
{
    private Tensor _a = null!, _b = null!;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _a : null, NeedsGrad(0) ? _b : null];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        Dispatch.SameDType("MatMul", a, b);
        Dispatch.Floating("MatMul", a);
        if (a.Rank == 1) return Forward(a.Reshape(1, -1), b).Reshape(b.Rank == 1 ? [] : Drop(b.Rank, b.Shape, -2));
        if (b.Rank == 1) return Forward(a, b.Reshape(-1, 1)).Reshape(Drop(a.Rank, a.Shape, -1));
        Tensor y;   // uninitialised: every GEMM overwrites its block (beta = 0)
        if (a.Rank == 2 && b.Rank == 2)
        {
            Check(a, b, a.Size(1) == b.Size(0));
            y = OpBuffers.Uninitialized([a.Size(0), b.Size(1)], a.DType);
            MatMulInto(a, b, y, 0);
        }
        else if (a.Rank == 3 && b.Rank == 2)
        {
            Check(a, b, a.Size(2) == b.Size(0));
            y = OpBuffers.Uninitialized([a.Size(0), a.Size(1), b.Size(1)], a.DType);
            for (int i = 0; i < a.Size(0); i++) MatMulInto(Matrix(a, i), b, y, i * a.Size(1) * b.Size(1));
        }
        else if (a.Rank == 3 && b.Rank == 3)
        {
            Check(a, b, a.Size(0) == b.Size(0) && a.Size(2) == b.Size(1));
            y = OpBuffers.Uninitialized([a.Size(0), a.Size(1), b.Size(2)], a.DType);
            for (int i = 0; i < a.Size(0); i++) MatMulInto(Matrix(a, i), Matrix(b, i), y, i * a.Size(1) * b.Size(2));
        }
        else throw ShapeMismatchException.For("MatMul", "supports ranks (1|2|3)·(1|2) and 3·3", a.Shape.ToArray(), b.Shape.ToArray());
        return new MatMulOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        Tensor? ga = NeedsGrad(0) ? gradOutput.MatMul(_b.MT) : null;
        Tensor? gb = null;
        if (NeedsGrad(1))
            gb = _a.Rank == 3 && _b.Rank == 2
                ? _a.Reshape(-1, _a.Size(2)).T.MatMul(gradOutput.Reshape(-1, gradOutput.Size(2)))
                : _a.MT.MatMul(gradOutput);
        return [ga, gb];
    }

    private static int[] Drop(int rank, ReadOnlySpan<int> shape, int dim)
    {
        var s = shape.ToArray().ToList();
        s.RemoveAt(dim + rank);
        return s.ToArray();
    }

    private static void Check(Tensor a, Tensor b, bool ok)
    {
        if (!ok) throw ShapeMismatchException.For("MatMul", "inner dimensions differ", a.Shape.ToArray(), b.Shape.ToArray());
    }

    /// <summary>Matrix i of a batch, as a view.</summary>
    private static Tensor Matrix(Tensor t, int i) =>
        t.AsStrided([t.Size(1), t.Size(2)], [t.Strides[1], t.Strides[2]], t.Offset + i * t.Strides[0]);

    /// <summary>How GEMM reads a 2-D view: (transposed?, leading dimension), or null when it needs a copy.</summary>
    private static (bool Trans, int Ld)? Layout(Tensor m)
    {
        int rows = m.Shape[0], cols = m.Shape[1];
        // A leading dimension below the row length (a stride-0 Expand) would make GEMM read past the data: copy.
        if ((m.Strides[1] == 1 || cols == 1) && (rows == 1 || m.Strides[0] >= cols)) return (false, Math.Max(m.Strides[0], Math.Max(cols, 1)));
        if ((m.Strides[0] == 1 || rows == 1) && (cols == 1 || m.Strides[1] >= rows)) return (true, Math.Max(m.Strides[1], Math.Max(rows, 1)));
        return null;
    }

    /// <summary>y[yOffset..] (a contiguous M×N block) = a·b for 2-D views a, b.</summary>
    internal static void MatMulInto(Tensor a, Tensor b, Tensor y, int yOffset)
    {
        if (Layout(a) is not { } la) { a = a.ContiguousRaw(); la = (false, a.Shape[1]); }
        if (Layout(b) is not { } lb) { b = b.ContiguousRaw(); lb = (false, b.Shape[1]); }
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        if (m == 0 || n == 0) return;
        if (a.DType == DType.Float32)
        {
            var aa = a.Storage<float>().AsSpan(a.Offset);
            var bb = b.Storage<float>().AsSpan(b.Offset);
            Gemm.Sgemm(la.Trans, lb.Trans, m, n, k, 1f, aa, la.Ld, bb, lb.Ld, 0f, y.Storage<float>().AsSpan(yOffset, m * n), n);
        }
        else
        {
            var aa = a.Storage<double>().AsSpan(a.Offset);
            var bb = b.Storage<double>().AsSpan(b.Offset);
            Gemm.Dgemm(la.Trans, lb.Trans, m, n, k, 1.0, aa, la.Ld, bb, lb.Ld, 0.0, y.Storage<double>().AsSpan(yOffset, m * n), n);
        }
    }
}

public static partial class TensorOps
{
    extension(Tensor a)
    {
        /// <summary>Matrix product (see <see cref="MatMulOp"/> for the supported ranks). ∂L/∂a = g·bᵀ, ∂L/∂b = aᵀ·g for the upstream gradient g (batched dims summed back when broadcast).</summary>
        public Tensor MatMul(Tensor b) => MatMulOp.Forward(a, b);
    }
}
