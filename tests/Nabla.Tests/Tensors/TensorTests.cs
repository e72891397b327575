namespace Nabla.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void Creation_functions()
    {
        Assert.Equal([0f, 0f, 0f, 0f], Tensor.Zeros(2, 2).ToArray<float>());
        Assert.Equal([1.0, 1.0], Tensor.Ones([2], DType.Float64).ToArray<double>());
        Assert.Equal([7f, 7f, 7f], Tensor.Full([3], 7).ToArray<float>());
        Assert.Equal([0f, 1f, 2f, 3f], Tensor.Arange(4).ToArray<float>());
        Assert.Equal([1.0, 1.5, 2.0], Tensor.Arange(1, 2.5, 0.5, DType.Float64).ToArray<double>());
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Tensor.Linspace(0, 1, 5, DType.Float64).ToArray<double>());
        Assert.Equal([1f, 0f, 0f, 1f], Tensor.Eye(2).ToArray<float>());
        Assert.Equal(DType.Float32, Tensor.Zeros(1).DType);
        Assert.Throws<ShapeMismatchException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void Random_tensors_are_reproducible_with_a_seed_and_have_the_right_moments()
    {
        var a = Tensor.Randn([10000], generator: new Generator(42)).ToArray<float>();
        var b = Tensor.Randn([10000], generator: new Generator(42)).ToArray<float>();
        Assert.Equal(a, b);
        double mean = a.Average(v => (double)v), var = a.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.05, 0.05);      // 5 standard errors of 0.01
        Assert.InRange(var, 0.95, 1.05);
        var u = Tensor.Rand([10000], 2, 4, generator: new Generator(1)).ToArray<float>();
        Assert.All(u, v => Assert.InRange(v, 2f, 4f));
        Assert.InRange(u.Average(v => (double)v), 2.95, 3.05);
        Generator.ManualSeed(5);
        var c = Tensor.Rand(3).ToArray<float>();
        Generator.ManualSeed(5);
        Assert.Equal(c, Tensor.Rand(3).ToArray<float>());
        var ri = Tensor.RandInt(0, 10, [1000], new Generator(3)).ToArray<int>();
        Assert.All(ri, v => Assert.InRange(v, 0, 9));
        Assert.Equal(10, ri.Distinct().Count());
    }

    [Fact]
    public void Element_access_and_views_share_storage()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);
        Assert.Equal(5.0, x.At(1, 2));
        Assert.Equal(5.0, x.At(-1, -1));
        var t = x.T;
        t.SetAt(42, 2, 1);
        Assert.Equal(42.0, x.At(1, 2));
        Assert.Throws<IndexOutOfRangeException>(() => x.At(2, 0));
        Assert.Throws<NablaException>(() => x.Item());
        Assert.Equal(3, x.Size(-1));
    }

    [Fact]
    public void ToString_looks_like_pytorch()
    {
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])", Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }).ToString());
        Assert.Equal("tensor([0.5000, 1.2500], dtype=float64)", Tensor.FromArray([0.5, 1.25]).ToString());
        Assert.Equal("tensor(3.)", Tensor.Scalar(3).ToString());
        Assert.Equal("tensor([1, 2, 3], dtype=int32)", Tensor.FromArray([1, 2, 3]).ToString());
        var big = Tensor.Arange(2000).ToString();
        Assert.Contains("...", big);
        Assert.StartsWith("tensor([   0.,    1.,    2., ...,", big);
    }

    [Fact]
    public void Dtype_conversion_keeps_values_and_gradients()
    {
        var x = Tensor.FromArray([1.5, -2.0]).RequiresGrad_();
        var f = x.To(DType.Float32);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1.5f, -2f], f.ToArray<float>());
        (f * f).Sum().Backward();
        Assert.Equal([3.0, -4.0], x.Grad!.ToArray<double>());
        Assert.Equal([1, -2], Tensor.FromArray([1.0, -2.0]).To(DType.Int32).ToArray<int>());
        Assert.Throws<DTypeMismatchException>(() => Tensor.FromArray([1, 2]).RequiresGrad_());
    }

    [Fact]
    public void Narrow_is_a_view_and_gradchecks()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        var n = x.Narrow(1, 1, 2);
        Assert.Equal([1f, 2f, 5f, 6f, 9f, 10f], n.ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(0, 2, 2));
        TestUtil.AssertGrad(t => t[0].Narrow(1, 1, 2), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Contiguous() * 2.0, TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Contiguous(), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Clone(), TestUtil.RandD(1, 3));
    }
}
