using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.Ops.Recurrent;

/// <summary>The sequence ops (LstmLayerOp, GruLayerOp, RnnLayerOp): BPTT gradients by finite differences in both
/// layouts, and the forward against a loop of the independently tested cell ops.</summary>
public class RecurrentLayerOpTests
{
    private const int N = 2, T = 3, H = 2;

    private static Tensor Proj(ulong seed, int g, bool batchFirst) => batchFirst ? R(seed, N, T, g * H) : R(seed, T, N, g * H);

    [Theory]
    [InlineData(true, RecurrentActivation.Tanh)]
    [InlineData(false, RecurrentActivation.Tanh)]
    [InlineData(true, RecurrentActivation.Relu)]
    public void Lstm_layer_gradients(bool batchFirst, RecurrentActivation act)
    {
        // Relu case: c stays positive when every gate input is positive and g's pre-activation is pushed up.
        Tensor a = act == RecurrentActivation.Relu ? (Proj(1, 4, batchFirst).Detach().Abs() + 0.2).Detach().RequiresGrad_() : Proj(1, 4, batchFirst);
        Tensor c0 = act == RecurrentActivation.Relu ? (R(3, N, H).Detach().Abs() + 0.2).Detach().RequiresGrad_() : R(3, N, H);
        TestUtil.AssertGrad(x => LstmLayerOp.Forward(x[0], x[1], x[2], x[3], x[4], batchFirst, act),
            a, R(2, N, H), c0, R(4, 4 * H, H), R(5, 4 * H));
    }

    [Theory]
    [InlineData(true, RecurrentActivation.Tanh)]
    [InlineData(false, RecurrentActivation.Tanh)]
    [InlineData(true, RecurrentActivation.Relu)]
    public void Lstm_layer_gradients_with_a_sigmoid_candidate(bool batchFirst, RecurrentActivation act)
    {
        // g = σ(z_g) > 0, so with i > 0 and c₀ > 0 the cell stays positive: ReLU's kink is not hit.
        Tensor c0 = act == RecurrentActivation.Relu ? (R(3, N, H).Detach().Abs() + 0.2).Detach().RequiresGrad_() : R(3, N, H);
        TestUtil.AssertGrad(x => LstmLayerOp.Forward(x[0], x[1], x[2], x[3], x[4], batchFirst, act, LstmCandidateActivation.Sigmoid),
            Proj(1, 4, batchFirst), R(2, N, H), c0, R(4, 4 * H, H), R(5, 4 * H));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sigmoid_candidate_layer_equals_a_loop_of_cells(bool batchFirst)
    {
        int td = batchFirst ? 1 : 0;
        var h0 = Det([N, H], 2);
        var c0 = Det([N, H], 3);
        var a4 = Det(batchFirst ? [N, T, 4 * H] : [T, N, 4 * H], 1);
        var (hs, cs) = a4.LstmLayer(h0, c0, Det([4 * H, H], 5), Det([4 * H], 6), batchFirst, candidateActivation: LstmCandidateActivation.Sigmoid);
        var (tanhH, _) = a4.LstmLayer(h0, c0, Det([4 * H, H], 5), Det([4 * H], 6), batchFirst);
        Tensor h = h0, c = c0;
        for (int t = 0; t < T; t++)
        {
            (h, c) = a4.Select(td, t).LstmCell(h, c, Tensor.Eye(4 * H, DType.Float64), Det([4 * H, H], 5), null, Det([4 * H], 6),
                candidateActivation: LstmCandidateActivation.Sigmoid);
            TestUtil.AssertClose(h.ToDoubleArray(), hs.Select(td, t), 1e-12);
            TestUtil.AssertClose(c.ToDoubleArray(), cs.Select(td, t), 1e-12);
        }
        Assert.True(hs.ToDoubleArray().Zip(tanhH.ToDoubleArray()).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);   // the option is live
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gru_layer_gradients(bool batchFirst) =>
        TestUtil.AssertGrad(x => GruLayerOp.Forward(x[0], x[1], x[2], x[3], batchFirst), Proj(1, 3, batchFirst), R(2, N, H), R(4, 3 * H, H), R(5, 3 * H));

    [Theory]
    [InlineData(true, RecurrentActivation.Tanh)]
    [InlineData(false, RecurrentActivation.Tanh)]
    [InlineData(true, RecurrentActivation.Relu)]
    public void Rnn_layer_gradients(bool batchFirst, RecurrentActivation act) =>
        TestUtil.AssertGrad(x => RnnLayerOp.Forward(x[0], x[1], x[2], x[3], batchFirst, act), Proj(11, 1, batchFirst), R(12, N, H), R(14, H, H), R(15, H));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Layers_equal_a_loop_of_cells(bool batchFirst)
    {
        // The layer ops take A = x·W_ihᵀ + b_ih; the cells take x, so feed the cells x = A with W_ih = I and b_ih = 0.
        int td = batchFirst ? 1 : 0;
        Tensor Step(Tensor s, int t) => s.Select(td, t);
        var h0 = Det([N, H], 2);
        var c0 = Det([N, H], 3);
        var a4 = Det(batchFirst ? [N, T, 4 * H] : [T, N, 4 * H], 1);
        var (hs, cs) = a4.LstmLayer(h0, c0, Det([4 * H, H], 5), Det([4 * H], 6), batchFirst);
        var a3 = a4.Narrow(2, 0, 3 * H).Contiguous();
        var gru = a3.GruLayer(h0, Det([3 * H, H], 5), Det([3 * H], 6), batchFirst);
        var a1 = a4.Narrow(2, 0, H).Contiguous();
        var rnn = a1.RnnLayer(h0, Det([H, H], 5), Det([H], 6), batchFirst);
        Tensor h = h0, c = c0, hg = h0, hr = h0;
        for (int t = 0; t < T; t++)
        {
            (h, c) = Step(a4, t).LstmCell(h, c, Tensor.Eye(4 * H, DType.Float64), Det([4 * H, H], 5), null, Det([4 * H], 6));
            hg = Step(a3, t).GruCell(hg, Tensor.Eye(3 * H, DType.Float64), Det([3 * H, H], 5), null, Det([3 * H], 6));
            hr = Step(a1, t).RnnCell(hr, Tensor.Eye(H, DType.Float64), Det([H, H], 5), null, Det([H], 6));
            TestUtil.AssertClose(h.ToDoubleArray(), Step(hs, t), 1e-12);
            TestUtil.AssertClose(c.ToDoubleArray(), Step(cs, t), 1e-12);
            TestUtil.AssertClose(hg.ToDoubleArray(), Step(gru, t), 1e-12);
            TestUtil.AssertClose(hr.ToDoubleArray(), Step(rnn, t), 1e-12);
        }
    }

    [Fact]
    public void Projection_width_error_names_the_op()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3, 7).LstmLayer(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), Tensor.Zeros(8, 2), null, true));
        Assert.Contains("LSTM", e.Message);
    }
}
