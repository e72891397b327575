using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// Dropout with the train- and test-time scales spelled out, to compare the two conventions: in training
/// y = <see cref="TrainScale"/>·(x ⊙ m), m ~ Bernoulli(1 − P); in eval y = <see cref="EvalScale"/>·x, or, with
/// <see cref="KeepOnInEval"/>, a fresh mask as in training. Inverted dropout (the library's <see cref="Dropout"/>) is
/// TrainScale = 1/(1 − P), EvalScale = 1; textbook dropout is TrainScale = 1, EvalScale = 1 − P. Shape: any → same.
/// </summary>
public sealed class ScaledDropout : Module
{
    public ScaledDropout(double p, double trainScale)
    {
        if (p is < 0 or >= 1) throw new ArgumentException($"ScaledDropout: p must be in [0, 1), got {p}");
        if (!(trainScale > 0)) throw new ArgumentException($"ScaledDropout: the training scale must be positive, got {trainScale}");
        P = p;
        TrainScale = trainScale;
    }

    public double P { get; }

    public double TrainScale { get; }

    /// <summary>The factor applied in eval mode (switched after training to compare inference rules).</summary>
    public double EvalScale { get; set; } = 1;

    /// <summary>Sample a mask in eval mode too (dropout "left on" at test time).</summary>
    public bool KeepOnInEval { get; set; }

    /// <summary>The masks' generator (the default generator when null).</summary>
    public Generator? Generator { get; set; }

    /// <summary>E[train output]/x = TrainScale·(1 − P); the eval output matches it when EvalScale equals this.</summary>
    public double ExpectedTrainFactor => TrainScale * (1 - P);

    public override Tensor Forward(Tensor input)
    {
        if (Training || KeepOnInEval)
        {
            var dropped = input.Dropout(P, true, Generator);   // x ⊙ m/(1 − P)
            double c = TrainScale * (1 - P);
            return c == 1 ? dropped : dropped.Mul(c);
        }
        return EvalScale == 1 ? input : input.Mul(EvalScale);
    }

    protected override string ExtraRepr() => $"p={P}, train_scale={TrainScale}, eval_scale={EvalScale}";
}
