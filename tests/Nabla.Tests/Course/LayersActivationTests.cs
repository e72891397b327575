using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersActivationTests(ITestOutputHelper log)
{
    public static TheoryData<string, int[]> Cases => new()
    {
        { "relu", [4, 5] }, { "relu", [1, 3, 2, 3] }, { "sigmoid", [4, 5] }, { "sigmoid", [2, 3, 1] }, { "tanh", [4, 5] }, { "tanh", [1, 7] },
    };

    private static (Tensor Out, Func<Tensor, Tensor> Backward) Run(string name, Tensor x) => name switch
    {
        "relu" => Layers.ReluForward(x) is var (o, c) ? (o, g => Layers.ReluBackward(g, c)) : default,
        "sigmoid" => Layers.SigmoidForward(x) is var (o, c) ? (o, g => Layers.SigmoidBackward(g, c)) : default,
        _ => Layers.TanhForward(x) is var (o, c) ? (o, g => Layers.TanhBackward(g, c)) : default,
    };

    private static Tensor Library(string name, Tensor x) => name switch { "relu" => x.Relu(), "sigmoid" => x.Sigmoid(), _ => x.Tanh() };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences_and_autograd(string name, int[] shape)
    {
        var x = Randn(11, shape);
        var dout = Randn(12, shape);
        var (out_, backward) = Run(name, x);
        var dx = backward(dout);
        AssertRel(NumericGradient.EvalArray(() => Run(name, x).Out, x, dout), dx, FdTol, $"{name} dx vs FD", log);
        var auto = AutogradGrads(t => Library(name, t[0]), dout, x);
        AssertRel(auto[0], dx, AutogradTol, $"{name} dx vs autograd", log);
        AssertRel(Library(name, x), out_, 1e-14, $"{name} forward vs library", log);
    }

    [Fact]
    public void Forward_and_backward_by_hand()
    {
        // ReLU([−1, 0, 2]) = [0, 0, 2]; with dout = [5, 6, 7]: dx = [0, 0, 7] (the kink x = 0 gets 0).
        var (r, rc) = Layers.ReluForward(D([-1, 0, 2], 3));
        AssertValues([0, 0, 2], r);
        AssertValues([0, 0, 7], Layers.ReluBackward(D([5, 6, 7], 3), rc));
        // σ(0) = 1/2, σ(ln 3) = 3/(3 + 1) = 3/4; σ′ = σ(1 − σ) = 1/4 and 3/16.
        var (s, sc) = Layers.SigmoidForward(D([0, Math.Log(3)], 2));
        AssertValues([0.5, 0.75], s);
        AssertValues([0.25, 3.0 / 16], Layers.SigmoidBackward(D([1, 1], 2), sc));
        // tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 0.6; tanh′ = 1 − 0.36 = 0.64.
        var (t, tc) = Layers.TanhForward(D([0, Math.Log(2)], 2));
        AssertValues([0, 0.6], t);
        AssertValues([2, 2 * 0.64], Layers.TanhBackward(D([2, 2], 2), tc));
    }

    [Fact]
    public void Sigmoid_saturates_without_overflow()
    {
        var (s, _) = Layers.SigmoidForward(D([-800, 800], 2));
        AssertValues([0, 1], s);
    }

    [Fact]
    public void Float32_in_float32_out_and_mismatched_dout_throws()
    {
        var (o, c) = Layers.TanhForward(Randn(1, 3, 4).To(DType.Float32));
        Assert.Equal(DType.Float32, o.DType);
        Assert.Equal(DType.Float32, Layers.TanhBackward(Tensor.Ones([3, 4]), c).DType);
        Assert.Throws<ArgumentException>(() => Layers.TanhBackward(Tensor.Ones([4, 3]), c));
        Assert.Throws<ArgumentException>(() => Layers.ReluForward(Tensor.FromArray(new[] { 1, 2 })));
    }
}
