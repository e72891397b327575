using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>Step t ≥ 1 of the Workbook Q10a comparison: g_t = f'(x_{t−1}) (autograd), the optimizer's state after using it and
/// the new iterate x_t. Adam: m_t = β₁m_{t−1} + (1 − β₁)g_t, v_t = β₂v_{t−1} + (1 − β₂)g_t², m̂_t = m_t/(1 − β₁ᵗ),
/// v̂_t = v_t/(1 − β₂ᵗ); AdaGrad: <see cref="V"/> = Σ_{s≤t} g_s² (the other fields NaN); GD: all four NaN.</summary>
public sealed record AdaptiveStep(int T, double Grad, double M, double V, double MHat, double VHat, double X);

/// <summary>One optimizer's run in the Workbook Q10a comparison: x₀ and every step.</summary>
public sealed record AdaptiveTrace(string Name, double X0, IReadOnlyList<AdaptiveStep> Steps)
{
    /// <summary>The iterates x₀..x_T.</summary>
    public double[] X => [X0, .. Steps.Select(s => s.X)];
}

public sealed partial class OptimizerDescentLab
{
    /// <summary>Adam's β₁, β₂ and ε in the Q10a comparison (PyTorch's defaults).</summary>
    public const double AdamBeta1 = 0.9, AdamBeta2 = 0.999, AdamEps = 1e-8;

    /// <summary>AdaGrad's ε in the Q10a comparison (outside the root: η·g/(√s + ε), PyTorch's arrangement).</summary>
    public const double AdaGradEps = 1e-10;

    /// <summary>Workbook Q10a: plain gradient descent, AdaGrad and Adam from <paramref name="x0"/>, the same η and the same
    /// number of steps, each through the library's optimizer (<see cref="Sgd"/>, <see cref="AdaGrad"/>, <see cref="Adam"/>)
    /// on a float64 scalar parameter with autograd's f'(x). The moment estimates are recomputed from the gradients for the
    /// table (they are the optimizer's own state, written out).</summary>
    public static IReadOnlyList<AdaptiveTrace> CompareAdaptive(double x0, double eta, int steps) =>
    [
        Adaptive("GD", x0, steps, p => new Sgd([p], new SgdOptions(eta))),
        Adaptive("AdaGrad", x0, steps, p => new AdaGrad([p], new AdaGradOptions(LearningRate: eta, Eps: AdaGradEps))),
        Adaptive("Adam", x0, steps, p => new Adam([p], new AdamOptions(LearningRate: eta, Beta1: AdamBeta1, Beta2: AdamBeta2, Eps: AdamEps))),
    ];

    private static AdaptiveTrace Adaptive(string name, double x0, int steps, Func<Tensor, Optimizer> make)
    {
        var p = Tensor.Scalar(x0, DType.Float64).RequiresGrad_();
        var opt = make(p);
        var rows = new List<AdaptiveStep>();
        double m = 0, v = 0;
        for (int t = 1; t <= steps; t++)
        {
            opt.ZeroGrad();
            p.Gelu(GeluApproximation.Sigmoid).Backward();
            double g = p.Grad!.Item();
            opt.Step();
            double nan = double.NaN;
            var row = new AdaptiveStep(t, g, nan, nan, nan, nan, p.Item());
            if (name == "Adam")
            {
                m = AdamBeta1 * m + (1 - AdamBeta1) * g;
                v = AdamBeta2 * v + (1 - AdamBeta2) * g * g;
                row = row with { M = m, V = v, MHat = m / (1 - Math.Pow(AdamBeta1, t)), VHat = v / (1 - Math.Pow(AdamBeta2, t)) };
            }
            else if (name == "AdaGrad")
                row = row with { V = v += g * g };
            rows.Add(row);
        }
        return new AdaptiveTrace(name, x0, rows);
    }

    /// <summary>Workbook Q10a: the sentence on the comparison, from the numbers — the first step of each (GD's is η·|f'(x₀)|,
    /// the adaptive ones' about η whatever |f'| is), and which gets within 10⁻³ of x* first (or ends closest).</summary>
    public static string AdaptiveVerdict(IReadOnlyList<AdaptiveTrace> traces, double xMin, double eta)
    {
        string S(double v) => LabReport.Format(v);
        var first = traces.Select(t => (t.Name, Step: Math.Abs(t.Steps[0].X - t.X0))).ToList();
        var gd = first.Single(f => f.Name == "GD");
        var adaptive = first.Where(f => f.Name != "GD").ToList();
        string firstSays = adaptive.All(a => Math.Abs(a.Step - eta) <= 0.01 * eta) && gd.Step < 0.5 * eta
            ? $"The first step of GD is η·|f'(x₀)| = {S(gd.Step)}; AdaGrad's ({S(adaptive[0].Step)}) and Adam's ({S(adaptive[1].Step)}) are η = {S(eta)} to within 1 %: " +
              "they divide the gradient by its own running magnitude, so the step size no longer depends on how steep f is."
            : $"First steps: {string.Join(", ", first.Select(f => $"{f.Name} {S(f.Step)}"))} (η = {S(eta)}).";
        var reach = traces.Select(t => (t.Name, Near: FirstNear(t.X, xMin, 1e-3), Dist: Math.Abs(t.Steps[^1].X - xMin))).ToList();
        var reached = reach.Where(r => r.Near >= 0).OrderBy(r => r.Near).ToList();
        int steps = traces[0].Steps.Count;
        string reachSays = reached.Count == 0
            ? $"None is within 10⁻³ of x* after {steps} steps; closest at the end: {reach.OrderBy(r => r.Dist).First().Name} (|x_T − x*| = {S(reach.Min(r => r.Dist))})."
            : $"{reached[0].Name} is within 10⁻³ of x* first (step {reached[0].Near}); " +
              string.Join(", ", reach.Where(r => r.Name != reached[0].Name).Select(r => r.Near >= 0 ? $"{r.Name} at step {r.Near}" : $"{r.Name} not within {steps} steps (|x_T − x*| = {S(r.Dist)})")) + ".";
        var ada = traces.Single(t => t.Name == "AdaGrad");
        double rate1 = eta / Math.Sqrt(ada.Steps[0].V), rateT = eta / Math.Sqrt(ada.Steps[^1].V);
        string adaSays = $"AdaGrad's accumulator Σg² only grows, so its effective rate η/√Σg² only shrinks ({S(rate1)} at step 1, {S(rateT)} at step {steps}); " +
                         $"Adam's v is an exponential average (β₂ = {S(AdamBeta2)}) that forgets old gradients, and its m (β₁ = {S(AdamBeta1)}) adds momentum.";
        return $"{firstSays} {reachSays} {adaSays}";
    }
}
