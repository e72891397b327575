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
        var rnn = new RNNCell(3, 2, nonlinearity: "tanh", dtype: DType.Float64);
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
    public void State_shape_errors_name_the_module()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new GRUCell(3, 2).Forward(Tensor.Zeros(4, 3), Tensor.Zeros(4, 3)));
        Assert.Contains("GRUCell", e.Message);
    }
}
