using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests;

/// <summary>The README's example, verbatim apart from the prints, so it cannot rot.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Readme_example_runs()
    {
        Generator.ManualSeed(0);
        var model = new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 10));
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.01, Momentum: 0.9));
        var x = Tensor.Randn(64, 1, 28, 28);
        var y = Tensor.RandInt(0, 10, [64]);
        opt.ZeroGrad();
        var loss = model.Forward(x).CrossEntropy(y);
        loss.Backward();
        opt.Step();
        Assert.StartsWith("tensor(2.", loss.ToString());          // ≈ ln 10 at initialisation
        Assert.Contains("grad_fn=<CrossEntropyBackward>", loss.ToString());

        var r = GradCheck.Check(t => t[0].MatMul(t[1]).Tanh(),
            [Tensor.Randn([3, 4], dtype: DType.Float64).RequiresGrad_(), Tensor.Randn([4, 2], dtype: DType.Float64).RequiresGrad_()]);
        Assert.True(r.Passed, r.ToString());
    }
}
