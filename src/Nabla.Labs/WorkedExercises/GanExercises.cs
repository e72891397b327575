using Nabla.Optim;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>
/// Workbook Q21 (GAN back-propagation): the update equations for every generator weight β and discriminator weight θ,
/// and one step of Goodfellow et al.'s Algorithm 1 (k = 1) in numbers. The seed's two networks are in a figure its text
/// lacks, so the smallest networks with two weights each are used and stated:
/// generator G(z) = β₂·tanh(β₁z), discriminator D(x) = σ(θ₂·a(x)) with a(x) = σ(θ₁x).
/// With u = D(x) on the real sample, ũ = D(x̃) on the generated one x̃ = G(z), a = a(x), ã = a(x̃), t = tanh(β₁z):
/// <list type="bullet">
/// <item>∂/∂θ₂ log D(x) = (1 − u)·a, ∂/∂θ₁ log D(x) = (1 − u)·θ₂·a(1 − a)·x;</item>
/// <item>∂/∂θ₂ log(1 − D(x̃)) = −ũ·ã, ∂/∂θ₁ log(1 − D(x̃)) = −ũ·θ₂·ã(1 − ã)·x̃;</item>
/// <item>the discriminator ascends V = log D(x) + log(1 − D(G(z))): θ ← θ + λ·∂V/∂θ (x̃ held fixed);</item>
/// <item>the generator descends log(1 − D(G(z))) with θ fixed: β ← β − λ·∂/∂β, where ∂/∂x̃ log(1 − D(x̃)) =
/// −ũ·θ₂·ã(1 − ã)·θ₁, ∂x̃/∂β₂ = t, ∂x̃/∂β₁ = β₂(1 − t²)z; the non-saturating form ascends log D(G(z)) instead, whose
/// ∂/∂x̃ is (1 − ũ)·θ₂·ã(1 − ã)·θ₁.</item>
/// </list>
/// The library computes the same step with autograd and <see cref="Sgd"/> (ascent as descent on −V); the generator step
/// uses the discriminator weights after its update, as Algorithm 1 alternates them.
/// </summary>
public static class GanExercises
{
    public const double Z = 0.5, X = 1.5, Lambda = 0.1;
    public static readonly double[] Beta = [1.0, 2.0];     // β₁, β₂
    public static readonly double[] Theta = [0.5, -1.0];   // θ₁, θ₂

