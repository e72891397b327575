using Nabla.NN;

namespace Nabla.Tests.NN;

public class EmbeddingTests
{
    [Fact]
    public void Lookup_shapes_and_standard_normal_init()
    {
        var emb = new Embedding(1000, 16, generator: new Generator(1));
        TestUtil.AssertShape(emb.Weight, 1000, 16);
        var y = emb.Forward(Tensor.FromArray([3, 999, 3, 0, 1, 2], 2, 3));
        TestUtil.AssertShape(y, 2, 3, 16);
        TestUtil.AssertClose(emb.Weight.Select(0, 999).ToDoubleArray(), y.Select(0, 0).Select(0, 1), 0);
        var w = emb.Weight.ToDoubleArray();
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.03, 0.03);   // N(0, 1): 16000 samples, standard error 0.008
        Assert.InRange(std, 0.97, 1.03);
        Assert.Equal("Embedding(1000, 16)", emb.ToString());
        Assert.Equal(["weight"], emb.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Padding_row_is_zero_and_gets_no_gradient()
    {
        var emb = new Embedding(5, 3, paddingIdx: -1);   // wraps to 4, like PyTorch
        Assert.Equal(4, emb.PaddingIdx);
        Assert.All(emb.Weight.Select(0, 4).ToDoubleArray(), v => Assert.Equal(0, v));
        emb.Forward(Tensor.FromArray([4, 1, 4, 1, 0], 5)).Sum().Backward();
        Assert.Equal([1.0, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0], emb.Weight.Grad!.ToDoubleArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(5, 3, paddingIdx: 5));
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_in_the_same_buffer()
    {
        var emb = new Embedding(4, 2);
        emb.Forward(Tensor.FromArray([1, 1, 3], 3)).Sum().Backward();
        var buffer = emb.Weight.Grad!;
        emb.Forward(Tensor.FromArray([3, 0], 2)).Sum().Backward();
        Assert.Same(buffer, emb.Weight.Grad);   // reused, not reallocated
        Assert.Equal([1.0, 1, 2, 2, 0, 0, 2, 2], emb.Weight.Grad!.ToDoubleArray());
        emb.ZeroGrad();
        emb.Forward(Tensor.FromArray([2], 1)).Sum().Backward();
        Assert.Equal([0.0, 0, 0, 0, 1, 1, 0, 0], emb.Weight.Grad!.ToDoubleArray());
    }

    [Fact]
    public void From_pretrained_copies_and_freezes_by_default()
    {
        var vectors = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var frozen = Embedding.FromPretrained(vectors);
        Assert.False(frozen.Weight.RequiresGrad);
        Assert.Equal([5f, 6, 1, 2], frozen.Forward(Tensor.FromArray([2, 0], 2)).ToArray<float>());
        Assert.False(frozen.Forward(Tensor.FromArray([2], 1)).RequiresGrad);
        vectors.Fill_(0);
        Assert.Equal(3f, frozen.Weight.ToArray<float>()[2]);   // a copy
        var trainable = Embedding.FromPretrained(Tensor.FromArray(new float[,] { { 1, 2 } }), freeze: false);
        Assert.True(trainable.Weight.RequiresGrad);
        Assert.Throws<ShapeMismatchException>(() => Embedding.FromPretrained(Tensor.Zeros(3)));
    }
}
