namespace Nabla.Tests.Ops.Embedding;

public class EmbeddingOpTests
{
    [Fact]
    public void Lookup_and_dense_gradient_with_padding()
    {
        // PyTorch 1.13: F.embedding([[0, 2], [2, 1]], arange(6).reshape(3, 2), padding_idx=1)
        //   = [[[0, 1], [4, 5]], [[4, 5], [2, 3]]]; after .sum().backward(): w.grad = [[1, 1], [0, 0], [2, 2]]
        var w = Tensor.Arange(6).Reshape(3, 2).Clone().Detach().RequiresGrad_();
        var y = Tensor.Embedding(Tensor.FromArray([0, 2, 2, 1], 2, 2), w, paddingIdx: 1);
        TestUtil.AssertShape(y, 2, 2, 2);
        Assert.Equal([0f, 1, 4, 5, 4, 5, 2, 3], y.ToArray<float>());
        y.Sum().Backward();
        Assert.Equal([1f, 1, 0, 0, 2, 2], w.Grad!.ToArray<float>());
    }

    [Fact]
    public void Scalar_index_and_negative_padding_idx()
    {
        var w = Tensor.Arange(6, DType.Float64).Reshape(3, 2).RequiresGrad_();
        TestUtil.AssertShape(Tensor.Embedding(Tensor.Full([], 2, DType.Int32), w), 2);
        Tensor.Embedding(Tensor.FromArray([2, 0, 2]), w, paddingIdx: -1).Sum().Backward();   // −1 → row 2
        Assert.Equal([1.0, 1, 0, 0, 0, 0], w.Grad!.ToArray<double>());
        var tw = Tensor.Arange(6).Reshape(2, 3).T;                 // non-contiguous weight [3, 2]
        Assert.Equal([2f, 5], Tensor.Embedding(Tensor.FromArray([2]), tw).ToArray<float>());
    }

    [Fact]
    public void Out_of_range_index_names_op_index_and_size()
    {
        var w = Tensor.Zeros(5, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(Tensor.FromArray([1, 7]), w));
        Assert.Contains("Embedding", e.Message);
        Assert.Contains("index 7", e.Message);
        Assert.Contains("5", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(Tensor.FromArray([-1]), w));
        Assert.Throws<DTypeMismatchException>(() => Tensor.Embedding(Tensor.FromArray([1f]), w));
        Assert.Throws<ShapeMismatchException>(() => Tensor.Embedding(Tensor.FromArray([1]), Tensor.Zeros(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Embedding(Tensor.FromArray([1]), w, paddingIdx: 5));
    }

    [Fact]
    public void Embedding_gradcheck()
    {
        var idx = Tensor.FromArray([3, 0, 3, 1, 4, 3], 2, 3);
        TestUtil.AssertGrad(t => Tensor.Embedding(idx, t[0]), TestUtil.RandD(1, 5, 4));
        TestUtil.AssertGrad(t => Tensor.Embedding(idx, t[0].T), TestUtil.RandD(2, 4, 5));   // paddingIdx deliberately breaks the true gradient; see above
    }
}
