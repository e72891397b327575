namespace Nabla.Tests.Ops.Indexing;

public class GatherOpTests
{
    private static Tensor X => Tensor.Arange(12, DType.Float64).Reshape(3, 4);

    [Fact]
    public void Gather_values_like_torch()
    {
        // PyTorch 1.13: torch.gather(x, 1, [[0, 0], [3, 1], [2, 2]]) = [[0, 0], [7, 5], [10, 10]];
        //               torch.gather(x, 0, [[2, 0, 1, 0]]) = [[8, 1, 6, 3]]
        var y = X.Gather(1, Tensor.FromArray([0, 0, 3, 1, 2, 2], 3, 2));
        TestUtil.AssertShape(y, 3, 2);
        Assert.Equal([0.0, 0, 7, 5, 10, 10], y.ToArray<double>());
        Assert.Equal([8.0, 1, 6, 3], X.Gather(0, Tensor.FromArray([2, 0, 1, 0], 1, 4)).ToArray<double>());
        // Non-contiguous input: xᵀ[i, idx] = x[idx, i].
        Assert.Equal([8.0, 1, 6], X.T.Gather(-1, Tensor.FromArray([2, 0, 1], 3, 1)).ToArray<double>());
        // Non-contiguous index: [[0, 3], [0, 1]]ᵀ = [[0, 0], [3, 1]].
        Assert.Equal([0.0, 0, 7, 5], X.Narrow(0, 0, 2).Gather(1, Tensor.FromArray([0, 3, 0, 1], 2, 2).T).ToArray<double>());
    }

    [Fact]
    public void Gather_errors()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => X.Gather(1, Tensor.FromArray([0, 1, 2, 0], 4, 1)));
        Assert.Contains("Gather", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[4, 1]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => X.Gather(1, Tensor.FromArray([0, 1])));
        var r = Assert.Throws<IndexOutOfRangeException>(() => X.Gather(0, Tensor.FromArray([3], 1, 1)));
        Assert.Contains("index 3", r.Message);
    }

    [Fact]
    public void Gather_gradcheck_with_repeats()
    {
        var idx = Tensor.FromArray([0, 0, 2, 1, 1, 1, 0, 2, 2, 2, 1, 0], 2, 3, 2);
        TestUtil.AssertGrad(t => t[0].Gather(1, idx), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Permute(1, 0, 2).Gather(-1, Tensor.FromArray([3, 0, 3, 1], 2, 1, 2)), TestUtil.RandD(2, 2, 3, 4));
    }
}
