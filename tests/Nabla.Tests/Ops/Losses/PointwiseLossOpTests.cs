namespace Nabla.Tests.Ops;

public class PointwiseLossOpTests
{
    private static Tensor D(params double[] v) => Tensor.FromArray(v);

    [Fact]
    public void Values_match_pytorch()
    {
        // All reference values from torch 1.13 (float64).
        var a = D(1, -2, 0.5, 3);
        var b = D(0, 0, 1, 1);
        Assert.Equal(2.3125, a.MseLoss(b).Item(), 12);
        Assert.Equal(1.375, a.L1Loss(b).Item(), 12);
        TestUtil.AssertClose([0.3333333333333333, 1.25, 0.08333333333333333, 1.25], a.SmoothL1Loss(b, LossReduction.None, beta: 1.5), 1e-12);
        TestUtil.AssertClose([0.5, 1.875, 0.125, 1.875], a.HuberLoss(b, LossReduction.None, delta: 1.5), 1e-12);
        TestUtil.AssertClose([0.4740769841801067, 0.1269280110429726, 1.548587351573742, 0.6931471805599453],
            D(0.5, -2, 3, 0).BinaryCrossEntropyWithLogits(D(1, 0, 0.5, 1), LossReduction.None), 1e-12);
        // p = 0 with t = 1 hits the −100 log floor.
        TestUtil.AssertClose([0.10536051565782628, 0.2231435513142097, 0.6931471805599453, 100.0],
            D(0.9, 0.2, 0.5, 0).BinaryCrossEntropy(D(1, 0, 1, 1), LossReduction.None), 1e-12);
        Assert.Equal(2.3125 * 4, a.MseLoss(b, LossReduction.Sum).Item(), 12);
    }

    [Fact]
    public void Hinge_loss_by_hand()
    {
        // max(0, 1 − t·s): s = [2, 0.5, −0.5, 0.3], t = [1, 1, 1, −1] → [0, 0.5, 1.5, 1.3].
        var s = D(2, 0.5, -0.5, 0.3).RequiresGrad_();
        var t = D(1, 1, 1, -1);
        TestUtil.AssertClose([0, 0.5, 1.5, 1.3], s.HingeLoss(t, LossReduction.None), 1e-12);
        var loss = s.HingeLoss(t);
        Assert.Equal(3.3 / 4, loss.Item(), 12);
        loss.Backward();
        TestUtil.AssertClose([0, -0.25, -0.25, 0.25], s.Grad!, 1e-12);   // −t/N where active
    }

    [Fact]
    public void Bce_with_logits_is_stable_for_huge_logits()
    {
        var x = D(1000, -1000, 1000, -1000).RequiresGrad_();
        var t = D(1, 0, 0, 1);
        var l = x.BinaryCrossEntropyWithLogits(t, LossReduction.None);
        TestUtil.AssertClose([0, 0, 1000, 1000], l, 1e-12);
        l.Sum().Backward();
        TestUtil.AssertClose([0, 0, 1, -1], x.Grad!, 1e-12);    // σ(x) − t
        var xf = Tensor.FromArray([88f, -88f, 1000f]).RequiresGrad_();
        var lf = xf.BinaryCrossEntropyWithLogits(Tensor.FromArray([0f, 0f, 1f]));
        Assert.True(float.IsFinite((float)lf.Item()));
        lf.Backward();
        Assert.All(xf.Grad!.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
    }

    public static TheoryData<string, LossReduction> Cases()
    {
        var d = new TheoryData<string, LossReduction>();
        foreach (var name in new[] { "mse", "l1", "smoothl1", "huber", "bcelogits", "bce", "hinge" })
            foreach (var r in new[] { LossReduction.Mean, LossReduction.Sum, LossReduction.None })
                d.Add(name, r);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Gradcheck(string name, LossReduction r)
    {
        var x = TestUtil.RandD(1, 3, 4);
        var t = TestUtil.RandD(2, 3, 4);   // continuous inputs: hitting a kink (x = t, t·s = 1) within ε has probability ~0
        switch (name)
        {
            case "mse": TestUtil.AssertGrad(v => v[0].MseLoss(v[1], r), x, t); break;
            case "l1": TestUtil.AssertGrad(v => v[0].L1Loss(v[1], r), x, t); break;
            case "smoothl1": TestUtil.AssertGrad(v => v[0].SmoothL1Loss(v[1], r, beta: 0.8), x, t); break;
            case "huber": TestUtil.AssertGrad(v => v[0].HuberLoss(v[1], r, delta: 0.8), x, t); break;
            case "bcelogits": TestUtil.AssertGrad(v => v[0].BinaryCrossEntropyWithLogits(v[1], r), x * 3.0, TestUtil.UniformD(3, 0, 1, 3, 4)); break;
            case "bce": TestUtil.AssertGrad(v => v[0].BinaryCrossEntropy(v[1], r), TestUtil.UniformD(4, 0.05, 0.95, 3, 4), TestUtil.UniformD(5, 0, 1, 3, 4)); break;
            default:
                var signs = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? -1.0 : 1.0).ToArray(), 3, 4);
                TestUtil.AssertGrad(v => v[0].HingeLoss(signs, r), x);
                break;
        }
    }

    [Fact]
    public void Errors_name_the_op()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(3).MseLoss(Tensor.Zeros(4)));
        Assert.Contains("MseLoss", e.Message);
        Assert.Contains("BinaryCrossEntropy", Assert.Throws<ArgumentException>(() => D(1.5).BinaryCrossEntropy(D(1))).Message);
        Assert.Contains("HingeLoss", Assert.Throws<ArgumentException>(() => D(0.5).HingeLoss(D(0))).Message);
        Assert.Throws<DTypeMismatchException>(() => D(0.5).MseLoss(Tensor.Zeros(1)));
        Assert.Equal("MseLossBackward", D(1, 2).RequiresGrad_().MseLoss(D(0, 0)).GradFn!.Name);
    }
}
