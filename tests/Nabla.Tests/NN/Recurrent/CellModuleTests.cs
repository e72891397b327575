using Nabla.NN;
using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>RNNCell, LSTMCell, GRUCell: the per-step API, PyTorch's parameter names, and a textbook LSTM variant.</summary>
public class CellModuleTests
{
    [Fact]
    public void Parameter_names_follow_pytorch()
    {
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new LSTMCell(3, 2).NamedParameters().Select(p => p.Name));
        TestUtil.AssertShape(new GRUCell(3, 2).WeightIh, 6, 3);
        TestUtil.AssertShape(new RNNCell(3, 2, bias: false).WeightHh, 2, 2);
        Assert.Equal(2, new RNNCell(3, 2, bias: false).Parameters().Count());
    }

    [Fact]
    public void Lstm_cell_with_relu_cell_output_reproduces_a_hand_worked_pass()
    {
        // One unit, input size 1, hidden state h = ReLU(s)·q (s the cell state, q the output gate).
        // Gates (i, f, g, o): W_ih = [1, 0.5, 2, −1], W_hh = [0.5, −0.5, 1, 1], b_ih = [0, 0.5, 0, 0.5], b_hh = 0; x = 1, 0.5, −1.
        // Worked by hand (σ(z) = 1/(1+e^−z)):
        //   t=1: z = (1, 1, 2, −0.5): i = f = σ(1) = 0.731059, g = tanh 2 = 0.964028, q = σ(−0.5) = 0.377541;
        //        s = 0.731059·0.964028 = 0.704761, h = 0.704761·0.377541 = 0.266076
        //   t=2: z = (0.5 + 0.5h, 0.25 + 0.5 − 0.5h, 1 + h, −0.5 + 0.5 + h) = (0.633038, 0.616962, 1.266076, 0.266076):
        //        i = 0.653178, f = 0.649527, g = 0.852731, q = 0.566129; s = f·0.704761 + i·g = 1.014746, h = 0.574477
        //   t=3: z = (−0.712761, −0.287239, −1.425523, 2.074477): i = 0.328989, f = 0.428680, g = −0.890745,
        //        q = 0.888398; s = 0.428680·1.014746 − 0.328989·0.890745 = 0.141956, h = 0.126113
        var cell = new LSTMCell(1, 1, cellActivation: RecurrentActivation.Relu, dtype: DType.Float64);
        cell.WeightIh.CopyFrom_(Tensor.FromArray([1.0, 0.5, 2, -1], 4, 1));
        cell.WeightHh.CopyFrom_(Tensor.FromArray([0.5, -0.5, 1, 1], 4, 1));
        cell.BiasIh!.CopyFrom_(Tensor.FromArray([0.0, 0.5, 0, 0.5], 4));
        cell.BiasHh!.Fill_(0);
        (Tensor H, Tensor C)? state = null;
        double[] expectS = [0.704761, 1.014746, 0.141956], expectH = [0.266076, 0.574477, 0.126113];
        double[] xs = [1, 0.5, -1];
        for (int t = 0; t < 3; t++)
        {
            state = cell.Forward(Tensor.FromArray([xs[t]], 1, 1), state);
            Assert.Equal(expectS[t], state.Value.C.Item(), 5);
            Assert.Equal(expectH[t], state.Value.H.Item(), 5);
        }
    }

    [Fact]
    public void Cells_step_like_pytorch_and_accept_unbatched_input()
    {
        // Same numbers as the cell-op tests (PyTorch 1.13 nn.LSTMCell / nn.GRUCell / nn.RNNCell, Det inputs).
        var lstm = new LSTMCell(3, 2, dtype: DType.Float64);
        var gru = new GRUCell(3, 2, dtype: DType.Float64);
        var rnn = new RNNCell(3, 2, nonlinearity: RecurrentActivation.Tanh, dtype: DType.Float64);
        foreach (Module m in new Module[] { lstm, gru, rnn })
        {
            var ps = m.Parameters().ToArray();
            for (int k = 0; k < 4; k++) ps[k].CopyFrom_(Det(ps[k].Shape.ToArray(), 4 + k));
        }
        var x = Det([2, 3], 1);
        var (h, c) = lstm.Forward(x, (Det([2, 2], 2), Det([2, 2], 3)));
        TestUtil.AssertClose([0.1493571909854214, 0.07177834562737423, 0.0895031110654672, -0.007649782910263313], h, 1e-12);
        TestUtil.AssertClose([0.3388676304701204, 0.16933930869979036, 0.16874444525413979, -0.015352136344722989], c, 1e-12);
        TestUtil.AssertClose([0.5415494855912066, 0.352247316543868, 0.3645414300730715, 0.11173608046493877], gru.Forward(x, Det([2, 2], 2)), 1e-12);
        TestUtil.AssertClose([-0.6659707349444695, -0.13446573800326247, -0.28217943446714283, 0.09528448318041131], rnn.Forward(x, Det([2, 2], 2)), 1e-12);
        // unbatched: row 1 alone
        var (h1, _) = lstm.Forward(x.Select(0, 1), (Det([2, 2], 2).Select(0, 1), Det([2, 2], 3).Select(0, 1)));
        TestUtil.AssertShape(h1, 2);
        TestUtil.AssertClose([0.0895031110654672, -0.007649782910263313], h1, 1e-12);
        TestUtil.AssertShape(gru.Forward(x), 2, 2);   // zero state
    }

    [Fact]
    public void Deep_learning_book_lstm_cell_reproduces_workbook_q17_by_hand()
    {
        // Goodfellow et al. §10.10.1 with the Hildesheim workbook's Q17 numbers (input weight U, recurrent weight W, bias b;
        // one bias per gate, a σ input unit, h = ReLU(s)·q). Gate order (i, f, g, o) = (their input gate g, forget f,
        // input unit, output q): W_ih = (U^g, U^f, U, U^q) = (0.3, 0.25, 0.01, 0.4), W_hh = (W^g, W^f, W, W^q) =
        // (−0.3, 0.3, 0.1, 0.3), b = (0.1, 0, 1, 0.2); h₀ = s₀ = 0; x = 0.7, 0.5.
        //   t=1: z = (0.1 + 0.21, 0.175, 1 + 0.007, 0.2 + 0.28) = (0.31, 0.175, 1.007, 0.48)
        //        i = σ(0.31) = 0.576885, f = σ(0.175) = 0.543639, g = σ(1.007) = 0.732433, q = σ(0.48) = 0.617748
        //        s = f·0 + i·g = 0.576885·0.732433 = 0.422530, h = ReLU(s)·q = 0.422530·0.617748 = 0.261017
        //   t=2: z = (0.1 + 0.15 − 0.3h, 0.125 + 0.3h, 1 + 0.005 + 0.1h, 0.2 + 0.2 + 0.3h) = (0.171695, 0.203305, 1.031102, 0.478305)
        //        i = 0.542819, f = 0.550652, g = 0.737129, q = 0.617348
        //        s = 0.550652·0.422530 + 0.542819·0.737129 = 0.232667 + 0.400127 = 0.632794, h = 0.632794·0.617348 = 0.390654
        var cell = new LSTMCell(1, 1, cellActivation: RecurrentActivation.Relu, dtype: DType.Float64, singleBias: true,
            candidateActivation: LstmCandidateActivation.Sigmoid);
        Assert.Equal(["weight_ih", "weight_hh", "bias"], cell.NamedParameters().Select(p => p.Name));
        cell.WeightIh.CopyFrom_(Tensor.FromArray([0.3, 0.25, 0.01, 0.4], 4, 1));
        cell.WeightHh.CopyFrom_(Tensor.FromArray([-0.3, 0.3, 0.1, 0.3], 4, 1));
        cell.BiasIh!.CopyFrom_(Tensor.FromArray([0.1, 0, 1, 0.2], 4));
        var (h1, s1) = cell.Forward(Tensor.FromArray([0.7], 1, 1), null);
        Assert.Equal(0.422530, s1.Item(), 6);
        Assert.Equal(0.261017, h1.Item(), 6);
        var (h2, s2) = cell.Forward(Tensor.FromArray([0.5], 1, 1), (h1, s1));
        Assert.Equal(0.632794, s2.Item(), 6);
        Assert.Equal(0.390654, h2.Item(), 6);
        Assert.Equal("LSTMCell(1, 1, bias=True, single_bias=True, cell_activation=relu, candidate_activation=sigmoid)", cell.ToString());
    }

    [Fact]
    public void Single_bias_cells_count_and_name_their_parameters()
    {
        // I = 3, H = 2; G = 1 (RNN), 4 (LSTM), 3 (GRU): W_ih G·H×I + W_hh G·H×H + one bias G·H (two biases: + G·H more).
        //   RNNCell:  2·3 + 2·2 + 2 = 12   (PyTorch's two-bias cell: 14)
        //   LSTMCell: 8·3 + 8·2 + 8 = 48   (56)
        //   GRUCell:  6·3 + 6·2 + 6 = 36   (42)
        RNNCellBase[] single = [new RNNCell(3, 2, singleBias: true), new LSTMCell(3, 2, singleBias: true), new GRUCell(3, 2, singleBias: true)];
        RNNCellBase[] pair = [new RNNCell(3, 2), new LSTMCell(3, 2), new GRUCell(3, 2)];
        Assert.Equal([12L, 48L, 36L], single.Select(m => m.ParameterCount()));
        Assert.Equal([14L, 56L, 42L], pair.Select(m => m.ParameterCount()));
        foreach (var m in single)
        {
            Assert.Equal(["weight_ih", "weight_hh", "bias"], m.NamedParameters().Select(p => p.Name));
            Assert.True(m.SingleBias);
            Assert.Null(m.BiasHh);
            Assert.Same(m.NamedParameters().Single(p => p.Name == "bias").Tensor, m.BiasIh);
            Assert.InRange(m.BiasIh!.ToDoubleArray().Max(v => Math.Abs(v)), 1e-6, 1 / Math.Sqrt(2));   // U(−1/√H, 1/√H) like the weights
        }
        Assert.Contains("singleBias", Assert.Throws<ArgumentException>(() => new GRUCell(3, 2, bias: false, singleBias: true)).Message);
    }

    [Fact]
    public void Single_bias_cells_equal_two_bias_cells_with_a_zero_hidden_bias()
    {
        // act(x·W_ihᵀ + h·W_hhᵀ + b) is PyTorch's cell with b_ih = b, b_hh = 0 (for the GRU: b_hn = 0 inside r⊙(·)).
        var x = Det([2, 3], 1);
        var h = Det([2, 2], 2);
        var c = Det([2, 2], 3);
        foreach (var (one, two) in new (RNNCellBase, RNNCellBase)[]
        {
            (new RNNCell(3, 2, dtype: DType.Float64, singleBias: true), new RNNCell(3, 2, dtype: DType.Float64)),
            (new LSTMCell(3, 2, dtype: DType.Float64, singleBias: true), new LSTMCell(3, 2, dtype: DType.Float64)),
            (new GRUCell(3, 2, dtype: DType.Float64, singleBias: true), new GRUCell(3, 2, dtype: DType.Float64)),
        })
        {
            int g = one.WeightIh.Size(0);
            one.WeightIh.CopyFrom_(Det([g, 3], 4));
            one.WeightHh.CopyFrom_(Det([g, 2], 5));
            one.BiasIh!.CopyFrom_(Det([g], 6));
            two.WeightIh.CopyFrom_(Det([g, 3], 4));
            two.WeightHh.CopyFrom_(Det([g, 2], 5));
            two.BiasIh!.CopyFrom_(Det([g], 6));
            two.BiasHh!.Fill_(0);
            Tensor Step(RNNCellBase m) => m switch
            {
                RNNCell r => r.Forward(x, h),
                GRUCell u => u.Forward(x, h),
                LSTMCell l => Tensor.Cat([l.Forward(x, (h, c)).H, l.Forward(x, (h, c)).C]),
                _ => throw new InvalidOperationException(),
            };
            TestUtil.AssertClose(Step(two).ToDoubleArray(), Step(one), 1e-14);
        }
    }

    [Fact]
    public void Single_bias_and_sigmoid_candidate_cells_have_correct_parameter_gradients()
    {
        var x = Det([2, 3], 1);
        var h = Det([2, 2], 2);
        var c = Det([2, 2], 3);
        var rnn = new RNNCell(3, 2, dtype: DType.Float64, generator: new Generator(1), singleBias: true);
        var gru = new GRUCell(3, 2, dtype: DType.Float64, generator: new Generator(2), singleBias: true);
        var lstm = new LSTMCell(3, 2, dtype: DType.Float64, generator: new Generator(3), singleBias: true, candidateActivation: LstmCandidateActivation.Sigmoid);
        var lstm2 = new LSTMCell(3, 2, dtype: DType.Float64, generator: new Generator(4), candidateActivation: LstmCandidateActivation.Sigmoid);
        ModuleGradCheck.AssertParameterGrads(rnn, () => rnn.Forward(x, h));
        ModuleGradCheck.AssertParameterGrads(gru, () => gru.Forward(x, h));
        foreach (var l in new[] { lstm, lstm2 })
            ModuleGradCheck.AssertParameterGrads(l, () =>
            {
                var (h1, c1) = l.Forward(x, (h, c));
                return Tensor.Cat([h1, c1]);
            });
    }

    [Fact]
    public void State_shape_errors_name_the_module()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new GRUCell(3, 2).Forward(Tensor.Zeros(4, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("GRUCell", e.Message);
    }
}
