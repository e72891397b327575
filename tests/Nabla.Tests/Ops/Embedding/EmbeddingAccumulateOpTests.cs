namespace Nabla.Tests.Ops.Embedding;

public class EmbeddingAccumulateOpTests
{
    [Fact]
    public void Gradient_matches_finite_differences()
    {
        // no padding row here: its gradient is 0 by definition although the lookup reads it
        var idx = Tensor.FromArray([0, 2, 2, 1, 3, 2], 2, 3);
        TestUtil.AssertGrad(a => EmbeddingAccumulateOp.Forward(idx, a[0]), TestUtil.RandD(1, 4, 5));
    }

    [Fact]
    public void Same_gradient_as_embedding_op_when_the_buffer_exists()
    {
        var idx = Tensor.FromArray([0, 2, 2, 1, 3, 2], 6);
        var v = Tensor.Randn([6, 5], generator: new Generator(2));
        var w1 = Tensor.Randn([4, 5], generator: new Generator(3)).RequiresGrad_();
        var w2 = w1.Detach().Clone().RequiresGrad_();
        for (int k = 0; k < 2; k++)   // second round accumulates into the existing buffer
        {
            (Tensor.Embedding(idx, w1, paddingIdx: -4) * v).Sum().Backward();
            (EmbeddingAccumulateOp.Forward(idx, w2, paddingIdx: -4) * v).Sum().Backward();
        }
        TestUtil.AssertClose(w1.Grad!.ToDoubleArray(), w2.Grad!, 1e-6);
    }

    [Fact]
    public void Non_leaf_weight_gets_a_returned_gradient()
    {
        var w = Tensor.Randn([3, 2], generator: new Generator(4)).RequiresGrad_();
        EmbeddingAccumulateOp.Forward(Tensor.FromArray([1, 1], 2), w * 2).Sum().Backward();
        Assert.Equal([0f, 0, 4, 4, 0, 0], w.Grad!.ToArray<float>());
    }
}
