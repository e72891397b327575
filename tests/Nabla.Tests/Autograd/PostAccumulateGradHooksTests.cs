namespace Nabla.Tests.Autograd;

public class PostAccumulateGradHooksTests
{
    /// <summary>y = sum(relu(x·W1)·W2 + x·W1): W1 feeds two nodes, so its gradient is final only after both ran.</summary>
    [Fact]
    public void Fires_once_per_leaf_after_its_last_contribution_while_backward_still_runs()
    {
        var g = new Generator(1);
        var x = Tensor.Randn([3, 4], dtype: DType.Float64, generator: g);
        var w1 = Tensor.Randn([4, 4], dtype: DType.Float64, generator: g).RequiresGrad_();
        var w2 = Tensor.Randn([4, 4], dtype: DType.Float64, generator: g).RequiresGrad_();
        var calls = new List<(string Name, double[] Grad, bool OtherHadGrad)>();
        using var h1 = w1.RegisterPostAccumulateGradHook(t => calls.Add(("w1", t.Grad!.ToDoubleArray(), w2.Grad is not null)));
        using var h2 = w2.RegisterPostAccumulateGradHook(t => calls.Add(("w2", t.Grad!.ToDoubleArray(), w1.Grad is not null)));
        var h = x.MatMul(w1);
        (h.Relu().MatMul(w2) + h).Sum().Backward();

        Assert.Equal(["w2", "w1"], calls.Select(c => c.Name));
        Assert.False(calls[0].OtherHadGrad);                   // w2's hook ran before w1's gradient existed: mid-backward
        Assert.Equal(w1.Grad!.ToDoubleArray(), calls[1].Grad);  // w1's hook saw the final, fully accumulated gradient
        Assert.Equal(w2.Grad!.ToDoubleArray(), calls[0].Grad);
    }

    [Fact]
    public void Unreached_leaves_get_no_call_and_disposed_hooks_stop()
    {
        var a = Tensor.Ones([2], DType.Float64).RequiresGrad_();
        var unused = Tensor.Ones([2], DType.Float64).RequiresGrad_();
        int calls = 0, unusedCalls = 0;
        var handle = a.RegisterPostAccumulateGradHook(_ => calls++);
        using var h2 = unused.RegisterPostAccumulateGradHook(_ => unusedCalls++);
        (a * a).Sum().Backward();
        Assert.Equal(1, calls);
        handle.Dispose();
        (a * a).Sum().Backward();
        Assert.Equal(1, calls);
        Assert.Equal(0, unusedCalls);
    }

    [Fact]
    public void Only_leaves_take_hooks()
    {
        var a = Tensor.Ones([2], DType.Float64).RequiresGrad_();
        Assert.Throws<AutogradException>(() => (a * 2).RegisterPostAccumulateGradHook(_ => { }));
    }
}
