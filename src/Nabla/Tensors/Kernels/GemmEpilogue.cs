using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// What <see cref="GemmDriver"/> does to each row of C once its last K block is done: C[i, j] += bias[j], then
/// C = max(C, 0) when <see cref="Relu"/>. Applied to one MR-row strip of a block right after its tiles are written,
/// while the strip is still in L1, instead of a bias copy into C before the product and a ReLU pass over C after it
/// (two extra trips through memory for every Linear layer of an inference batch).
/// </summary>
internal readonly unsafe struct GemmEpilogue<T> where T : unmanaged, INumber<T>
{
    /// <summary>The bias of column 0 of the C this epilogue is given (null: no bias).</summary>
    public readonly T* Bias;
    /// <summary>Rectify after the bias.</summary>
    public readonly bool Relu;

    public GemmEpilogue(T* bias, bool relu) { Bias = bias; Relu = relu; }

    /// <summary>Nothing to do: the plain product.</summary>
    public static GemmEpilogue<T> None => default;

    public bool IsActive => Bias != null || Relu;

    /// <summary>The same epilogue for C's columns from <paramref name="column"/> on.</summary>
    public GemmEpilogue<T> From(int column) => new(Bias == null ? null : Bias + column, Relu);

    /// <summary>Rows × cols of C (row stride ldc) after their last K block.</summary>
    public void Apply(T* c, nint ldc, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = new Span<T>(c + r * ldc, cols);
            if (Bias != null) TensorPrimitives.Add<T>(row, new ReadOnlySpan<T>(Bias, cols), row);
            if (!Relu) continue;
            // The operator ReluOp uses, so a fused Linear + ReLU gives exactly the values of the two layers apart.
            if (typeof(T) == typeof(float)) new ReluOperator<float>().Invoke(MemoryMarshal.Cast<T, float>(row), MemoryMarshal.Cast<T, float>(row));
            else if (typeof(T) == typeof(double)) new ReluOperator<double>().Invoke(MemoryMarshal.Cast<T, double>(row), MemoryMarshal.Cast<T, double>(row));
            else foreach (ref var v in row) v = T.Max(v, T.Zero);
        }
    }
}
