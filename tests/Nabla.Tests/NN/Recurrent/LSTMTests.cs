using Nabla.NN;
using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.NN.Recurrent;

public class LSTMTests
{
    /// <summary>Parameter k (in registration order) = Det(shape, 10 + k), as in the PyTorch script.</summary>
    internal static void SetDet(Module m)
    {
        int k = 0;
        foreach (var p in m.Parameters()) p.CopyFrom_(Det(p.Shape.ToArray(), 10 + k++, dtype: p.DType));
    }

    [Fact]
    public void Parameter_names_and_shapes_follow_pytorch()
    {
        var lstm = new LSTM(3, 5, numLayers: 2);
        var names = lstm.NamedParameters().Select(p => $"{p.Name}:{string.Join("x", p.Tensor.Shape.ToArray())}");
        Assert.Equal(["weight_ih_l0:20x3", "weight_hh_l0:20x5", "bias_ih_l0:20", "bias_hh_l0:20",
                      "weight_ih_l1:20x5", "weight_hh_l1:20x5", "bias_ih_l1:20", "bias_hh_l1:20"], names);
        Assert.True(lstm.BatchFirst);   // this library's default (PyTorch's is false)
    }

    [Fact]
    public void Init_is_uniform_within_one_over_sqrt_hidden()
    {
        var lstm = new LSTM(4, 16, generator: new Generator(3));
        var all = lstm.Parameters().SelectMany(p => p.ToDoubleArray()).ToArray();
        Assert.All(all, v => Assert.InRange(v, -0.25, 0.25));
        Assert.True(all.Max() > 0.2 && all.Min() < -0.2);   // spread over the whole range
    }

    [Fact]
    public void Two_layers_match_pytorch()
    {
        // PyTorch 1.13 (float64): nn.LSTM(3, 2, num_layers=2, batch_first=True), parameter k = Det(shape, 10 + k);
        // x = Det([2,4,3], 8), h0 = Det([2,2,2], 20), c0 = Det([2,2,2], 21).
        var lstm = new LSTM(3, 2, numLayers: 2, dtype: DType.Float64);
        SetDet(lstm);
        var r = lstm.Run(Det([2, 4, 3], 8), Det([2, 2, 2], 20), Det([2, 2, 2], 21));
        TestUtil.AssertShape(r.Output, 2, 4, 2);
        TestUtil.AssertClose([-0.17994035834805056, -0.17020539776299368, -0.17370983769733767, -0.1737625360690591, -0.19086620547532315,
            -0.19840973890699146, -0.1964513124948256, -0.2064080499170901, -0.1595543755538938, -0.1781578894303806, -0.15825795353146646,
            -0.16034293477777595, -0.16740422787243425, -0.16613464583420945, -0.18434203015046072, -0.1892569221146868], r.Output, 1e-12);
        TestUtil.AssertClose([0.5369273835992485, 0.536078156133057, 0.4783863144794318, 0.4613049948877547, -0.1964513124948256,
            -0.2064080499170901, -0.18434203015046072, -0.1892569221146868], r.HN, 1e-12);
        TestUtil.AssertClose([0.8434730687632361, 1.218061026212613, 0.7671703055962056, 0.9834804297244285, -0.5223715496774318,
            -0.38005189709645126, -0.4739384461433404, -0.34676296078788665], r.CN!, 1e-12);
        TestUtil.AssertShape(r.CellStates!, 2, 4, 2);
        TestUtil.AssertClose(r.CN!.Select(0, 1).ToDoubleArray(), r.CellStates!.Select(1, 3), 0);
    }

    [Fact]
    public void Time_major_equals_batch_first()
    {
        var a = new LSTM(3, 4, numLayers: 2, dtype: DType.Float64, generator: new Generator(1));
        var b = new LSTM(3, 4, numLayers: 2, batchFirst: false, dtype: DType.Float64);
        b.LoadStateDict(a.StateDict());
        var x = Det([2, 5, 3], 1);
        var ra = a.Run(x);
        var rb = b.Run(x.Transpose(0, 1).Contiguous());
        TestUtil.AssertClose(ra.Output.ToDoubleArray(), rb.Output.Transpose(0, 1), 1e-12);
        TestUtil.AssertClose(ra.HN.ToDoubleArray(), rb.HN, 1e-12);
        TestUtil.AssertClose(ra.CN!.ToDoubleArray(), rb.CN!, 1e-12);
    }

    [Fact]
    public void State_carries_across_calls()
    {
        // Running 6 steps at once equals running 2 + 4 steps with (h_n, c_n) handed over.
        var lstm = new LSTM(3, 4, numLayers: 2, dtype: DType.Float64, generator: new Generator(2));
        var x = Det([2, 6, 3], 4);
        var full = lstm.Run(x);
        var (o1, h1, c1) = lstm.Run(x.Narrow(1, 0, 2));
        var (o2, h2, c2) = lstm.Run(x.Narrow(1, 2, 4), h1, c1);
        TestUtil.AssertClose(full.Output.Narrow(1, 2, 4).ToDoubleArray(), o2, 1e-12);
        TestUtil.AssertClose(full.HN.ToDoubleArray(), h2, 1e-12);
        TestUtil.AssertClose(full.CN!.ToDoubleArray(), c2!, 1e-12);
        TestUtil.AssertClose(full.Output.Narrow(1, 0, 2).ToDoubleArray(), o1, 1e-12);
    }

