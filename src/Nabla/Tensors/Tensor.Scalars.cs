namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>A C# <see cref="double"/> as a 0-d float64 tensor, so a number goes where a tensor is expected
    /// (<c>Tensor.Maximum(x, 0.0)</c>, <c>x[.., 0] = 1.5</c>). Like a PyTorch "wrapped number" it is weak: in an
    /// element-wise op with a tensor it takes that tensor's dtype (float32 x stays float32).</summary>
    public static implicit operator Tensor(double value) => new(new[] { value }, []) { IsWrappedNumber = true };

    /// <summary>A C# <see cref="float"/> as a 0-d float32 tensor; weak like <see cref="implicit operator Tensor(double)"/>.</summary>
    public static implicit operator Tensor(float value) => new(new[] { value }, []) { IsWrappedNumber = true };

    /// <summary>A C# <see cref="int"/> as a 0-d int32 tensor; weak like <see cref="implicit operator Tensor(double)"/>: with a
    /// floating tensor it takes that tensor's dtype (<c>Tensor.Maximum(x, 0)</c>).</summary>
    public static implicit operator Tensor(int value) => new(new[] { value }, []) { IsWrappedNumber = true };

    /// <summary>Made by an implicit conversion from a C# number (PyTorch's <c>is_wrapped_number</c>).</summary>
    internal bool IsWrappedNumber { get; private init; }

    /// <summary>
    /// PyTorch's rule for operands of different dtypes in an element-wise op, by strength: a wrapped number &lt; a
    /// 0-d tensor &lt; a tensor with dims. The weaker operand takes the stronger one's floating dtype when it does not
    /// require grad (its gradient would have the wrong dtype) and it is a wrapped number or floating itself; otherwise
    /// both come back unchanged and the op's dtype check reports the mismatch.
    /// </summary>
    internal static (Tensor A, Tensor B) PromoteWeak(Tensor a, Tensor b)
    {
        if (a.DType == b.DType) return (a, b);
        int sa = Strength(a), sb = Strength(b);
        if (sa < sb && CanAdopt(a, b)) return (a.ToDTypeRaw(b.DType), b);
        if (sb < sa && CanAdopt(b, a)) return (a, b.ToDTypeRaw(a.DType));
        return (a, b);

        static int Strength(Tensor t) => t.IsWrappedNumber ? 0 : t.Rank == 0 ? 1 : 2;
        static bool CanAdopt(Tensor weak, Tensor strong) =>
            !weak.RequiresGrad && strong.DType.IsFloatingPoint() && (weak.IsWrappedNumber || weak.DType.IsFloatingPoint());
    }
}
