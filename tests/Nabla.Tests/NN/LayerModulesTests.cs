using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.NN;

public class LayerModulesTests
{
    [Fact]
    public void Dropout_is_active_only_in_training()
    {
        var d = new Dropout(0.5, new Generator(1));
        var x = Tensor.Ones(1000);
        var y = d.Forward(x).ToArray<float>();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Count(v => v == 0f), 430, 570);
        d.Eval();
        Assert.Equal(x.ToArray<float>(), d.Forward(x).ToArray<float>());
        Assert.Throws<ArgumentException>(() => new Dropout(1.0));
    }

    [Fact]
    public void BatchNorm_modules_register_pytorch_names_and_track_statistics()
    {
        var bn = new BatchNorm2d(3);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Keys.ToArray());
        var x = Tensor.Randn([4, 3, 5, 5], 2, 3, generator: new Generator(1));
        var y = bn.Forward(x);
        // Per channel the training output has mean 0 and (biased) variance 1.
        var m = y.Mean([0, 2, 3]).ToArray<float>();
        Assert.All(m, v => Assert.InRange(v, -1e-4f, 1e-4f));
        Assert.Equal(1.0, bn.NumBatchesTracked.Item());
        var rm = bn.RunningMean.ToArray<float>();
        Assert.All(rm, v => Assert.InRange(v, 0.1f, 0.3f));   // 0.9·0 + 0.1·(≈2)
        bn.Eval();
        bn.Forward(x);
        Assert.Equal(1.0, bn.NumBatchesTracked.Item());
        Assert.Throws<ShapeMismatchException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 4)));
    }

    [Fact]
    public void Mlp_builds_the_requested_stack()
    {
        var m = Mlp.Create(new MlpOptions(Hidden: [32, 16], Activation: ActivationFunction.Tanh, Dropout: 0.2, BatchNorm: true));
        Assert.Equal(["Flatten", "Linear", "BatchNorm1d", "Tanh", "Dropout", "Linear", "BatchNorm1d", "Tanh", "Dropout", "Linear"],
            m.Layers.Select(l => l.GetType().Name).ToArray());
        TestUtil.AssertShape(m.Forward(Tensor.Zeros(5, 1, 28, 28)), 5, 10);
        var z = Mlp.Create(new MlpOptions(Init: InitScheme.Zeros));
        Assert.All(z.Parameters(), p => Assert.All(p.ToArray<float>(), v => Assert.Equal(0f, v)));
        Assert.Throws<ArgumentException>(() => Mlp.Create(new MlpOptions(Activation: (ActivationFunction)99)));
    }

    [Fact]
    public void Activation_modules_match_their_formulas()
    {
        var x = Tensor.FromArray([-2f, 0.5f]);
        Assert.Equal([0f, 0.5f], new ReLU().Forward(x).ToArray<float>());
        Assert.Equal([-0.02f, 0.5f], new LeakyReLU().Forward(x).ToArray<float>());
        TestUtil.AssertClose([1 / (1 + Math.Exp(2)), 1 / (1 + Math.Exp(-0.5))], new Sigmoid().Forward(x), 1e-6);
        TestUtil.AssertClose([Math.Tanh(-2), Math.Tanh(0.5)], new Tanh().Forward(x), 1e-6);
        TestUtil.AssertClose([Math.Exp(-2) - 1, 0.5], new ELU().Forward(x), 1e-6);
        TestUtil.AssertClose([Math.Log(1 + Math.Exp(-2)), Math.Log(1 + Math.Exp(0.5))], new Softplus().Forward(x), 1e-6);
        TestUtil.AssertClose([-2 / (1 + Math.Exp(1.702 * 2)), 0.5 / (1 + Math.Exp(-1.702 * 0.5))], new GELU(GeluApproximation.Sigmoid).Forward(x), 1e-6);
        foreach (var n in Activation.Names) Assert.NotNull(Activation.FromName(n));
    }
}
