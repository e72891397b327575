using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.Ops.Recurrent;

public class RnnCellOpTests
{
    [Theory]
    // PyTorch 1.13 (float64): nn.RNNCell(3, 2, nonlinearity) with weight_ih = Det([2,3],4), weight_hh = Det([2,2],5),
    // bias_ih = Det([2],6), bias_hh = Det([2],7); x = Det([2,3],1), h = Det([2,2],2).
    [InlineData(RecurrentActivation.Tanh, new[] { -0.6659707349444695, -0.13446573800326247, -0.28217943446714283, 0.09528448318041131 })]
    [InlineData(RecurrentActivation.Relu, new[] { 0.0, 0.0, 0.0, 0.09557443113600295 })]
    public void Forward_matches_pytorch(RecurrentActivation act, double[] expected)
    {
        var h1 = Det([2, 3], 1).RnnCell(Det([2, 2], 2), Det([2, 3], 4), Det([2, 2], 5), Det([2], 6), Det([2], 7), act);
        TestUtil.AssertClose(expected, h1, 1e-12);
    }

    [Theory]
    [InlineData(RecurrentActivation.Tanh)]
    [InlineData(RecurrentActivation.Relu)]
    public void Gradients_of_every_input(RecurrentActivation act)
    {
        // Seeds chosen so that no ReLU pre-activation lies within the finite-difference step of 0.
        TestUtil.AssertGrad(a => RnnCellOp.Forward(a[0], a[1], a[2], a[3], a[4], a[5], act),
            R(1, 3, 4), R(2, 3, 5), R(3, 5, 4), R(4, 5, 5), R(5, 5), R(6, 5));
    }

    [Fact]
    public void Mixed_dtypes_are_rejected()
    {
        Assert.Throws<DTypeMismatchException>(() =>
            Tensor.Zeros(2, 3).RnnCell(Tensor.Zeros([2, 2], DType.Float64), Tensor.Zeros(2, 3), Tensor.Zeros(2, 2)));
    }
}
