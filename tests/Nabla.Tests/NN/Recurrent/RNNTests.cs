using Nabla.NN;
using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.NN.Recurrent;

public class RNNTests
{
    [Fact]
    public void Time_major_tanh_two_layers_match_pytorch()
    {
        // PyTorch 1.13 (float64): nn.RNN(3, 2, num_layers=2, nonlinearity='tanh', batch_first=False), parameter k =
        // Det(shape, 10 + k); x = Det([4,2,3], 9), h0 = Det([2,2,2], 20).
        var rnn = new RNN(3, 2, numLayers: 2, batchFirst: false, dtype: DType.Float64);
        LSTMTests.SetDet(rnn);
        var r = rnn.Run(Det([4, 2, 3], 9), Det([2, 2, 2], 20));
        TestUtil.AssertShape(r.Output, 4, 2, 2);
        TestUtil.AssertClose([-0.6668232590044668, -0.7775105097035558, -0.43379620404998925, -0.5398821654265027, -0.31116106884771116,
            -0.19299709270066634, -0.7606172074019517, -0.6767889414439562, -0.8981039970469797, -0.8553549538970875, -0.8184516947957589,
            -0.6594591838142343, -0.35940418708866967, -0.14128715540896888, -0.3339102517928987, -0.20943515293324452], r.Output, 1e-12);
        TestUtil.AssertClose([0.6909400113409124, 0.6989401936463374, 0.5813438986562356, 0.7500954549977293, -0.35940418708866967,
            -0.14128715540896888, -0.3339102517928987, -0.20943515293324452], r.HN, 1e-12);
    }

    [Fact]
    public void Batch_first_relu_matches_pytorch()
    {
        // PyTorch 1.13 (float64): nn.RNN(3, 2, nonlinearity='relu', batch_first=True), parameter k = Det(shape, 10 + k) + 0.2;
        // x = Det([2,4,3], 8) + 0.5, h0 = |Det([2,2,2], 20)[:1]|.
        var rnn = new RNN(3, 2, nonlinearity: RecurrentActivation.Relu, dtype: DType.Float64);
        int k = 0;
        foreach (var p in rnn.Parameters()) p.CopyFrom_(Det(p.Shape.ToArray(), 10 + k++, 0.2));
        var (output, hn, _) = rnn.Run(Det([2, 4, 3], 8, 0.5), Det([2, 2, 2], 20).Narrow(0, 0, 1).Abs());
        TestUtil.AssertClose([0.0, 0.0, 0.11430267094209073, 0.3158463229156521, 0.20497966415351204, 0.5844798331829743, 0.02446728871660514,
            0.5454275536082926, 0.0, 0.1936578430432676, 0.0, 0.019361484279071806, 0.0, 0.10419319242225605, 0.1808029454157542, 0.432581570262043],
            output, 1e-12);
        TestUtil.AssertClose([0.02446728871660514, 0.5454275536082926, 0.1808029454157542, 0.432581570262043], hn, 1e-12);
        Assert.Equal("RNN(3, 2, num_layers=1, bias=True, batch_first=True, nonlinearity=relu)", rnn.ToString());
    }

    [Fact]
    public void Unknown_nonlinearity_is_rejected() =>
        Assert.Contains("sigmoid", Assert.Throws<ArgumentException>(() => RecurrentActivations.Parse("sigmoid")).Message);

    [Fact]
    public void Without_bias_there_are_two_parameters_per_layer()
    {
        var rnn = new RNN(3, 2, numLayers: 3, bias: false);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "weight_ih_l1", "weight_hh_l1", "weight_ih_l2", "weight_hh_l2"], rnn.NamedParameters().Select(p => p.Name));
        TestUtil.AssertShape(rnn.Run(Tensor.Randn(4, 7, 3)).HN, 3, 4, 2);
    }

    [Fact]
    public void Single_bias_rnn_counts_its_parameters_and_equals_a_zero_hidden_bias()
    {
        // RNN(3, 2, num_layers=2), H = 2: layer 0 = 2·3 + 2·2 + 2 = 12, layer 1 = 2·2 + 2·2 + 2 = 10 → 22 (two biases: 26).
        var one = new RNN(3, 2, numLayers: 2, dtype: DType.Float64, generator: new Generator(3), singleBias: true);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_l0", "weight_ih_l1", "weight_hh_l1", "bias_l1"], one.NamedParameters().Select(p => p.Name));
        Assert.Equal(22, one.ParameterCount());
        Assert.Equal(26, new RNN(3, 2, numLayers: 2).ParameterCount());
        // h_t = tanh(x_t·W_ihᵀ + h_{t−1}·W_hhᵀ + b) is PyTorch's layer with b_ih = b, b_hh = 0.
        var two = new RNN(3, 2, numLayers: 2, dtype: DType.Float64);
        for (int k = 0; k < 2; k++)
        {
            two.WeightIh(k).CopyFrom_(one.WeightIh(k));
            two.WeightHh(k).CopyFrom_(one.WeightHh(k));
            two.BiasIh(k)!.CopyFrom_(one.BiasIh(k)!);
            two.BiasHh(k)!.Fill_(0);
        }
        var x = Det([2, 4, 3], 9);
        TestUtil.AssertClose(two.Run(x).Output.ToDoubleArray(), one.Run(x).Output, 1e-14);
    }

    [Fact]
    public void Single_bias_rnn_parameter_gradients()
    {
        var rnn = new RNN(3, 2, numLayers: 2, batchFirst: false, dtype: DType.Float64, generator: new Generator(5), singleBias: true);
        var x = Det([4, 2, 3], 9);
        ModuleGradCheck.AssertParameterGrads(rnn, () => rnn.Run(x).Output);
    }
}
