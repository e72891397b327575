using Nabla.Optim;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>
/// Workbook Q20b/c in numbers, on the Q21 networks (G(z) = β₂·tanh(β₁z), D(x) = σ(θ₂·σ(θ₁x)), z = 0.5, the real
/// sample x = 1.5, β = (1, 2), θ = (0.5, −1)):
/// <list type="bullet">
/// <item>b) the sign of the discriminator's step: V = log D(x) + log(1 − D(G(z))) at θ, after the ascent step
/// θ + λ·∂V/∂θ and after the descent step θ − λ·∂V/∂θ;</item>
/// <item>c) <see cref="Steps"/> steps of two schedules from the same start, the generator non-saturating (ascent on
/// log D(G(z))): alternating (Goodfellow et al.'s Algorithm 1, k = 1: the D step, then the G step against the updated
/// D) and simultaneous (both gradients taken at the same (θ, β), applied together), at Q21's λ = 0.1 and at λ = 1.
/// Measured: |G(z) − x| at the end (the data is the single point x, so this is the distance between the two
/// distributions), the swing max − min of G(z) over the last <see cref="Window"/> steps, D(x) and D(G(z)) at the end
/// (both ½ at the equilibrium G(z) = x).</item>
/// </list>
/// The library runs each with autograd and <see cref="Sgd"/> (ascents as descents on the negated objective); the
/// by-hand column iterates the closed-form gradients of Q21 in plain doubles.
/// </summary>
public static class GanSchedules
{
    /// <summary>Steps of each schedule.</summary>
    public const int Steps = 300;

    /// <summary>The last steps over which the swing of G(z) is measured.</summary>
    public const int Window = 100;

    /// <summary>The step sizes compared: Q21's, and a larger one.</summary>
    public static readonly double[] Lambdas = [GanExercises.Lambda, 1.0];

    /// <summary>The measured end of one schedule.</summary>
    public sealed record Outcome(double Distance, double Swing, double DReal, double DFake)
    {
        public double[] ToArray() => [Distance, Swing, DReal, DFake];
    }

    public static Exercise Q20()
    {
        var answers = new List<Answer>();
        var h = new Hand();
        double lam = GanExercises.Lambda;

        // ---- b) the sign of D's step on V ----
        var (g1, g2) = HandDTheta(GanExercises.Theta[0], GanExercises.Theta[1], GanExercises.Beta[0], GanExercises.Beta[1]);
        double v0 = h.Let("V(θ)", "log D(x) + log(1 − D(G(z))) at θ = (0.5, −1)", HandV(GanExercises.Theta[0], GanExercises.Theta[1]));
        double vUp = h.Let("V(θ + λ∂V/∂θ) (ascent)", $"θ = ({N(GanExercises.Theta[0] + lam * g1)}, {N(GanExercises.Theta[1] + lam * g2)})",
            HandV(GanExercises.Theta[0] + lam * g1, GanExercises.Theta[1] + lam * g2));
        double vDown = h.Let("V(θ − λ∂V/∂θ) (descent)", $"θ = ({N(GanExercises.Theta[0] - lam * g1)}, {N(GanExercises.Theta[1] - lam * g2)})",
            HandV(GanExercises.Theta[0] - lam * g1, GanExercises.Theta[1] - lam * g2));
        var (lib0, libUp, libDown) = LibraryVSteps(lam);
        answers.Add(Worked.Of("b) V at θ", lib0, v0));
        answers.Add(Worked.Of("b) V after D's ascent step θ + λ∂V/∂θ", libUp, vUp));
        answers.Add(Worked.Of("b) V after a descent step θ − λ∂V/∂θ", libDown, vDown));

        // ---- c) alternating vs simultaneous ----
        foreach (double l in Lambdas)
            foreach (bool simultaneous in new[] { false, true })
            {
                var hand = RunByHand(l, simultaneous);
                var lib = RunLibrary(l, simultaneous);
                string tag = $"c) λ = {N(l)}, {(simultaneous ? "simultaneous" : "alternating")}";
                answers.Add(Worked.Of($"{tag}: |G(z) − x| after {Steps} steps", lib.Distance, hand.Distance));
                answers.Add(Worked.Of($"{tag}: swing of G(z), last {Window} steps", lib.Swing, hand.Swing));
                answers.Add(Worked.Of($"{tag}: D(x), D(G(z)) at the end", [lib.DReal, lib.DFake], [hand.DReal, hand.DFake], [2]));
            }
        return new Exercise("Workbook Q20b/c", answers, h.Steps);
    }

