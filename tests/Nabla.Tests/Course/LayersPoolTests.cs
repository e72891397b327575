using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersPoolTests(ITestOutputHelper log)
{
    public static TheoryData<int[], int, int, int, int> Cases => new()
    {
        // x shape, pool H, pool W, stride H, stride W
        { [2, 3, 4, 4], 2, 2, 2, 2 },
        { [1, 2, 7, 5], 3, 3, 2, 2 },   // overlapping windows, odd sizes, batch of 1
        { [2, 2, 5, 7], 2, 3, 1, 2 },   // non-square pool and stride
        { [1, 1, 5, 5], 2, 2, 2, 2 },   // the last row/column is never pooled
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences_and_autograd(int[] shape, int ph, int pw, int sh, int sw)
    {
        var x = Randn(1, shape);
        IntPair pool = (ph, pw), stride = (sh, sw);
        var (out_, cache) = Layers.MaxPoolForward(x, pool, stride);
        string tag = $"maxpool x{ShapeUtil.Format(shape)} pool {pool} stride {stride}";
        AssertRel(x.MaxPool2d(pool, stride), out_, 0, $"{tag} forward vs library", log);
        var dout = Randn(2, out_.Shape.ToArray());
        var dx = Layers.MaxPoolBackward(dout, cache);
        AssertRel(NumericGradient.EvalArray(() => Layers.MaxPoolForward(x, pool, stride).Out, x, dout), dx, FdTol, $"{tag} dx vs FD", log);
        AssertRel(AutogradGrads(t => t[0].MaxPool2d(pool, stride), dout, x)[0], dx, AutogradTol, $"{tag} dx vs autograd", log);
    }

    [Fact]
    public void Forward_and_backward_by_hand()
    {
        // 2×2 pooling, stride 2, of
        //   [[1, 2, 5, 0],
        //    [3, 4, 1, 1],
        //    [0, 0, −1, −2],
        //    [7, 0, −3, −4]]  →  [[4, 5], [7, −1]];
        // dout = [[1, 2], [3, 4]] goes to the winners (1,1), (0,2), (3,0), (2,2).
        var x = D([1, 2, 5, 0, 3, 4, 1, 1, 0, 0, -1, -2, 7, 0, -3, -4], 1, 1, 4, 4);
        var (y, cache) = Layers.MaxPoolForward(x, 2);
        AssertValues([4, 5, 7, -1], y);
        var dx = Layers.MaxPoolBackward(D([1, 2, 3, 4], 1, 1, 2, 2), cache);
        AssertValues([0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 4, 0, 3, 0, 0, 0], dx);
    }

    [Fact]
    public void Overlapping_windows_add_up_at_a_shared_winner_and_ties_go_to_the_first()
    {
        // x = [[0, 0, 0], [0, 9, 0], [0, 0, 0]], pool 2, stride 1: every window's max is the 9 → dx[1,1] = Σ dout = 10.
        var x = D([0, 0, 0, 0, 9, 0, 0, 0, 0], 1, 1, 3, 3);
        var (y, c) = Layers.MaxPoolForward(x, 2, 1);
        AssertValues([9, 9, 9, 9], y);
        AssertValues([0, 0, 0, 0, 10, 0, 0, 0, 0], Layers.MaxPoolBackward(D([1, 2, 3, 4], 1, 1, 2, 2), c));
        // all equal: the first element of the window wins (as PyTorch)
        var (_, tc) = Layers.MaxPoolForward(Tensor.Ones([1, 1, 2, 2], DType.Float64), 2);
        AssertValues([5, 0, 0, 0], Layers.MaxPoolBackward(D([5], 1, 1, 1, 1), tc));
    }

    [Fact]
    public void Float32_and_errors()
    {
        var (y, c) = Layers.MaxPoolForward(Randn(1, 2, 2, 4, 4).To(DType.Float32), 2);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(DType.Float32, Layers.MaxPoolBackward(Tensor.Ones([2, 2, 2, 2]), c).DType);
        Assert.Throws<ArgumentException>(() => Layers.MaxPoolForward(Randn(1, 2, 4, 4), 2));
        Assert.Throws<ArgumentException>(() => Layers.MaxPoolForward(Randn(1, 1, 1, 3, 3), 4));
        Assert.Throws<ArgumentException>(() => Layers.MaxPoolBackward(Tensor.Ones([2, 2, 3, 3]), c));
    }
}
