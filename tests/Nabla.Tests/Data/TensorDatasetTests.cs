using Nabla.Data;

namespace Nabla.Tests.Data;

public class TensorDatasetTests
{
    [Fact]
    public void Get_CopiesTheRow_AndReturnsTheLabel()
    {
        var x = Tensor.Arange(12).Reshape(3, 2, 2);
        var ds = new TensorDataset(x, Tensor.FromArray(new[] { 7, 8, 9 }));
        Assert.Equal(3, ds.Count);
        Assert.Equal([2, 2], ds.FeatureShape.ToArray());
        var f = new float[4];
        Assert.Equal(8, ds.Get(1, f));
        Assert.Equal(new[] { 4f, 5, 6, 7 }, f);
    }

    [Fact]
    public void NonContiguousAndFloat64Inputs_AreConverted()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).Transpose(0, 1);   // [3, 2]: rows (1,4), (2,5), (3,6)
        var ds = new TensorDataset(x, Tensor.FromArray(new[] { 0, 1, 2 }));
        var f = new float[2];
        ds.Get(2, f);
        Assert.Equal(new[] { 3f, 6f }, f);
    }

    [Fact]
    public void LabelShapeAndDTypeAreChecked()
    {
        var x = Tensor.Zeros(3, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => new TensorDataset(x, Tensor.FromArray(new[] { 1, 2 })));
        Assert.Contains("TensorDataset", e.Message);
        Assert.Contains("[3, 2]", e.Message);
        Assert.Throws<DTypeMismatchException>(() => new TensorDataset(x, Tensor.Zeros(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorDataset(x, Tensor.FromArray(new[] { 1, 2, 3 })).Get(3, new float[2]));
    }
}
