namespace Nabla.Tests.Tensors;

/// <summary>C# numbers in tensor arithmetic: the operators, the implicit conversion to a 0-d "wrapped number" tensor,
/// and PyTorch's weak-dtype rule (float32 x times the double 2 stays float32). Values by hand.</summary>
public class ScalarConversionTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Arithmetic_with_numbers_keeps_the_tensor_dtype(DType dtype)
    {
        var x = Tensor.FromArray([1.0, -2.0, 4.0]).To(dtype);
        (Tensor y, double[] expected)[] cases =
        [
            (x * 2, [2, -4, 8]),
            (2 * x, [2, -4, 8]),
            (1 - x, [0, 3, -3]),
            (x - 1, [0, -3, 3]),
            (x + 0.5f, [1.5, -1.5, 4.5]),
            (0.5f + x, [1.5, -1.5, 4.5]),
            (x / 4, [0.25, -0.5, 1]),
            (8.0 / x, [8, -4, 2]),
            (x * (Tensor)3, [3, -6, 12]),             // the explicit wrapped-number route: a Tensor operand
            (Tensor.Maximum(x, 0), [1, 0, 4]),        // an int where a Tensor parameter is expected
            (Tensor.Minimum(0.5, x), [0.5, -2, 0.5]), // a double, first
            (Tensor.Maximum(x, 1.5f), [1.5, 1.5, 4]),
            (Tensor.Where(x.Gt(0), x, 0), [1, 0, 4]),
        ];
        foreach (var (y, expected) in cases)
        {
            Assert.Equal(dtype, y.DType);
            Assert.Equal(expected, y.ToDoubleArray());
        }
    }

    [Fact]
    public void A_number_converts_to_a_0d_tensor_of_its_own_type()
    {
        Tensor d = 2.5, f = 2.5f, i = 3;
        Assert.Equal((DType.Float64, 0, 2.5), (d.DType, d.Rank, d.Item()));
        Assert.Equal((DType.Float32, 0, 2.5), (f.DType, f.Rank, f.Item()));
        Assert.Equal((DType.Int32, 0, 3.0), (i.DType, i.Rank, i.Item()));
        Assert.False(d.RequiresGrad);
    }

    [Fact]
    public void A_0d_tensor_takes_the_dtype_of_a_tensor_with_dims_but_a_wrapped_number_yields_to_both()
    {
        var x = Tensor.FromArray([1f, 2f]);                                 // float32 [2]
        var twoD = Tensor.Scalar(2.0, DType.Float64);                       // 0-d float64 constant
        var y = Tensor.Maximum(x, twoD);
        Assert.Equal(DType.Float32, y.DType);                               // torch.maximum(x, tensor(2., float64)): float32
        Assert.Equal([2f, 2f], y.ToArray<float>());

        var loss = Tensor.Scalar(-3.0, DType.Float32);                      // 0-d float32
        var clipped = Tensor.Maximum(loss, 0.0);                            // a wrapped double yields to the 0-d tensor
        Assert.Equal((DType.Float32, 0.0), (clipped.DType, clipped.Item()));

        // Mismatched tensors with dims are still an error, and so is a 0-d one that requires grad (its gradient
        // would come back in the other dtype).
        Assert.Throws<DTypeMismatchException>(() => x + Tensor.FromArray([1.0, 2.0]));
        Assert.Throws<DTypeMismatchException>(() => x * Tensor.Scalar(2.0, DType.Float64).RequiresGrad_());
    }

    [Fact]
    public void Gradients_through_a_wrapped_number_keep_the_dtype()
    {
        var x = Tensor.FromArray([1f, -2f, 3f]).RequiresGrad_();
        (x * (Tensor)3.0 + Tensor.Maximum(x, 0)).Sum().Backward();          // ∂/∂x = 3 + 1[x > 0]
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal([4f, 3f, 4f], x.Grad.ToArray<float>());

        var loss = Tensor.Scalar(2.0, DType.Float32).RequiresGrad_();
        Tensor.Maximum(loss * loss, 1.0).Backward();                        // 0-d and a wrapped double: 2·loss
        Assert.Equal(4.0, loss.Grad!.Item());

        // Both sides of each kink are hit (normal samples); none lies within the finite-difference step of one.
        TestUtil.AssertGrad(t => Tensor.Maximum(t[0], 0) * (1 - t[1]) + Tensor.Minimum(0.25, t[1]),
            TestUtil.RandD(9, 2, 3), TestUtil.RandD(10, 2, 3));
    }
}
