namespace Nabla.Tests.Ops.Reductions;

public class MaxOpTests
{
    // x = [[1, 5, 5], [7, 2, 7]]; PyTorch 1.13: x.max(1) = ([5, 7], [1, 0]); x.min(0) = ([1, 2, 5], [0, 1, 0]);
    // x.argmax() = 3; x.argmax(1) = [1, 0].
    private static Tensor X => Tensor.FromArray([1f, 5, 5, 7, 2, 7], 2, 3);

    [Fact]
    public void Max_and_min_over_a_dim_return_values_and_first_indices()
    {
        var (v, i) = X.Max(1);
        Assert.Equal([5f, 7], v.ToArray<float>());
        Assert.Equal([1, 0], i.ToArray<int>());
        Assert.Equal(DType.Int32, i.DType);
        var (mv, mi) = X.Min(0);
        Assert.Equal([1f, 2, 5], mv.ToArray<float>());
        Assert.Equal([0, 1, 0], mi.ToArray<int>());
        var (kv, ki) = X.Max(-1, keepDim: true);
        TestUtil.AssertShape(kv, 2, 1);
        TestUtil.AssertShape(ki, 2, 1);
    }

    [Fact]
    public void ArgMax_and_ArgMin()
    {
        Assert.Equal(3.0, X.ArgMax().Item());
        Assert.Equal(0.0, X.ArgMin().Item());
        Assert.Equal([1, 0], X.ArgMax(1).ToArray<int>());
        Assert.Equal([0, 1], X.ArgMin(-1).ToArray<int>());
        TestUtil.AssertShape(X.ArgMax(0, keepDim: true), 1, 3);
        Assert.False(X.RequiresGrad_().ArgMax(0).RequiresGrad);
    }

    [Fact]
    public void Works_on_non_contiguous_inputs_and_int32()
    {
        var t = X.T;                                            // [[1, 7], [5, 2], [5, 7]]
        var (v, i) = t.Max(0);
        Assert.Equal([5f, 7], v.ToArray<float>());
        Assert.Equal([1, 0], i.ToArray<int>());
        Assert.Equal([1, 0, 1], t.ArgMax(1).ToArray<int>());
        Assert.Equal(1.0, t.ArgMax().Item());                   // t flat = [1, 7, 5, 2, 5, 7]: first 7 at 1
        var n = Tensor.FromArray([3, -1, 8, 8], 2, 2);
        Assert.Equal(8.0, n.Max().Item());
        Assert.Equal([3, 8], n.Max(1).Values.ToArray<int>());
    }

    [Fact]
    public void Whole_tensor_max_and_min()
    {
        Assert.Equal(7.0, X.Max().Item());
        Assert.Equal(1.0, X.Min().Item());
        Assert.Equal(0, X.Max().Rank);
        Assert.True(double.IsNaN(Tensor.FromArray([0.5f, float.NaN, 3f]).Max().Item()));
        var (v, i) = Tensor.FromArray([0.5f, float.NaN, 3f]).Max(0);   // PyTorch: (nan, 1)
        Assert.True(float.IsNaN(v.ToArray<float>()[0]));
        Assert.Equal(1, i.ToArray<int>()[0]);
    }

    [Fact]
    public void Max_over_dim_routes_gradient_to_the_selected_index()
    {
        var x = Tensor.FromArray([1.0, 5, 5, 7, 2, 7], 2, 3).RequiresGrad_();
        x.Max(1).Values.Sum().Backward();
        Assert.Equal([0.0, 1, 0, 1, 0, 0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Whole_tensor_max_splits_gradient_evenly_among_ties()
    {
        // PyTorch 1.13: torch.tensor([1., 3., 3., 2.]).max().backward() → grad [0, 0.5, 0.5, 0]
        var x = Tensor.FromArray([1.0, 3, 3, 2]).RequiresGrad_();
        x.Max().Backward();
        Assert.Equal([0.0, 0.5, 0.5, 0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Max_min_gradcheck()
    {
        // Distinct values (randn), so max/min are differentiable at the inputs.
        TestUtil.AssertGrad(t => t[0].Max(1).Values, TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Min(0, keepDim: true).Values, TestUtil.RandD(2, 3, 4, 2));
        TestUtil.AssertGrad(t => t[0].Permute(2, 0, 1).Max(-1).Values, TestUtil.RandD(3, 3, 4, 2));
        TestUtil.AssertGrad(t => t[0].Max(), TestUtil.RandD(4, 3, 5));
        TestUtil.AssertGrad(t => t[0].T.Min(), TestUtil.RandD(5, 3, 5));
    }

    [Fact]
    public void No_grad_records_nothing()
    {
        var x = TestUtil.RandD(1, 3, 4);
        using (GradMode.NoGrad())
        {
            Assert.Null(x.Max(1).Values.GradFn);
            Assert.Null(x.Var(0).GradFn);
            Assert.Null(x.LogSumExp(1).GradFn);
            Assert.Null(Tensor.Cat([x, x], 1).GradFn);
        }
        Assert.NotNull(x.Max(1).Values.GradFn);
    }

    [Fact]
    public void Empty_reductions_throw_naming_the_op()
    {
        Assert.Contains("Max", Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 2).Max()).Message);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 0).ArgMin(1));
        Assert.Contains("ArgMin", e.Message);
        Assert.Contains("[2, 0]", e.Message);
    }
}