    public static Exercise Q21()
    {
        var answers = new List<Answer>();
        var h = new Hand();

        // ---- by hand ----
        double b1 = Beta[0], b2 = Beta[1], t1 = Theta[0], t2 = Theta[1];
        double t = h.Let("t = tanh(β₁z)", $"tanh({N(b1)}·{N(Z)})", Math.Tanh(b1 * Z));
        double xg = h.Let("x̃ = G(z) = β₂·t", $"{N(b2)}·{N(t)}", b2 * t);
        double a = h.Let("a = σ(θ₁x)", $"σ({N(t1)}·{N(X)})", Sigmoid(t1 * X));
        double u = h.Let("u = D(x) = σ(θ₂a)", $"σ({N(t2)}·{N(a)})", Sigmoid(t2 * a));
        double ag = h.Let("ã = σ(θ₁x̃)", $"σ({N(t1)}·{N(xg)})", Sigmoid(t1 * xg));
        double ug = h.Let("ũ = D(x̃) = σ(θ₂ã)", $"σ({N(t2)}·{N(ag)})", Sigmoid(t2 * ag));
        double v = h.Let("V = log u + log(1 − ũ)", $"log({N(u)}) + log(1 − {N(ug)})", Math.Log(u) + Math.Log(1 - ug));
        double dT2 = h.Let("∂V/∂θ₂ = (1 − u)a − ũã", $"(1 − {N(u)})·{N(a)} − {N(ug)}·{N(ag)}", (1 - u) * a - ug * ag);
        double dT1 = h.Let("∂V/∂θ₁ = (1 − u)θ₂a(1 − a)x − ũθ₂ã(1 − ã)x̃",
            $"(1 − {N(u)})·{N(t2)}·{N(a)}·(1 − {N(a)})·{N(X)} − {N(ug)}·{N(t2)}·{N(ag)}·(1 − {N(ag)})·{N(xg)}",
            (1 - u) * t2 * a * (1 - a) * X - ug * t2 * ag * (1 - ag) * xg);
        double nt1 = h.Let("θ₁ ← θ₁ + λ·∂V/∂θ₁", $"{N(t1)} + {N(Lambda)}·{N(dT1)}", t1 + Lambda * dT1);
        double nt2 = h.Let("θ₂ ← θ₂ + λ·∂V/∂θ₂", $"{N(t2)} + {N(Lambda)}·{N(dT2)}", t2 + Lambda * dT2);
        // the generator step with the updated discriminator
        double ag2 = h.Let("ã′ = σ(θ₁′x̃)", $"σ({N(nt1)}·{N(xg)})", Sigmoid(nt1 * xg));
        double ug2 = h.Let("ũ′ = D′(x̃) = σ(θ₂′ã′)", $"σ({N(nt2)}·{N(ag2)})", Sigmoid(nt2 * ag2));
        double dX = h.Let("∂/∂x̃ log(1 − D′(x̃)) = −ũ′θ₂′ã′(1 − ã′)θ₁′", $"−{N(ug2)}·{N(nt2)}·{N(ag2)}·(1 − {N(ag2)})·{N(nt1)}",
            -ug2 * nt2 * ag2 * (1 - ag2) * nt1);
        double dB2 = h.Let("∂/∂β₂ = ∂/∂x̃ · t", $"{N(dX)}·{N(t)}", dX * t);
        double dB1 = h.Let("∂/∂β₁ = ∂/∂x̃ · β₂(1 − t²)z", $"{N(dX)}·{N(b2)}·(1 − {N(t)}²)·{N(Z)}", dX * b2 * (1 - t * t) * Z);
        double nb1 = h.Let("β₁ ← β₁ − λ·∂/∂β₁ (saturating)", $"{N(b1)} − {N(Lambda)}·{N(dB1)}", b1 - Lambda * dB1);
        double nb2 = h.Let("β₂ ← β₂ − λ·∂/∂β₂ (saturating)", $"{N(b2)} − {N(Lambda)}·{N(dB2)}", b2 - Lambda * dB2);
        double dXns = h.Let("∂/∂x̃ log D′(x̃) = (1 − ũ′)θ₂′ã′(1 − ã′)θ₁′", $"(1 − {N(ug2)})·{N(nt2)}·{N(ag2)}·(1 − {N(ag2)})·{N(nt1)}",
            (1 - ug2) * nt2 * ag2 * (1 - ag2) * nt1);
        double nsb1 = h.Let("β₁ ← β₁ + λ·∂x̃ log D′ · β₂(1 − t²)z (non-saturating)", $"{N(b1)} + {N(Lambda)}·{N(dXns)}·{N(b2)}·(1 − {N(t)}²)·{N(Z)}",
            b1 + Lambda * dXns * b2 * (1 - t * t) * Z);
        double nsb2 = h.Let("β₂ ← β₂ + λ·∂x̃ log D′ · t (non-saturating)", $"{N(b2)} + {N(Lambda)}·{N(dXns)}·{N(t)}", b2 + Lambda * dXns * t);

        // ---- library: autograd + Sgd ----
        var beta = Worked.T(Beta).RequiresGrad_();
        var theta = Worked.T(Theta).RequiresGrad_();
        var fake = Generate(beta).Detach();                                        // x̃ held fixed in the D step
        var real = Tensor.Scalar(X, DType.Float64);
        var value = Discriminate(theta, real).Log() + (1 - Discriminate(theta, fake)).Log();
        var dOpt = new Sgd([theta], new SgdOptions(LearningRate: Lambda));
        (-value).Backward();                                                       // ascent on V = descent on −V
        var libDTheta = theta.Grad!.ToDoubleArray().Select(g => -g).ToArray();
        dOpt.Step();
        answers.Add(Worked.Of("x̃ = G(z)", fake.Item(), xg));
        answers.Add(Worked.Of("D(x), D(x̃)", [Discriminate(Worked.T(Theta), real).Item(), Discriminate(Worked.T(Theta), fake).Item()], [u, ug], [2]));
        answers.Add(Worked.Of("V = log D(x) + log(1 − D(x̃))", value.Item(), v));
        answers.Add(Worked.Of("∂V/∂θ = (∂/∂θ₁, ∂/∂θ₂)", libDTheta, [dT1, dT2], [2]));
        answers.Add(Worked.Of("θ after the discriminator's ascent step", theta.Detach().ToDoubleArray(), [nt1, nt2], [2]));

        var thetaNow = theta.Detach();                                             // θ fixed in the G step
        foreach (bool nonSaturating in new[] { false, true })
        {
            var b = Worked.T(Beta).RequiresGrad_();
            var d = Discriminate(thetaNow, Generate(b));
            var loss = nonSaturating ? -d.Log() : (1 - d).Log();
            loss.Backward();
            new Sgd([b], new SgdOptions(LearningRate: Lambda)).Step();
            answers.Add(nonSaturating
                ? Worked.Of("β after the generator step, non-saturating (ascent on log D(G(z)))", b.Detach().ToDoubleArray(), [nsb1, nsb2], [2])
                : Worked.Of("β after the generator step, saturating (descent on log(1 − D(G(z))))", b.Detach().ToDoubleArray(), [nb1, nb2], [2]));
        }
        return new Exercise("Workbook Q21", answers, h.Steps);
    }

    /// <summary>G(z) = β₂·tanh(β₁z) for the exercise's z.</summary>
    internal static Tensor Generate(Tensor beta) => beta.Narrow(0, 1, 1).Reshape() * (beta.Narrow(0, 0, 1).Reshape() * Z).Tanh();

    /// <summary>D(x) = σ(θ₂·σ(θ₁x)).</summary>
    internal static Tensor Discriminate(Tensor theta, Tensor x) =>
        (theta.Narrow(0, 1, 1).Reshape() * (theta.Narrow(0, 0, 1).Reshape() * x).Sigmoid()).Sigmoid();
}
