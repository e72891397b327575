namespace Nabla.Tests.Ops.Elementwise;

/// <summary>Pow (tensor exponent), Maximum/Minimum, Where and the comparisons.</summary>
public class BinaryElementwiseTests
{
    [Fact]
    public void Pow_tensor_exponent_broadcasts_and_gradchecks()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var b = Tensor.FromArray([2.0, 0.5, -1.0]);
        TestUtil.AssertClose([1, Math.Sqrt(2), 1 / 3.0, 16, Math.Sqrt(5), 1 / 6.0], a.Pow(b), 1e-15);
        TestUtil.AssertGrad(t => t[0].Pow(t[1]), TestUtil.UniformD(1, 0.3, 2, 3, 4), TestUtil.RandD(2, 4));
        TestUtil.AssertGrad(t => t[0].Pow(t[1]), TestUtil.UniformD(3, 0.3, 2, 3, 1), TestUtil.RandD(4, 2, 1, 5));
    }

    [Fact]
    public void Pow_at_zero_base_or_exponent_follows_pytorch()
    {
        // PyTorch: a = [0, 0, 2], b = [2, 0, 3]: a**b = [0, 1, 8], grad a = [0, 0, 12], grad b = [0, 0, 8 ln 2].
        var a = Tensor.FromArray([0.0, 0.0, 2.0]).RequiresGrad_();
        var b = Tensor.FromArray([2.0, 0.0, 3.0]).RequiresGrad_();
        var y = a.Pow(b);
        y.Sum().Backward();
        Assert.Equal([0.0, 1.0, 8.0], y.ToArray<double>());
        Assert.Equal([0.0, 0.0, 12.0], a.Grad!.ToArray<double>());
        TestUtil.AssertClose([0.0, 0.0, 5.545177444479562], b.Grad!, 1e-15);
    }

    [Fact]
    public void Maximum_and_minimum_broadcast_and_propagate_nan()
    {
        var a = Tensor.FromArray([1f, 5f, -2f, 0f, 7f, 3f], 2, 3);
        var b = Tensor.FromArray([2f, 4f, float.NaN]);
        Assert.Equal([2f, 5f, float.NaN, 2f, 7f, float.NaN], Tensor.Maximum(a, b).ToArray<float>());
        Assert.Equal([1f, 4f, float.NaN, 0f, 4f, float.NaN], Tensor.Minimum(a, b).ToArray<float>());
    }

    [Fact]
    public void Maximum_splits_the_gradient_on_ties_like_pytorch()
    {
        // PyTorch: maximum([1, 2, 3, 3], [2, 2, 1, 5]).sum().backward() → grad a [0, .5, 1, 0], grad b [1, .5, 0, 1].
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 3.0]).RequiresGrad_();
        var b = Tensor.FromArray([2.0, 2.0, 1.0, 5.0]).RequiresGrad_();
        Tensor.Maximum(a, b).Sum().Backward();
        Assert.Equal([0.0, 0.5, 1.0, 0.0], a.Grad!.ToArray<double>());
        Assert.Equal([1.0, 0.5, 0.0, 1.0], b.Grad!.ToArray<double>());
        a.Grad = null; b.Grad = null;
        Tensor.Minimum(a, b).Sum().Backward();
        Assert.Equal([1.0, 0.5, 0.0, 1.0], a.Grad!.ToArray<double>());
        Assert.Equal([0.0, 0.5, 1.0, 0.0], b.Grad!.ToArray<double>());
    }

    [Fact]
    public void Maximum_and_minimum_gradcheck_with_broadcasting()
    {
        TestUtil.AssertGrad(t => Tensor.Maximum(t[0], t[1]), TestUtil.RandD(5, 3, 4), TestUtil.RandD(6, 4));
        TestUtil.AssertGrad(t => Tensor.Minimum(t[0], t[1]), TestUtil.RandD(7, 3, 1), TestUtil.RandD(8, 2, 1, 4));
    }

    [Fact]
    public void Where_picks_by_a_float_or_int32_condition_with_broadcasting()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var b = Tensor.FromArray([-1.0, -2.0, -3.0]);
        var cInt = Tensor.FromArray([1, 0, 2], 3);          // nonzero = true
        var cCol = Tensor.FromArray([0f, 1f], 2, 1);        // float32 condition, broadcast over columns
        Assert.Equal([1.0, -2.0, 3.0, 4.0, -2.0, 6.0], Tensor.Where(cInt, a, b).ToArray<double>());
        Assert.Equal([-1.0, -2.0, -3.0, 4.0, 5.0, 6.0], Tensor.Where(cCol, a, b).ToArray<double>());
        Assert.Equal([0.0, 0.0, 0.0, 4.0, 5.0, 6.0], Tensor.Where(a.Gt(3.5), a, 0.0).ToArray<double>());   // a mask from a comparison
        TestUtil.AssertShape(Tensor.Where(cCol, b, 0.0), 2, 3);
    }

    [Fact]
    public void Where_gradcheck_in_a_and_b_with_broadcasting()
    {
        var c = Tensor.FromArray([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0], 2, 4);
        TestUtil.AssertGrad(t => Tensor.Where(c, t[0], t[1]), TestUtil.RandD(1, 2, 4), TestUtil.RandD(2, 4));
        TestUtil.AssertGrad(t => Tensor.Where(c, t[0], t[1]) * t[0], TestUtil.RandD(3, 1, 4), TestUtil.RandD(4, 3, 2, 1));
    }

    [Fact]
    public void Where_errors_name_the_op()
    {
        Assert.Contains("Where", Assert.Throws<ShapeMismatchException>(() => Tensor.Where(Tensor.Ones(3), Tensor.Zeros(4), Tensor.Zeros(4))).Message);
        Assert.Contains("Where", Assert.Throws<DTypeMismatchException>(() => Tensor.Where(Tensor.Ones(3), Tensor.Zeros(3), Tensor.Zeros([3], DType.Float64))).Message);
    }

    [Fact]
    public void Comparisons_against_tensors_and_scalars()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var b = Tensor.FromArray([2.0, 5.0, 6.0]);
        Assert.Equal([0.0, 1.0, 0.0, 0.0, 0.0, 0.0], a.Eq(2).ToArray<double>());
        Assert.Equal([1.0, 0.0, 1.0, 1.0, 1.0, 1.0], a.Ne(2).ToArray<double>());
        Assert.Equal([0.0, 0.0, 1.0, 1.0, 1.0, 1.0], a.Gt(2).ToArray<double>());
        Assert.Equal([0.0, 1.0, 1.0, 1.0, 1.0, 1.0], a.Ge(2).ToArray<double>());
        Assert.Equal([1.0, 0.0, 0.0, 0.0, 0.0, 0.0], a.Lt(2).ToArray<double>());
        Assert.Equal([1.0, 1.0, 0.0, 0.0, 0.0, 0.0], a.Le(2).ToArray<double>());
        // Against b broadcast over rows: row 0 (1,2,3) vs (2,5,6), row 1 (4,5,6) vs (2,5,6).
        Assert.Equal([0.0, 0.0, 0.0, 0.0, 1.0, 1.0], a.Eq(b).ToArray<double>());
        Assert.Equal([0.0, 0.0, 0.0, 1.0, 0.0, 0.0], a.Gt(b).ToArray<double>());
        Assert.Equal([1.0, 1.0, 1.0, 0.0, 1.0, 1.0], a.Le(b).ToArray<double>());
        Assert.Equal([1f, 0f], Tensor.FromArray([float.NaN, 1f]).Ne(Tensor.FromArray([float.NaN, 1f])).ToArray<float>());
    }

    [Fact]
    public void Comparisons_keep_the_float_dtype_and_are_not_recorded()
    {
        var x = TestUtil.RandD(1, 5);
        var m = x.Gt(0);
        Assert.Equal(DType.Float64, m.DType);
        Assert.False(m.RequiresGrad);
        Assert.Null(m.GradFn);
        Assert.Equal(DType.Float32, Tensor.Zeros(2).Le(0).DType);
        Assert.Contains("Gt", Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([2], DType.Int32).Gt(0)).Message);
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3).Lt(Tensor.Zeros(4)));
        Assert.Contains("Lt", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }
}
