namespace Nabla.Tests.Ops.Reductions;

public class LogSumExpOpTests
{
    [Fact]
    public void Values_by_formula_and_stability()
    {
        var x = Tensor.FromArray([1.0, 2, 4, 3, 5, 9], 2, 3);
        TestUtil.AssertClose([Math.Log(Math.E + Math.Exp(2) + Math.Exp(4)), Math.Log(Math.Exp(3) + Math.Exp(5) + Math.Exp(9))], x.LogSumExp(1), 1e-12);
        TestUtil.AssertClose([Math.Log(Math.E + Math.Exp(3)), Math.Log(Math.Exp(2) + Math.Exp(5)), Math.Log(Math.Exp(4) + Math.Exp(9))], x.LogSumExp(0), 1e-12);
        // PyTorch 1.13: torch.logsumexp(x * 100, 0) = [300, 500, 900] (no overflow although e^900 = inf).
        TestUtil.AssertClose([300.0, 500, 900], (x * 100).LogSumExp(0), 1e-12);
        var f = Tensor.FromArray([1000f, 1000f], 1, 2).LogSumExp(-1, keepDim: true);
        TestUtil.AssertShape(f, 1, 1);
        Assert.Equal(1000 + Math.Log(2), f.Item(), 3);
        TestUtil.AssertClose(x.LogSumExp(1).ToDoubleArray(), x.T.LogSumExp(0), 1e-12);
        TestUtil.AssertClose([Math.Log(new[] { 1.0, 2, 4, 3, 5, 9 }.Sum(Math.Exp))], x.LogSumExp([0, 1]), 1e-12);
    }

    [Fact]
    public void LogSumExp_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].LogSumExp(1), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].LogSumExp(0, keepDim: true), TestUtil.RandD(2, 3, 4, 2));
        TestUtil.AssertGrad(t => t[0].Permute(1, 0, 2).LogSumExp([0, 2]), TestUtil.RandD(3, 3, 4, 2));
    }
}
