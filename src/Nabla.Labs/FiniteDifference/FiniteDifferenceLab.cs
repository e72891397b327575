using System.Globalization;
using Nabla.Autograd;
using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Checks backprop against central finite differences on a trained MNIST MLP: for one training image and the first
/// p = 10 weights of the first layer, max_i |∇_i^N − ∂L/∂θ_i| for ε = 1/N, N = 1 … 100000, in float64 (and, to show
/// why, in float32).
/// </summary>
public sealed class FiniteDifferenceLab : ILab
{
    public string Name => "finite-difference";

    public string Description => "finite-difference vs backprop gradient of a trained MNIST MLP, error against N (ε = 1/N), log-log";

    public static readonly int[] Ns = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 50000, 100000];
    public const int P = 10, FullEpochs = 3, QuickEpochs = 1, BatchSize = 64;
    public const double LearningRate = 0.1;

    /// <summary>Range of N over which the truncation slope is fitted (past the large-ε end, before round-off).</summary>
    public const int SlopeFrom = 10, SlopeTo = 100;
    public static readonly MlpOptions Model = new(Hidden: [512, 512], Activation: "relu", Init: "xavier_uniform");

    public LabResult Run(LabContext ctx)
    {
        int epochs = ctx.Quick ? QuickEpochs : FullEpochs;
        var data = MnistMlpKit.Load(ctx);
        var model = Mlp.Create(Model, new Generator(ctx.Seed + 11));
        var (trainer, _) = MnistMlpKit.TrainSgd(model, data, epochs, LearningRate, BatchSize, ctx.Seed + 1, ctx.Out, "train");
        var val = MnistMlpKit.Evaluate(trainer, data.Validation);

        var net64 = ToFloat64(model);
        var w64 = net64.Layers.OfType<Linear>().First().Weight;
        var (index, x, y, z0) = PickExample(net64, w64, data.Train);
        var x64 = x.To(DType.Float64);
        var r64 = FiniteDifferenceProbe.Run(() => net64.Invoke(x64).CrossEntropy(y), w64, P, Ns);
        var w32 = model.Layers.OfType<Linear>().First().Weight;
        var r32 = FiniteDifferenceProbe.Run(() => model.Invoke(x).CrossEntropy(y), w32, P, Ns);
        var e64 = r64.MaxError;
        var e32 = r32.MaxError;
        double slope = LogLogSlope(Ns, e64, SlopeFrom, SlopeTo);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"example {index}, loss {r64.Loss:G6}; float64 error at N=1: {e64[0]:G3}, N=10000: {e64[Array.IndexOf(Ns, 10000)]:G3}"));

        var report = new LabReport(Name, "Finite-difference check of backprop on a trained MLP");
        report.Paragraph($"""
            **Model and training.** MLP 784-512-512-10 with ReLU, Glorot-uniform weights, trained {epochs} epoch(s) with
            plain SGD (learning rate {LearningRate}, batch {BatchSize}) on {data.Train.Count:N0} standardised MNIST images:
            validation accuracy {100 * val.Accuracy:F2}%. The trained float32 parameters are then copied to a float64
            twin of the network.
            **Check.** One training image, x = training example #{index} (label {y.At(0)}: the first one whose
            hidden unit 0 is active, z₀ = {z0:G4}, so that the gradients below are not trivially zero), loss
            L = {r64.Loss:G6}. θ_1 … θ_{P} are the first {P} elements of the first layer's weight W₁ [512, 784] in
            row-major order, i.e. W₁[0, 0..{P - 1}]. For each N, ε = 1/N and ∇_i^N = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε,
            compared with the backprop gradient ∂L/∂θ_i of the same network.
            """);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Backprop gradients (float64): ∂L/∂θ_i = [{string.Join(", ", r64.Backprop.Select(g => g.ToString("G6", CultureInfo.InvariantCulture)))}].
            They are all equal, as they must be: ∂L/∂W₁[0, j] = δ₀·x_j with δ₀ = ∂L/∂z₀, and the first {P} pixels of
            every MNIST image are background, x_j = −0.1307/0.3081 = {-0.1307 / 0.3081:G4} after standardisation
            (δ₀ = {r64.Backprop[0] / (-0.1307 / 0.3081):G6}).
            """));
        report.Heading("Error against N");
        report.Table(["N", "ε = 1/N", "max_i error (float64)", "max_i error (float32)", "∇_1^N (float64; backprop " + r64.Backprop[0].ToString("G12", CultureInfo.InvariantCulture) + ")"],
            Ns.Select((n, k) => (IReadOnlyList<object>)[n, 1.0 / n, e64[k], e32[k], r64.Numeric[k][0].ToString("G12", CultureInfo.InvariantCulture)]));
        var chart = new LineChart { Title = "Central difference vs backprop: max error over 10 weights", XLabel = "N (ε = 1/N)", YLabel = "max_i |∇_i^N − ∂L/∂θ_i|", LogX = true, LogY = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var nd = Ns.Select(n => (double)n).ToArray();
        chart.Add("float64", nd, e64).Add("float32", nd, e32);
        int anchor = Array.IndexOf(Ns, 100);
        chart.Add("∝ N⁻² (reference)", nd, nd.Select(n => e64[anchor] * Math.Pow(100 / n, 2)).ToArray());
        chart.SavePng(ctx.PathOf("fd_error.png"));
        report.Figure("fd_error.png", "max_i |∇_i^N − ∂L/∂θ_i| against N on log-log axes, float64 and float32, with a slope −2 reference line through the float64 point at N = 100.");

        report.Heading("Discussion");
        report.Paragraph(Discussion(e64, e32, slope, z0, r32.Numeric));
        report.Metric("val_accuracy", val.Accuracy).Metric("loss", r64.Loss).Metric("backprop_grad_0", r64.Backprop[0])
              .Metric($"slope_float64_N{SlopeFrom}_to_N{SlopeTo}", slope).Metric("best_N_float64", Ns[Array.IndexOf(e64, e64.Min())]);
        for (int k = 0; k < Ns.Length; k++) report.Metric($"max_error_float64_N{Ns[k]}", e64[k]).Metric($"max_error_float32_N{Ns[k]}", e32[k]);
        return report.Save(ctx);
    }

    /// <summary>The same network with every parameter converted to float64 (values copied exactly).</summary>
    public static Sequential ToFloat64(Sequential trained)
    {
        var net = new Sequential();
        foreach (var layer in trained.Layers)
            net.Add(layer is Linear l ? new Linear(l.InFeatures, l.OutFeatures, l.Bias is not null, DType.Float64) : CloneStateless(layer));
        using var _ = GradMode.NoGrad();
        net.LoadStateDict(trained.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To(DType.Float64)));
        return net;
    }

    private static Module CloneStateless(Module layer) => layer switch
    {
        Flatten => new Flatten(),
        _ when !layer.Parameters().Any() && !layer.NamedBuffers().Any() => Activation.FromName(layer.GetType().Name),
        _ => throw new ArgumentException($"ToFloat64: cannot convert layer {layer}"),
    };

    /// <summary>The first training example whose first hidden unit has a positive pre-activation z₀ = W₁[0]·x + b₁[0].</summary>
    private static (int Index, Tensor X, Tensor Y, double Z0) PickExample(Sequential net64, Tensor w1, Data.IDataset train)
    {
        var b1 = net64.Layers.OfType<Linear>().First().Bias!;
        using var _ = GradMode.NoGrad();
        for (int i = 0; i < train.Count; i++)
        {
            var (x, y) = MnistMlpKit.Example(train, i);
            double z0 = x.Reshape([1, -1]).To(DType.Float64).Linear(w1, b1).At(0, 0);
            if (z0 > 0) return (i, x, y, z0);
        }
        throw new InvalidOperationException("finite-difference: no training example activates hidden unit 0");
    }

    /// <summary>Least-squares slope of log10(error) against log10(N) over lo ≤ N ≤ hi.</summary>
    public static double LogLogSlope(int[] ns, double[] errors, int lo, int hi)
    {
        var pts = ns.Select((n, k) => (X: Math.Log10(n), Y: Math.Log10(errors[k]))).Where((p, k) => ns[k] >= lo && ns[k] <= hi && double.IsFinite(p.Y)).ToList();
        double mx = pts.Average(p => p.X), my = pts.Average(p => p.Y);
        return pts.Sum(p => (p.X - mx) * (p.Y - my)) / pts.Sum(p => (p.X - mx) * (p.X - mx));
    }

    private static string Discussion(double[] e64, double[] e32, double slope, double z0, double[][] numeric32)
    {
        string F(double v) => LabReport.Format(v);
        int k64 = Array.IndexOf(e64, e64.Min()), k32 = Array.IndexOf(e32, e32.Min());
        double background = 0.1307 / 0.3081;
        // Moving W₁[0, j] by ±ε moves z₀ by ∓background·ε; unit 0 switches off once that exceeds z₀.
        int[] kinked = Ns.Where(n => background / n > z0).ToArray();
        string kink = kinked.Length > 0
            ? $"That happens here for N ≤ {kinked.Max()}, which is why the error at N = 1 ({F(e64[0])}) is of the order of the gradient itself instead of following the ε² law."
            : $"Here z₀ is large enough that even ε = 1 does not cross that kink, but at N = 1 the higher-order terms (and possibly kinks of layer-2 units) still matter, so the error ({F(e64[0])}) is not yet on the ε² line.";
        int[] zero32 = Ns.Where((n, k) => numeric32[k].All(v => v == 0)).ToArray();
        string flat32 = zero32.Length > 0
            ? $" For N ≥ {zero32.Min()} the float32 difference is exactly 0: L(θ + ε) and L(θ − ε) round to the same float32 number, so the error equals the gradient itself."
            : "";
        string roundOff64 = k64 <= Ns.Length - 3
            ? $"In float64 the same happens much later: the error is smallest ({F(e64[k64])}) at N = {Ns[k64]} and then grows again " +
              $"(fitted slope {LogLogSlope(Ns, e64, Ns[k64], Ns[^1]).ToString("F2", CultureInfo.InvariantCulture)}; about +1 is expected, round-off being erratic) up to " +
              $"{F(e64[^1])} at N = {Ns[^1]}: the round-off regime is visible at the end of the range."
            : $"In float64 the error is still falling at N = {Ns[^1]} ({F(e64[^1])}): the round-off regime lies beyond this range.";
        return string.Create(CultureInfo.InvariantCulture, $"""
            **Truncation regime.** Taylor's theorem gives L(θ ± ε) = L ± εL' + ε²L''/2 ± ε³L'''/6 + …, so the central
            difference is L' + ε²L'''/6 + O(ε⁴): the even terms cancel and the error falls like ε² = N⁻², a slope of −2
            on the log-log plot. The float64 curve has a fitted slope of {slope:F2} between N = {SlopeFrom} and N = {SlopeTo}
            ({(Math.Abs(slope + 2) < 0.15 ? "it follows the reference line" : "the reference line has slope −2")}). The expansion needs L to be smooth on [θ − ε, θ + ε]: moving W₁[0, j] by ε moves z₀ by
            ε·x_j = ∓{background:0.###}·ε, which would switch hidden unit 0 off (a ReLU kink) once ε > z₀/{background:0.###} = {z0 / background:0.###}.
            {kink}

            **Round-off regime.** Each evaluation of L carries a rounding error of order u·(size of the numbers summed:
            784-term dot products, logits), with u ≈ 1.1·10⁻¹⁶ in float64 and 6·10⁻⁸ in float32, and dividing the
            difference of two such values by 2ε amplifies it like 1/ε = N. The total error ≈ ε²|L'''|/6 + C·u/ε is
            smallest near ε ∝ u^(1/3) and grows beyond. In float32 this happens almost at once: the float32 error is
            smallest ({F(e32[k32])}) at N = {Ns[k32]} and is {F(e32[^1])} at N = {Ns[^1]}, where θ ± ε itself is also
            rounded to a 24-bit mantissa.{flat32} {roundOff64} That is why the check is done in float64: its finite
            differences come within {F(e64.Min())} of backprop, enough to validate the gradient to many digits, whereas in
            float32 they never get closer than {F(e32.Min())}.
            """);
    }
}
