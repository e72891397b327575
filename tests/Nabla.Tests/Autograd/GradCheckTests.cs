namespace Nabla.Tests.Autograd;

public class GradCheckTests
{
    /// <summary>y = x² written with a deliberately wrong backward (3x instead of 2x).</summary>
    private sealed class WrongSquareOp : Node
    {
        private Tensor _x = null!;
        public static Tensor Forward(Tensor x) => new WrongSquareOp { _x = x.Detach() }.Record(x.Detach() * x.Detach(), x);
        internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _x * 3.0];
    }

    /// <summary>The same op with the right derivative, 2x.</summary>
    private sealed class RightSquareOp : Node
    {
        private Tensor _x = null!;
        public static Tensor Forward(Tensor x) => new RightSquareOp { _x = x.Detach() }.Record(x.Detach() * x.Detach(), x);
        internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _x * 2.0];
    }

    [Fact]
    public void Checker_catches_a_wrong_backward()
    {
        var x = TestUtil.RandD(1, 3, 4);
        var r = GradCheck.Check(t => WrongSquareOp.Forward(t[0]), [x]);
        Assert.False(r.Passed);
        Assert.True(r.Inputs[0].MaxRelError > 0.1, r.ToString());
        Assert.Throws<GradCheckException>(() => GradCheck.Assert(t => WrongSquareOp.Forward(t[0]), [x]));
    }

    [Fact]
    public void Checker_accepts_the_right_backward()
    {
        var x = TestUtil.RandD(1, 3, 4);
        var r = GradCheck.Check(t => RightSquareOp.Forward(t[0]), [x]);
        Assert.True(r.Passed, r.ToString());
        Assert.True(r.Inputs[0].MaxAbsError < 1e-7, r.ToString());
    }

    [Fact]
    public void Checker_requires_float64()
    {
        var x = Tensor.Randn(2, 2).RequiresGrad_();
        Assert.Throws<NablaException>(() => GradCheck.Check(t => t[0] * t[0], [x]));
    }

    [Fact]
    public void Checker_does_not_modify_the_callers_inputs()
    {
        var x = TestUtil.RandD(3, 5);
        var before = x.ToArray<double>();
        GradCheck.Check(t => t[0] * t[0], [x]);
        Assert.Equal(before, x.ToArray<double>());
        Assert.Null(x.Grad);
    }
}