    private static double HandV(double t1, double t2)
    {
        double xg = GanExercises.Beta[1] * Math.Tanh(GanExercises.Beta[0] * GanExercises.Z);
        return Math.Log(Sigmoid(t2 * Sigmoid(t1 * GanExercises.X))) + Math.Log(1 - Sigmoid(t2 * Sigmoid(t1 * xg)));
    }

    /// <summary>∂V/∂θ₁, ∂V/∂θ₂ (Q21's formulas).</summary>
    private static (double D1, double D2) HandDTheta(double t1, double t2, double b1, double b2)
    {
        double x = GanExercises.X, xg = b2 * Math.Tanh(b1 * GanExercises.Z);
        double a = Sigmoid(t1 * x), u = Sigmoid(t2 * a), ag = Sigmoid(t1 * xg), ug = Sigmoid(t2 * ag);
        return ((1 - u) * t2 * a * (1 - a) * x - ug * t2 * ag * (1 - ag) * xg, (1 - u) * a - ug * ag);
    }

    /// <summary>∂/∂β₁, ∂/∂β₂ of log D(G(z)) (the non-saturating generator objective, Q21's formulas).</summary>
    private static (double D1, double D2) HandDBeta(double t1, double t2, double b1, double b2)
    {
        double t = Math.Tanh(b1 * GanExercises.Z), xg = b2 * t;
        double ag = Sigmoid(t1 * xg), ug = Sigmoid(t2 * ag);
        double dx = (1 - ug) * t2 * ag * (1 - ag) * t1;
        return (dx * b2 * (1 - t * t) * GanExercises.Z, dx * t);
    }

    /// <summary>The schedule in plain doubles.</summary>
    public static Outcome RunByHand(double lambda, bool simultaneous) => Iterate(lambda, simultaneous).Outcome;

    /// <summary>G(z) after each step of the schedule (plain doubles), for the figure.</summary>
    public static double[] TrajectoryByHand(double lambda, bool simultaneous) => Iterate(lambda, simultaneous).G;

    private static (Outcome Outcome, double[] G) Iterate(double lambda, bool simultaneous)
    {
        double t1 = GanExercises.Theta[0], t2 = GanExercises.Theta[1], b1 = GanExercises.Beta[0], b2 = GanExercises.Beta[1];
        var g = new double[Steps];
        for (int i = 0; i < Steps; i++)
        {
            var (dt1, dt2) = HandDTheta(t1, t2, b1, b2);
            var (db1, db2) = HandDBeta(t1, t2, b1, b2);                // at the same point: used by the simultaneous schedule
            t1 += lambda * dt1;
            t2 += lambda * dt2;
            if (!simultaneous) (db1, db2) = HandDBeta(t1, t2, b1, b2); // alternating: against the updated D
            b1 += lambda * db1;
            b2 += lambda * db2;
            g[i] = b2 * Math.Tanh(b1 * GanExercises.Z);
        }
        double xg = g[^1];
        return (Measure(g, Sigmoid(t2 * Sigmoid(t1 * GanExercises.X)), Sigmoid(t2 * Sigmoid(t1 * xg))), g);
    }

    /// <summary>The schedule with autograd and <see cref="Sgd"/>.</summary>
    public static Outcome RunLibrary(double lambda, bool simultaneous)
    {
        var theta = Worked.T(GanExercises.Theta).RequiresGrad_();
        var beta = Worked.T(GanExercises.Beta).RequiresGrad_();
        var dOpt = new Sgd([theta], new SgdOptions(LearningRate: lambda));
        var gOpt = new Sgd([beta], new SgdOptions(LearningRate: lambda));
        var real = Tensor.Scalar(GanExercises.X, DType.Float64);
        var g = new double[Steps];
        for (int i = 0; i < Steps; i++)
        {
            dOpt.ZeroGrad();
            gOpt.ZeroGrad();
            var fake = GanExercises.Generate(beta).Detach();
            var v = GanExercises.Discriminate(theta, real).Log() + (1 - GanExercises.Discriminate(theta, fake)).Log();
            (-v).Backward();                                                       // D ascends V
            if (simultaneous)
            {
                GeneratorLoss(theta.Detach(), beta).Backward();                    // at the same (θ, β)
                dOpt.Step();
                gOpt.Step();
            }
            else
            {
                dOpt.Step();
                GeneratorLoss(theta.Detach(), beta).Backward();                    // against the updated D
                gOpt.Step();
            }
            g[i] = GanExercises.Generate(beta.Detach()).Item();
        }
        var th = theta.Detach();
        return Measure(g, GanExercises.Discriminate(th, real).Item(), GanExercises.Discriminate(th, GanExercises.Generate(beta.Detach())).Item());
    }

