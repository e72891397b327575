using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.Ops.Recurrent;

public class GruCellOpTests
{
    [Theory]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float32, 1e-6)]
    public void Forward_matches_pytorch(DType dtype, double tol)
    {
        // PyTorch 1.13 (float64): nn.GRUCell(3, 2), weight_ih = Det([6,3],4), weight_hh = Det([6,2],5),
        // bias_ih = Det([6],6), bias_hh = Det([6],7); x = Det([2,3],1), h = Det([2,2],2).
        var h1 = Det([2, 3], 1, dtype: dtype).GruCell(Det([2, 2], 2, dtype: dtype), Det([6, 3], 4, dtype: dtype), Det([6, 2], 5, dtype: dtype),
            Det([6], 6, dtype: dtype), Det([6], 7, dtype: dtype));
        TestUtil.AssertClose([0.5415494855912066, 0.352247316543868, 0.3645414300730715, 0.11173608046493877], h1, tol);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_of_every_input(bool bias)
    {
        var inputs = new List<Tensor> { R(1, 3, 4), R(2, 3, 2), R(4, 6, 4), R(5, 6, 2) };
        if (bias) { inputs.Add(R(6, 6)); inputs.Add(R(7, 6)); }
        TestUtil.AssertGrad(a => GruCellOp.Forward(a[0], a[1], a[2], a[3], bias ? a[4] : null, bias ? a[5] : null), inputs.ToArray());
    }

    [Fact]
    public void Weight_shape_error_names_the_op()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3).GruCell(Tensor.Zeros(2, 2), Tensor.Zeros(6, 4), Tensor.Zeros(6, 2)));
        Assert.Contains("GRUCell", e.Message);
    }
}
