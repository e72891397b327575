using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersLossTests(ITestOutputHelper log)
{
    private static Tensor RandLabels(ulong seed, int n, int c) => Tensor.RandInt(0, c, [n], new Generator(seed));

    [Theory]
    [InlineData(6, 5)]
    [InlineData(1, 3)]   // batch of 1
    [InlineData(9, 2)]
    public void Softmax_and_multiclass_svm_match_finite_differences_and_autograd(int n, int c)
    {
        var x = Randn(1, n, c);
        var y = RandLabels(2, n, c);
        var (ls, dxs) = Layers.SoftmaxLoss(x, y);
        AssertRel(NumericGradient.Eval(() => Layers.SoftmaxLoss(x, y).Loss, x), dxs, FdTol, $"softmax loss [{n}, {c}] dx vs FD", log);
        var ce = x.Clone().RequiresGrad_();
        var lib = ce.CrossEntropy(y);
        lib.Backward();
        Assert.Equal(lib.Item(), ls, 12);
        AssertRel(ce.Grad!, dxs, AutogradTol, $"softmax loss [{n}, {c}] dx vs autograd CrossEntropy", log);

        var (lv, dxv) = Layers.SvmLoss(x, y);
        AssertRel(NumericGradient.Eval(() => Layers.SvmLoss(x, y).Loss, x), dxv, FdTol, $"svm loss [{n}, {c}] dx vs FD", log);
        // PyTorch's multi_margin_loss divides each example's sum by C; cs231n's does not.
        var mm = x.Clone().RequiresGrad_();
        var libv = mm.MultiMarginLoss(y) * (double)c;
        libv.Backward();
        Assert.Equal(libv.Item(), lv, 12);
        AssertRel(mm.Grad!, dxv, AutogradTol, $"svm loss [{n}, {c}] dx vs autograd MultiMarginLoss·C", log);
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(1, false)]
    [InlineData(5, true)]   // scores as [N, 1]
    public void Binary_logistic_and_svm_losses_match_finite_differences_and_autograd(int n, bool column)
    {
        var x = column ? Randn(3, n, 1) : Randn(3, n);
        var y01 = Tensor.RandInt(0, 2, [n], new Generator(4));
        var t = (y01.To(DType.Float64) * 2.0 - 1.0).Reshape(x.Shape.ToArray());   // ±1
        var (ll, dxl) = Layers.LogisticLoss(x, y01);
        AssertRel(NumericGradient.Eval(() => Layers.LogisticLoss(x, y01).Loss, x), dxl, FdTol, $"logistic loss n={n} dx vs FD", log);
        var a = x.Clone().RequiresGrad_();
        var bce = a.BinaryCrossEntropyWithLogits(y01.To(DType.Float64).Reshape(x.Shape.ToArray()));
        bce.Backward();
        Assert.Equal(bce.Item(), ll, 12);
        AssertRel(a.Grad!, dxl, AutogradTol, $"logistic loss n={n} dx vs autograd BCEWithLogits", log);

        var (lh, dxh) = Layers.BinarySvmLoss(x, y01);
        AssertRel(NumericGradient.Eval(() => Layers.BinarySvmLoss(x, y01).Loss, x), dxh, FdTol, $"binary svm loss n={n} dx vs FD", log);
        var h = x.Clone().RequiresGrad_();
        var hinge = h.HingeLoss(t);
        hinge.Backward();
        Assert.Equal(hinge.Item(), lh, 12);
        AssertRel(h.Grad!, dxh, AutogradTol, $"binary svm loss n={n} dx vs autograd HingeLoss", log);
        // ±1 labels mean the same as 0/1
        Assert.Equal(lh, Layers.BinarySvmLoss(x, t.Reshape(n)).Loss);
        Assert.Equal(ll, Layers.LogisticLoss(x, t.Reshape(n)).Loss);
    }

    [Fact]
    public void Losses_by_hand()
    {
        // Softmax: x = [0, 0, 0], y = 1: p = 1/3 each, loss = ln 3, dx = [1/3, 1/3 − 1, 1/3].
        var (ls, dxs) = Layers.SoftmaxLoss(D([0, 0, 0], 1, 3), Labels(1));
        Assert.Equal(Math.Log(3), ls, 14);
        AssertValues([1.0 / 3, -2.0 / 3, 1.0 / 3], dxs);
        // Multiclass SVM: x = [1, 2, 3], y = 0: margins 2 − 1 + 1 = 2 and 3 − 1 + 1 = 3 → loss 5, dx = [−2, 1, 1].
        var (lv, dxv) = Layers.SvmLoss(D([1, 2, 3], 1, 3), Labels(0));
        Assert.Equal(5, lv, 14);
        AssertValues([-2, 1, 1], dxv);
        // Logistic: x = 0, y = 1 → ln 2, dx = σ(0) − 1 = −1/2. x = [2, −1], y = [0, 1]:
        // loss = (log(1 + e²) + log(1 + e¹))/2, dx = [σ(2), σ(−1) − 1]/2.
        var (l1, d1) = Layers.LogisticLoss(D([0], 1), Labels(1));
        Assert.Equal(Math.Log(2), l1, 14);
        AssertValues([-0.5], d1);
        var (l2, d2) = Layers.LogisticLoss(D([2, -1], 2), Labels(0, 1));
        Assert.Equal((Math.Log(1 + Math.Exp(2)) + Math.Log(1 + Math.E)) / 2, l2, 14);
        AssertValues([1 / (1 + Math.Exp(-2)) / 2, (1 / (1 + Math.E) - 1) / 2], d2);
        // Binary SVM: x = [0.5, −2, 3], y = [1, 1, 0] → t = [1, 1, −1], margins 1 − 0.5, 1 + 2, 1 + 3 = 0.5, 3, 4
        // → loss 7.5/3 = 2.5, dx = −t/3 = [−1/3, −1/3, 1/3]. A point beyond the margin (x = 2, y = 1) adds nothing.
        var (lh, dh) = Layers.BinarySvmLoss(D([0.5, -2, 3, 2], 4), Labels(1, 1, 0, 1));
        Assert.Equal(7.5 / 4, lh, 14);
        AssertValues([-0.25, -0.25, 0.25, 0], dh);
    }

    [Fact]
    public void Large_scores_stay_finite()
    {
        var (ls, dxs) = Layers.SoftmaxLoss(D([1000, 0, -1000], 1, 3), Labels(2));
        Assert.Equal(2000, ls, 10);
        AssertValues([1, 0, -1], dxs);
        var (ll, _) = Layers.LogisticLoss(D([800, -800], 2), Labels(0, 1));
        Assert.Equal(800, ll, 10);
    }

    [Fact]
    public void Bad_labels_and_shapes_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.SoftmaxLoss(Randn(1, 2, 3), Labels(0, 3)));
        Assert.Throws<ArgumentException>(() => Layers.SoftmaxLoss(Randn(1, 2, 3), Labels(0, 1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.LogisticLoss(Randn(1, 2), Labels(0, 2)));
        Assert.Throws<ArgumentException>(() => Layers.BinarySvmLoss(Randn(1, 2, 2), Labels(0, 1)));
        Assert.Equal(DType.Float32, Layers.SvmLoss(Randn(1, 2, 3).To(DType.Float32), Labels(0, 1)).Dx.DType);
    }
}
