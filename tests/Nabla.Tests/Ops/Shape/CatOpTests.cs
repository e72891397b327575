namespace Nabla.Tests.Ops.Shape;

public class CatOpTests
{
    [Fact]
    public void Cat_and_stack_values()
    {
        var a = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5f, 6], 2, 1);
        var c = Tensor.Cat([a, b], 1);                             // [[1, 2, 5], [3, 4, 6]]
        TestUtil.AssertShape(c, 2, 3);
        Assert.Equal([1f, 2, 5, 3, 4, 6], c.ToArray<float>());
        Assert.Equal([1f, 2, 3, 4, 1, 3, 2, 4], Tensor.Cat([a, a.T], -2).ToArray<float>());
        var s = Tensor.Stack([a, a.T], 0);
        TestUtil.AssertShape(s, 2, 2, 2);
        var s2 = Tensor.Stack([a, a.T], -1);                       // [[[1,1],[2,3]],[[3,2],[4,4]]]
        Assert.Equal([1f, 1, 2, 3, 3, 2, 4, 4], s2.ToArray<float>());
        var ints = Tensor.Cat([Tensor.FromArray([1, 2]), Tensor.FromArray([3])]);
        Assert.Equal([1, 2, 3], ints.ToArray<int>());
    }

    [Fact]
    public void Cat_errors_name_op_and_shapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));
        Assert.Contains("Cat", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
        Assert.Throws<DTypeMismatchException>(() => Tensor.Cat([Tensor.Zeros(2), Tensor.Zeros([2], DType.Float64)]));
        Assert.Contains("Stack", Assert.Throws<ShapeMismatchException>(() => Tensor.Stack([Tensor.Zeros(2), Tensor.Zeros(3)])).Message);
        Assert.Throws<ArgumentException>(() => Tensor.Cat([]));
    }

    [Fact]
    public void Split_and_chunk_are_views()
    {
        var x = Tensor.Arange(10);
        var parts = x.Split(4);
        Assert.Equal([4, 4, 2], parts.Select(p => p.Size(0)).ToArray());
        Assert.Equal([8f, 9], parts[2].ToArray<float>());
        parts[1].SetAt(-1, 0);
        Assert.Equal(-1.0, x.At(4));
        Assert.Equal([2, 5, 3], x.Split([2, 5, 3]).Select(p => p.Size(0)).ToArray());
        Assert.Equal([4, 4, 2], x.Chunk(3).Select(p => p.Size(0)).ToArray());       // torch.chunk(arange(10), 3)
        Assert.Equal([2, 2, 2, 2, 2], x.Chunk(5).Select(p => p.Size(0)).ToArray());
        Assert.Equal([3, 3], Tensor.Zeros(2, 6).Chunk(2, -1).Select(p => p.Size(1)).ToArray());
        Assert.Contains("Split", Assert.Throws<ShapeMismatchException>(() => x.Split([2, 2])).Message);
    }

    [Fact]
    public void Cat_stack_split_gradcheck()
    {
        TestUtil.AssertGrad(t => Tensor.Cat([t[0], t[1].T, t[0]], 1), TestUtil.RandD(1, 3, 2), TestUtil.RandD(2, 4, 3));
        TestUtil.AssertGrad(t => Tensor.Stack([t[0], t[1]], 1), TestUtil.RandD(3, 2, 3), TestUtil.RandD(4, 2, 3));
        TestUtil.AssertGrad(t => t[0].Split(2, 1)[1] * t[0].Chunk(3, 1)[0], TestUtil.RandD(5, 3, 6));
    }
}
