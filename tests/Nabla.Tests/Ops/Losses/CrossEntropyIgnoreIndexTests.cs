namespace Nabla.Tests.Ops.Losses;

/// <summary>An ignoreIndex that is also a valid class (e.g. padding id 0) must drop those terms, as in PyTorch.</summary>
public class CrossEntropyIgnoreIndexTests
{
    [Fact]
    public void In_range_ignore_index_drops_the_terms()
    {
        // torch.nn.functional.cross_entropy(x, [[0, 2, 0]], ignore_index=0) = 0.7823525071144104; 'none' gives [0, 0.78235, 0]
        var x = Tensor.FromArray([0.1, 0.5, 9, 0.2, -0.3, 1, 1.0, 0.7, 2], 1, 3, 3).RequiresGrad_();
        var y = Tensor.FromArray([0, 2, 0], 1, 3);
        Assert.Equal(0.7823525071144104, x.CrossEntropy(y, ignoreIndex: 0).Item(), 5);   // torch computed in float32
        TestUtil.AssertClose([0, 0.7823525071144104, 0], x.CrossEntropy(y, LossReduction.None, ignoreIndex: 0), 1e-6);
        x.CrossEntropy(y, ignoreIndex: 0).Backward();
        var g = x.Grad!.ToArray<double>();
        Assert.Equal(0.0, g[0]);   // position 0 (ignored) gets no gradient
        Assert.Equal(0.0, g[2]);   // position 2 (ignored)
        TestUtil.AssertGrad(t => t[0].CrossEntropy(y, ignoreIndex: 0), TestUtil.RandD(1, 1, 3, 3));
        TestUtil.AssertGrad(t => t[0].NllLoss(y, ignoreIndex: 0), TestUtil.RandD(2, 1, 3, 3));
    }
}