    [Fact]
    public void Gradients_through_two_layers_and_initial_states()
    {
        var lstm = new LSTM(3, 2, numLayers: 2, dtype: DType.Float64, generator: new Generator(5));
        var ps = lstm.Parameters().ToArray();
        TestUtil.AssertGrad(a =>
        {
            var r = lstm.Run(a[0], a[1], a[2]);
            return Tensor.Cat([r.Output.Reshape(-1), r.HN.Reshape(-1), r.CN!.Reshape(-1)]);
        }, R(1, 2, 3, 3), R(2, 2, 2, 2), R(3, 2, 2, 2));
    }

    [Fact]
    public void Parameter_gradients_equal_those_of_a_loop_of_cells()
    {
        // The cell op is gradient-checked on its own; the module's BPTT must give the same parameter gradients.
        var lstm = new LSTM(3, 2, dtype: DType.Float64, generator: new Generator(6));
        var x = Det([2, 4, 3], 6);
        var v = Det([2, 4, 2], 9);
        (lstm.Run(x).Output * v).Sum().Backward();
        var w = lstm.Parameters().Select(p => p.Detach().Clone().RequiresGrad_()).ToArray();
        Tensor h = Tensor.Zeros([2, 2], DType.Float64), c = h, loss = Tensor.Scalar(0, DType.Float64);
        for (int t = 0; t < 4; t++)
        {
            (h, c) = x.Select(1, t).LstmCell(h, c, w[0], w[1], w[2], w[3]);
            loss = loss + (h * v.Select(1, t)).Sum();
        }
        loss.Backward();
        var ps = lstm.Parameters().ToArray();
        for (int k = 0; k < 4; k++) TestUtil.AssertClose(w[k].Grad!.ToDoubleArray(), ps[k].Grad!, 1e-12);
    }

    [Fact]
    public void Relu_cell_output_layer_matches_the_hand_worked_cell_sequence()
    {
        // The 1-unit example worked by hand in CellModuleTests (h = ReLU(s)·q): the layer gives the same h_t, s_t.
        var lstm = new LSTM(1, 1, cellActivation: RecurrentActivation.Relu, dtype: DType.Float64);
        lstm.WeightIh(0).CopyFrom_(Tensor.FromArray([1.0, 0.5, 2, -1], 4, 1));
        lstm.WeightHh(0).CopyFrom_(Tensor.FromArray([0.5, -0.5, 1, 1], 4, 1));
        lstm.BiasIh(0)!.CopyFrom_(Tensor.FromArray([0.0, 0.5, 0, 0.5], 4));
        lstm.BiasHh(0)!.Fill_(0);
        var r = lstm.Run(Tensor.FromArray([1.0, 0.5, -1], 1, 3, 1));
        TestUtil.AssertClose([0.266076, 0.574477, 0.126113], r.Output, 2e-6);
        TestUtil.AssertClose([0.704761, 1.014746, 0.141956], r.CellStates!, 2e-6);
        Assert.Contains("cell_activation=relu", lstm.ToString());
    }

    [Fact]
    public void Learns_the_sign_of_a_running_sum_with_embedding_and_adam()
    {
        // Tokens 0..3 stand for −2, −1, +1, +2; the label is whether their sum over 6 steps is positive. An
        // Embedding → LSTM → Linear model trained by Adam must fit it well past chance (loss ln 2 ≈ 0.69).
        var g = new Generator(11);
        var emb = new Embedding(4, 4, generator: g);
        var lstm = new LSTM(4, 12, generator: g);
        var fc = new Linear(12, 2, generator: g);
        var opt = new Nabla.Optim.Adam(emb.Parameters().Concat(lstm.Parameters()).Concat(fc.Parameters()), new Nabla.Optim.AdamOptions(LearningRate: 0.02));
        var tokens = Tensor.RandInt(0, 4, [256, 6], g);
        int[] value = [-2, -1, 1, 2];
        var tk = tokens.ToArray<int>();
        var labels = Tensor.FromArray(Enumerable.Range(0, 256).Select(n => Enumerable.Range(0, 6).Sum(t => value[tk[n * 6 + t]]) > 0 ? 1 : 0).ToArray(), 256);
        double loss = 0;
        for (int step = 0; step < 150; step++)
        {
            opt.ZeroGrad();
            var l = fc.Forward(lstm.Run(emb.Forward(tokens)).HN.Select(0, -1)).CrossEntropy(labels);
            l.Backward();
            opt.Step();
            loss = l.Item();
        }
        Assert.True(loss < 0.15, $"final loss {loss}");
    }

