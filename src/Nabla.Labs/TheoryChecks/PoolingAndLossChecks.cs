using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>24789 P4d on a random [N, C, H, W] input: AvgPool2d(2) against (a) Conv2d(1 → 1, 2×2 weights ¼, stride 2,
/// no padding) applied to each channel and (b) Conv2d(C → C, stride 2) with ¼ on its channel diagonal and 0 elsewhere;
/// largest differences of the outputs and of the input gradients for a random upstream gradient.</summary>
public sealed record PoolingAsConvCheck(int[] Shape, int[] OutputShape, double MaxForwardPerChannel, double MaxForwardFull,
    double MaxGradPerChannel, double MaxGradFull);

/// <summary>Workbook Q5b: ŷ at every step of gradient descent on L = ŷ − y or L = y − ŷ, with a linear or a ReLU output
/// unit; <see cref="FinalGradNorm"/> is ‖∇L‖ at the last step (0 once a ReLU output has died),
/// <see cref="HiddenDeadSteps"/> the first step at which both hidden ReLUs are 0 (−1 if never) and
/// <see cref="FinalBias"/> the output bias at the end.</summary>
public sealed record SignedLossRun(string Loss, string Output, double[] YHat, double FinalGradNorm, int HiddenDeadSteps, double FinalBias);

public static class PoolingAndLossChecks
{
    public static PoolingAsConvCheck AvgPoolAsConv(int n, int c, int h, int w, Generator gen)
    {
        var x = Tensor.Randn([n, c, h, w], 0, 1, DType.Float64, gen);
        var pool = new AvgPool2d(2);
        var perChannel = new Conv2d(1, 1, 2, stride: 2, bias: false, dtype: DType.Float64);
        var full = new Conv2d(c, c, 2, stride: 2, bias: false, dtype: DType.Float64);
        using (GradMode.NoGrad())
        {
            perChannel.Weight.Fill_(0.25);
            full.Weight.Fill_(0);
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) full.Weight.SetAt(0.25, ch, ch, i, j);
        }
        Tensor PerChannel(Tensor t) => perChannel.Forward(t.Reshape(n * c, 1, h, w)).Reshape(n, c, h / 2, w / 2);
        var results = new List<(Tensor Y, Tensor G)>();
        Tensor? upstream = null;
        foreach (var f in new Func<Tensor, Tensor>[] { pool.Forward, PerChannel, full.Forward })
        {
            var xt = x.Detach().RequiresGrad_();
            var y = f(xt);
            upstream ??= Tensor.Randn(y.Shape.ToArray(), 0, 1, DType.Float64, gen);
            y.Backward(upstream);
            results.Add((y.Detach(), xt.Grad!));
        }
        double D(Tensor a, Tensor b) => (a - b).Abs().Max().Item();
        return new PoolingAsConvCheck([n, c, h, w], results[0].Y.Shape.ToArray(), D(results[0].Y, results[1].Y), D(results[0].Y, results[2].Y),
            D(results[0].G, results[1].G), D(results[0].G, results[2].G));
    }

    /// <summary>The 2-2-1 network used for Q5b (and stated in the report): ŷ = out(v·ReLU(W x) + c), the worked-exercises
    /// Q5a network plus an output bias c that starts at 0.</summary>
    public static readonly double[] W1 = [0.1, 0.1, 0.05, 0.1];
    public static readonly double[] V = [0.2, 0.3];
    public static readonly double[] X = [2, 4];
    public const double Y = 2.5;

    public static SignedLossRun SignedLoss(bool yHatMinusY, bool reluOutput, int steps, double lr)
    {
        var w = Tensor.FromArray(W1, 2, 2).RequiresGrad_();
        var v = Tensor.FromArray(V, 1, 2).RequiresGrad_();
        var c = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var x = Tensor.FromArray(X, 1, 2);
        var opt = new Sgd([w, v, c], new SgdOptions(LearningRate: lr));
        var yHat = new double[steps + 1];
        double gradNorm = 0;
        int dead = -1;
        for (int t = 0; t <= steps; t++)
        {
            opt.ZeroGrad();
            var h = x.Linear(w).Relu();                                   // [1, 2]
            if (dead < 0 && h.Abs().Sum().Item() == 0) dead = t;
            var z = h.Linear(v, c);                                       // [1, 1]
            var out_ = reluOutput ? z.Relu() : z;
            yHat[t] = out_.Item();
            if (t == steps) break;
            var loss = yHatMinusY ? out_.Sum() - Y : Y - out_.Sum();
            loss.Backward();
            gradNorm = Math.Sqrt(new[] { w, v, c }.Sum(p => p.Grad?.Square().Sum().Item() ?? 0));
            opt.Step();
        }
        return new SignedLossRun(yHatMinusY ? "L = ŷ − y" : "L = y − ŷ", reluOutput ? "ReLU" : "linear", yHat, gradNorm, dead, c.Item());
    }
}