    /// <summary>−log D(G(z)): descending it ascends log D(G(z)) (non-saturating).</summary>
    private static Tensor GeneratorLoss(Tensor theta, Tensor beta) => -GanExercises.Discriminate(theta, GanExercises.Generate(beta)).Log();

    private static (double V0, double VUp, double VDown) LibraryVSteps(double lambda)
    {
        var real = Tensor.Scalar(GanExercises.X, DType.Float64);
        var fake = GanExercises.Generate(Worked.T(GanExercises.Beta)).Detach();
        Tensor V(Tensor theta) => GanExercises.Discriminate(theta, real).Log() + (1 - GanExercises.Discriminate(theta, fake)).Log();
        var theta = Worked.T(GanExercises.Theta).RequiresGrad_();
        var v = V(theta);
        v.Backward();
        var grad = theta.Grad!.Detach();
        var t0 = theta.Detach();
        return (v.Item(), V(t0 + lambda * grad).Item(), V(t0 - lambda * grad).Item());
    }

    private static Outcome Measure(double[] g, double dReal, double dFake)
    {
        var last = g[^Window..];
        return new Outcome(Math.Abs(g[^1] - GanExercises.X), last.Max() - last.Min(), dReal, dFake);
    }

    // ---- rule-chosen sentences ----

    /// <summary>Q20b: which way D's step moves V, from the three values.</summary>
    public static string AscentSays(double v0, double vUp, double vDown, double lambda)
    {
        string F(double v) => LabReport.Format(v);
        if (vUp > v0 && vDown < v0)
            return $"b) The discriminator's step raises V: from {F(v0)} to {F(vUp)} (+{F(vUp - v0)}) with θ + λ∂V/∂θ (λ = {F(lambda)}), while the step with the other sign lowers it to {F(vDown)} ({F(vDown - v0)}). "
                + "D is the maximising player of min_G max_D V, and V is D's log-likelihood of calling the real sample real and the generated one fake, so D must climb V: gradient ascent. "
                + "(G, the minimising player, descends; the library's optimisers only descend, so D's ascent is run as descent on −V.)";
        return $"b) Here the step θ + λ∂V/∂θ does not raise V (V = {F(v0)} → {F(vUp)}; the other sign gives {F(vDown)}): with λ = {F(lambda)} the step is too large for the first-order picture, though D still maximises V.";
    }

    /// <summary>Q20c at one step size: which schedule ends nearer the data, by a factor-1.5 rule.</summary>
    public static string ScheduleSays(double lambda, Outcome alternating, Outcome simultaneous)
    {
        string F(double v) => LabReport.Format(v);
        const double factor = 1.5;
        string numbers = $"after {Steps} steps G(z) is {F(alternating.Distance)} from the data with alternating updates and {F(simultaneous.Distance)} with simultaneous ones, "
            + $"and swings by {F(alternating.Swing)} vs {F(simultaneous.Swing)} over the last {Window} steps";
        double ratio = simultaneous.Distance / Math.Max(alternating.Distance, 1e-300);
        if (ratio > factor)
            return $"c) λ = {F(lambda)}: {numbers}: the simultaneous schedule is {F(ratio)} times farther from the equilibrium (G(z) = x, D = ½).";
        if (ratio < 1 / factor)
            return $"c) λ = {F(lambda)}: {numbers}: here the simultaneous schedule ends nearer (by a factor {F(1 / ratio)}), so this run does not show alternation helping.";
        return $"c) λ = {F(lambda)}: {numbers}: within a factor {F(factor)} of each other, so at this step size the two schedules do not differ measurably.";
    }

    /// <summary>What the simultaneous update does, true of the code above (not a measured claim).</summary>
    public const string Mechanism =
        "In the simultaneous schedule both gradients are taken at the same (θ, β): G's step aims at the discriminator from before D's step, and D's step at the generator from before G's, "
        + "so each moves against an opponent that has already changed; the alternating schedule gives G the updated D (Algorithm 1). The numbers above say whether that mattered here.";
}