    [Fact]
    public void Unbatched_input_and_errors()
    {
        var lstm = new LSTM(3, 4, numLayers: 2);
        var r = lstm.Run(Tensor.Randn(5, 3));
        TestUtil.AssertShape(r.Output, 5, 4);
        TestUtil.AssertShape(r.HN, 2, 4);
        var e = Assert.Throws<ShapeMismatchException>(() => lstm.Run(Tensor.Randn(2, 5, 7)));
        Assert.Contains("LSTM", e.Message);
        Assert.Throws<ShapeMismatchException>(() => lstm.Run(Tensor.Randn(2, 5, 3), Tensor.Zeros(1, 2, 4)));
        Assert.Throws<ArgumentException>(() => new LSTM(0, 4));
    }

    [Fact]
    public void Forward_returns_output_and_prints_hyper_parameters()
    {
        var lstm = new LSTM(3, 4, numLayers: 2);
        TestUtil.AssertShape(lstm.Forward(Tensor.Randn(2, 5, 3)), 2, 5, 4);
        Assert.Equal("LSTM(3, 4, num_layers=2, bias=True, batch_first=True)", lstm.ToString());
    }

    [Fact]
    public void Dropout_between_layers_only_in_training()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, dropout: 0.5, dtype: DType.Float64, generator: new Generator(7));
        var x = Det([2, 5, 3], 1);
        var train = lstm.Run(x).Output.ToDoubleArray();
        lstm.Eval();
        var e1 = lstm.Run(x).Output.ToDoubleArray();
        var e2 = lstm.Run(x).Output.ToDoubleArray();
        Assert.Equal(e1, e2);
        Assert.NotEqual(e1, train);
    }

    [Fact]
    public void Single_bias_layers_count_and_name_their_parameters()
    {
        // LSTM(3, 5, num_layers=2), G·H = 20: layer 0 = 20·3 + 20·5 + 20 = 180, layer 1 = 20·5 + 20·5 + 20 = 220 → 400
        // (PyTorch's two biases per layer: 440).
        var lstm = new LSTM(3, 5, numLayers: 2, singleBias: true);
        var names = lstm.NamedParameters().Select(p => $"{p.Name}:{string.Join("x", p.Tensor.Shape.ToArray())}");
        Assert.Equal(["weight_ih_l0:20x3", "weight_hh_l0:20x5", "bias_l0:20", "weight_ih_l1:20x5", "weight_hh_l1:20x5", "bias_l1:20"], names);
        Assert.Equal(400, lstm.ParameterCount());
        Assert.Equal(440, new LSTM(3, 5, numLayers: 2).ParameterCount());
        Assert.Null(lstm.BiasHh(1));
        Assert.Same(lstm.NamedParameters().Single(p => p.Name == "bias_l1").Tensor, lstm.BiasIh(1));
        Assert.Equal("LSTM(3, 5, num_layers=2, bias=True, batch_first=True, single_bias=True)", lstm.ToString());
        Assert.Throws<ArgumentException>(() => new LSTM(3, 5, bias: false, singleBias: true));
    }

    [Fact]
    public void Sigmoid_candidate_single_bias_layer_equals_a_loop_of_cells()
    {
        // The Deep Learning book's LSTM as a layer (σ input unit, one bias) against the same cell stepped by hand.
        var lstm = new LSTM(3, 2, dtype: DType.Float64, generator: new Generator(8), singleBias: true, candidateActivation: LstmCandidateActivation.Sigmoid);
        var cell = new LSTMCell(3, 2, dtype: DType.Float64, singleBias: true, candidateActivation: LstmCandidateActivation.Sigmoid);
        cell.LoadStateDict(new Dictionary<string, Tensor> { ["weight_ih"] = lstm.WeightIh(0), ["weight_hh"] = lstm.WeightHh(0), ["bias"] = lstm.BiasIh(0)! });
        var x = Det([2, 4, 3], 6);
        var r = lstm.Run(x);
        (Tensor H, Tensor C)? state = null;
        for (int t = 0; t < 4; t++)
        {
            state = cell.Forward(x.Select(1, t), state);
            TestUtil.AssertClose(state.Value.H.ToDoubleArray(), r.Output.Select(1, t), 1e-12);
            TestUtil.AssertClose(state.Value.C.ToDoubleArray(), r.CellStates!.Select(1, t), 1e-12);
        }
        Assert.EndsWith("candidate_activation=sigmoid)", lstm.ToString());
    }

    [Fact]
    public void Sigmoid_candidate_single_bias_parameter_gradients_through_two_layers()
    {
        var lstm = new LSTM(2, 2, numLayers: 2, dtype: DType.Float64, generator: new Generator(9), singleBias: true,
            candidateActivation: LstmCandidateActivation.Sigmoid);
        var x = Det([2, 3, 2], 7);
        ModuleGradCheck.AssertParameterGrads(lstm, () =>
        {
            var r = lstm.Run(x);
            return Tensor.Cat([r.Output.Reshape(-1), r.CN!.Reshape(-1)]);
        });
        TestUtil.AssertGrad(a => lstm.Run(a[0], a[1], a[2]).Output, R(1, 2, 3, 2), R(2, 2, 2, 2), R(3, 2, 2, 2));
    }
}
