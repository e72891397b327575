using Nabla.Tensors;

namespace Nabla.Tests.Autograd;

/// <summary>
/// Storage recycling must never let a tensor that someone still holds show another step's numbers: a recycled
/// buffer's old owners are invalidated, so reading them throws <see cref="FreedTensorException"/>.
/// </summary>
public class RecyclingTests
{
    // [16, 64] · [64, 4096] → [16, 4096] = 65,536 floats = 256 KiB: the smallest pooled size.
    private static readonly Tensor W = Tensor.Randn([64, 4096], generator: new Generator(21)).RequiresGrad_();

    private static Tensor Step(ulong seed)
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(seed));
        var hidden = x.MatMul(W).Relu();                          // the intermediate a careless caller keeps
        var loss = (hidden * hidden).Sum();
        loss.Backward(freeIntermediates: true);
        return hidden;
    }

    [Fact]
    public void A_kept_intermediate_is_never_silently_overwritten_by_the_next_step()
    {
        var x = Tensor.Randn([16, 64], generator: new Generator(1));
        var kept = x.MatMul(W).Relu();
        var expected = kept.ToDoubleArray();
        (kept * kept).Sum().Backward(freeIntermediates: true);
        for (int step = 0; step < 3; step++) Step(100 + (ulong)step);   // the next steps rent the same sizes
        double[] now;
        try { now = kept.ToDoubleArray(); }
        catch (FreedTensorException) { return; }                       // a loud error is fine; stale data is not
        Assert.Equal(expected, now);
    }
}
