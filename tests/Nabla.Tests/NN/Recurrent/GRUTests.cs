using Nabla.NN;
using static Nabla.Tests.Ops.Recurrent.RecurrentTestData;

namespace Nabla.Tests.NN.Recurrent;

public class GRUTests
{
    [Fact]
    public void Two_layers_match_pytorch()
    {
        // PyTorch 1.13 (float64): nn.GRU(3, 2, num_layers=2, batch_first=True), parameter k = Det(shape, 10 + k);
        // x = Det([2,4,3], 8), h0 = Det([2,2,2], 20).
        var gru = new GRU(3, 2, numLayers: 2, dtype: DType.Float64);
        LSTMTests.SetDet(gru);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            gru.NamedParameters().Select(p => p.Name));
        var (output, hn, cn) = gru.Run(Det([2, 4, 3], 8), Det([2, 2, 2], 20));
        TestUtil.AssertClose([-0.5291451380699821, -0.5398603497412726, -0.6680691378460122, -0.6589337995952733, -0.7148362108044524,
            -0.6962613844470323, -0.7312824505903932, -0.7076492192099654, -0.5414944974628486, -0.5678174648245508, -0.6587633301113189,
            -0.6573117670617192, -0.7082241688939616, -0.6991554329862518, -0.7311167611297884, -0.7170471927969864], output, 1e-12);
        TestUtil.AssertClose([0.4879950426524228, 0.6911075648045316, 0.6432450852968526, 0.5670107278888078, -0.7312824505903932,
            -0.7076492192099654, -0.7311167611297884, -0.7170471927969864], hn, 1e-12);
        Assert.Null(cn);
        TestUtil.AssertShape(gru.WeightIh(1), 6, 2);
    }

    [Fact]
    public void Gradients_of_input_and_initial_state()
    {
        var gru = new GRU(3, 2, numLayers: 2, batchFirst: false, dtype: DType.Float64, generator: new Generator(4));
        TestUtil.AssertGrad(a =>
        {
            var r = gru.Run(a[0], a[1]);
            return Tensor.Cat([r.Output.Reshape(-1), r.HN.Reshape(-1)]);
        }, R(1, 3, 2, 3), R(2, 2, 2, 2));
    }

    [Fact]
    public void C0_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new GRU(3, 2).Run(Tensor.Zeros(1, 2, 3), null, Tensor.Zeros(1, 1, 2)));
        Assert.Contains("GRU", e.Message);
    }

    [Fact]
    public void Single_bias_gru_counts_its_parameters_and_equals_a_zero_hidden_bias()
    {
        // GRU(4, 3), G·H = 9: 9·4 + 9·3 + 9 = 72 (PyTorch's two biases: 81).
        var one = new GRU(4, 3, dtype: DType.Float64, generator: new Generator(6), singleBias: true);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_l0"], one.NamedParameters().Select(p => p.Name));
        Assert.Equal(72, one.ParameterCount());
        Assert.Equal(81, new GRU(4, 3).ParameterCount());
        // One bias on the input side = PyTorch's GRU with b_hh = 0 (so n = tanh(x·W_inᵀ + b_n + r⊙(h·W_hnᵀ))).
        var two = new GRU(4, 3, dtype: DType.Float64);
        two.WeightIh(0).CopyFrom_(one.WeightIh(0));
        two.WeightHh(0).CopyFrom_(one.WeightHh(0));
        two.BiasIh(0)!.CopyFrom_(one.BiasIh(0)!);
        two.BiasHh(0)!.Fill_(0);
        var x = Det([2, 5, 4], 3);
        TestUtil.AssertClose(two.Run(x).Output.ToDoubleArray(), one.Run(x).Output, 1e-14);
    }

    [Fact]
    public void Single_bias_gru_parameter_gradients()
    {
        var gru = new GRU(3, 2, numLayers: 2, dtype: DType.Float64, generator: new Generator(7), singleBias: true);
        var x = Det([2, 3, 3], 4);
        ModuleGradCheck.AssertParameterGrads(gru, () => gru.Run(x).Output);
    }
}
