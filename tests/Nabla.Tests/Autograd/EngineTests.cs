namespace Nabla.Tests.Autograd;

public class EngineTests
{
    [Fact]
    public void Gradient_of_a_reused_input_accumulates_over_both_paths()
    {
        // y = x·x + x  →  dy/dx = 2x + 1 (by hand)
        var x = Tensor.FromArray([1.0, -2.0, 3.0]).RequiresGrad_();
        (x * x + x).Sum().Backward();
        Assert.Equal([3.0, -3.0, 7.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Leaf_gradients_accumulate_across_backward_calls_until_zeroed()
    {
        var x = Tensor.FromArray([2.0]).RequiresGrad_();
        (x * 3.0).Sum().Backward();
        (x * 3.0).Sum().Backward();
        Assert.Equal(6.0, x.Grad!.Item());
        var buffer = x.Grad;
        x.ZeroGrad();
        (x * x).Sum().Backward();
        Assert.Same(buffer, x.Grad);   // the buffer is reused, not reallocated
        Assert.Equal(4.0, x.Grad!.Item());
    }

    [Fact]
    public void NoGrad_scope_records_nothing()
    {
        var x = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        Tensor y;
        using (GradMode.NoGrad()) y = x * 2.0 + 1.0;
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void Detach_cuts_the_graph_but_shares_data()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequiresGrad_();
        var d = (x * 2.0).Detach();
        Assert.False(d.RequiresGrad);
        var y = (x * d).Sum();   // d is a constant: dy/dx = d = 2x
        y.Backward();
        Assert.Equal([2.0, 4.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Backward_needs_a_scalar_or_an_explicit_gradient()
    {
        var x = Tensor.Ones([3], DType.Float64, requiresGrad: true);
        var y = x * 2.0;
        Assert.Throws<AutogradException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1.0, 10.0, 100.0]));
        Assert.Equal([2.0, 20.0, 200.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Backward_twice_through_a_freed_graph_is_a_clear_error()
    {
        var x = Tensor.Ones([1], DType.Float64, requiresGrad: true);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.Throws<AutogradException>(() => y.Backward());
        Assert.Contains("retainGraph", e.Message);
        var z = (x * x).Sum();
        z.Backward(retainGraph: true);
        z.Backward();
    }

    [Fact]
    public void Deep_graphs_do_not_overflow_the_stack()
    {
        var x = Tensor.FromArray([1.0]).RequiresGrad_();
        var y = x;
        for (int i = 0; i < 20000; i++) y = y * 1.0;
        y.Sum().Backward();
        Assert.Equal(1.0, x.Grad!.Item());
    }

    [Fact]
    public void Backward_on_a_tensor_without_grad_is_an_error()
    {
        var x = Tensor.Ones(2);
        Assert.Throws<AutogradException>(() => x.Sum().Backward());
    }

    [Fact]
    public void Grad_fn_is_named_in_ToString()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        Assert.Contains("grad_fn=<MulBackward>", (x * 2.0).ToString());
        Assert.Contains("requires_grad=True", x.ToString());
    }
}
