using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.Ops.Recurrent;

public class LstmCellOpTests
{
    [Theory]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float32, 1e-6)]
    public void Forward_matches_pytorch(DType dtype, double tol)
    {
        // PyTorch 1.13 (float64): nn.LSTMCell(3, 2) with weight_ih = Det([8,3],4), weight_hh = Det([8,2],5),
        // bias_ih = Det([8],6), bias_hh = Det([8],7); x = Det([2,3],1), h = Det([2,2],2), c = Det([2,2],3).
        var (h1, c1) = Det([2, 3], 1, dtype: dtype).LstmCell(Det([2, 2], 2, dtype: dtype), Det([2, 2], 3, dtype: dtype),
            Det([8, 3], 4, dtype: dtype), Det([8, 2], 5, dtype: dtype), Det([8], 6, dtype: dtype), Det([8], 7, dtype: dtype));
        TestUtil.AssertShape(h1, 2, 2);
        TestUtil.AssertClose([0.1493571909854214, 0.07177834562737423, 0.0895031110654672, -0.007649782910263313], h1, tol);
        TestUtil.AssertClose([0.3388676304701204, 0.16933930869979036, 0.16874444525413979, -0.015352136344722989], c1, tol);
    }

    [Theory]
    [InlineData(RecurrentActivation.Tanh, true)]
    [InlineData(RecurrentActivation.Relu, true)]
    [InlineData(RecurrentActivation.Tanh, false)]
    public void Gradients_of_every_input(RecurrentActivation act, bool bias)
    {
        // x [3, 4], h, c [3, 2], W_ih [8, 4], W_hh [8, 2], b [8]; c is pushed away from 0 so ReLU's kink is not hit.
        var inputs = new List<Tensor> { R(1, 3, 4), R(2, 3, 2), (R(3, 3, 2).Detach().Abs() + 0.3).Detach().RequiresGrad_(), R(4, 8, 4), R(5, 8, 2) };
        if (bias) { inputs.Add(R(6, 8)); inputs.Add(R(7, 8)); }
        TestUtil.AssertGrad(a => LstmCellOp.Forward(a[0], a[1], a[2], a[3], a[4], bias ? a[5] : null, bias ? a[6] : null, act), inputs.ToArray());
    }

    [Theory]
    [InlineData(RecurrentActivation.Tanh, true)]
    [InlineData(RecurrentActivation.Relu, true)]
    [InlineData(RecurrentActivation.Tanh, false)]
    public void Sigmoid_candidate_gradients_of_every_input(RecurrentActivation act, bool bias)
    {
        // The Deep Learning book's LSTM (g = σ(z_g)); same operands as above.
        var inputs = new List<Tensor> { R(1, 3, 4), R(2, 3, 2), (R(3, 3, 2).Detach().Abs() + 0.3).Detach().RequiresGrad_(), R(4, 8, 4), R(5, 8, 2) };
        if (bias) { inputs.Add(R(6, 8)); inputs.Add(R(7, 8)); }
        TestUtil.AssertGrad(a => LstmCellOp.Forward(a[0], a[1], a[2], a[3], a[4], bias ? a[5] : null, bias ? a[6] : null, act,
            LstmCandidateActivation.Sigmoid), inputs.ToArray());
    }

    [Fact]
    public void Single_bias_gradients()
    {
        // One bias (b_ih only), the textbook cell; both candidate activations.
        foreach (var cand in new[] { LstmCandidateActivation.Tanh, LstmCandidateActivation.Sigmoid })
            TestUtil.AssertGrad(a => LstmCellOp.Forward(a[0], a[1], a[2], a[3], a[4], a[5], null, RecurrentActivation.Tanh, cand),
                R(1, 3, 4), R(2, 3, 2), R(3, 3, 2), R(4, 8, 4), R(5, 8, 2), R(6, 8));
    }

    [Fact]
    public void Sigmoid_candidate_forward_by_hand()
    {
        // H = 1, x = 1, h = 0, c = 2, W_ih = (0, ln 3, ln 3, −ln 3) for (i, f, g, o), W_hh = 0, no bias, so
        // z = (0, ln 3, ln 3, −ln 3): i = σ(0) = ½, f = σ(ln 3) = 3/(3+1) = ¾, o = σ(−ln 3) = ¼.
        //   σ candidate:    g = σ(ln 3) = ¾;                       c' = ¾·2 + ½·¾ = 1.875;  h' = ¼·tanh(1.875)
        //   tanh candidate: g = tanh(ln 3) = (3 − ⅓)/(3 + ⅓) = 0.8; c' = ¾·2 + ½·0.8 = 1.9;  h' = ¼·tanh(1.9)
        double l3 = Math.Log(3);
        var w = Tensor.FromArray([0, l3, l3, -l3], 4, 1);
        var x = Tensor.FromArray([1.0], 1, 1);
        var h = Tensor.Zeros([1, 1], DType.Float64);
        var c = Tensor.Full([1, 1], 2, DType.Float64);
        var wHh = Tensor.Zeros([4, 1], DType.Float64);
        var (hs, cs) = x.LstmCell(h, c, w, wHh, candidateActivation: LstmCandidateActivation.Sigmoid);
        Assert.Equal(1.875, cs.Item(), 14);
        Assert.Equal(0.25 * Math.Tanh(1.875), hs.Item(), 14);
        var (ht, ct) = x.LstmCell(h, c, w, wHh);
        Assert.Equal(1.9, ct.Item(), 14);
        Assert.Equal(0.25 * Math.Tanh(1.9), ht.Item(), 14);
    }

    [Fact]
    public void Shape_errors_name_the_op()
    {
        var e = Assert.Throws<ShapeMismatchException>(() =>
            Tensor.Zeros(2, 3).LstmCell(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), Tensor.Zeros(6, 3), Tensor.Zeros(8, 2)));
        Assert.Contains("LSTMCell", e.Message);
        var e2 = Assert.Throws<ShapeMismatchException>(() =>
            Tensor.Zeros(2, 3).LstmCell(Tensor.Zeros(3, 2), Tensor.Zeros(2, 2), Tensor.Zeros(8, 3), Tensor.Zeros(8, 2)));
        Assert.Contains("hx", e2.Message);
    }

    [Fact]
    public void No_grad_records_nothing()
    {
        using var _ = GradMode.NoGrad();
        var (h, c) = R(1, 2, 3).LstmCell(R(2, 2, 2), R(3, 2, 2), R(4, 8, 3), R(5, 8, 2));
        Assert.Null(h.GradFn);
        Assert.False(c.RequiresGrad);
    }
}
