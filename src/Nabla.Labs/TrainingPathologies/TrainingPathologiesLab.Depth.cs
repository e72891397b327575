using Nabla.Models;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// Per-layer gradients of an MLP on one batch (Linear k = 0 … L, the last being the output layer):
/// <see cref="WeightGrad"/>[k] = ‖∂L/∂W_k‖_F; <see cref="SignalGrad"/>[k] = ‖∂L/∂z_k‖_F, the back-propagated signal at
/// the pre-activation z_k = W_k·h_{k−1} + b_k (summed over the batch as a matrix [N, width]);
/// <see cref="DerivativeRms"/>[k] = √mean φ′(z_k)² over the batch and units of hidden layer k;
/// <see cref="Gain"/>[k] = ‖W_k‖_F/√out_k, the factor by which W_kᵀ scales an isotropic vector.
/// </summary>
public sealed record GradientProbe(double Loss, double[] WeightGrad, double[] SignalGrad, double[] DerivativeRms, double[] Gain);

/// <summary>One deep MLP of part (a): gradients at initialisation and after training, its per-epoch history and accuracy.</summary>
public sealed record DepthRun(string Label, string Key, string Activation, string Init, GradientProbe Before, GradientProbe After,
    double[] TrainLoss, double[] ValidationAccuracy, double TestAccuracy, string Outcome);

/// <summary>Part (a): a deep sigmoid MLP against a ReLU MLP of the same shape.</summary>
public sealed record DepthStudy(int Depth, int Width, int ProbeImages, double LearningRate, int Epochs, DepthRun Sigmoid, DepthRun Relu);

public sealed partial class TrainingPathologiesLab
{
    /// <summary>(label, activation, init scheme, results key) of the two deep MLPs: sigmoid with Glorot's init (weight
    /// gain ≈ 1, so any decay is σ′'s), ReLU with He's (gain √2 to make up for the half of the units that are off).</summary>
    public static readonly (string Label, string Activation, string Init, string Key)[] DeepNets =
        [("sigmoid + Glorot", "sigmoid", "xavier_uniform", "sigmoid"), ("ReLU + He", "relu", "kaiming_uniform", "relu")];

    private static DepthStudy RunDepthStudy(TrainingPathologiesSettings s, LabMnist data, LabKit kit)
    {
        var (probeX, probeY) = LabKit.ToTensors(data.Train.Slice(0, Math.Min(s.ProbeImages, data.Train.Count)));
        var runs = new List<DepthRun>();
        foreach (var (label, activation, init, key) in DeepNets)
        {
            kit.Out.WriteLine($"(a) {label}: {s.Depth} hidden layers of {s.Width}");
            var model = Mlp.Create(new MlpOptions(Hidden: Enumerable.Repeat(s.Width, s.Depth).ToArray(), Activation: activation, Init: init), kit.Generator(101));
            var before = Probe(model, probeX, probeY);
            var (trainer, fit) = MlpTraining.TrainSgd(model, data, s.DepthEpochs, s.DepthLearningRate, s.BatchSize, kit.Seed + 102, kit.Out, label);
            var after = Probe(model, probeX, probeY);
            runs.Add(new DepthRun(label, key, activation, init, before, after,
                MlpTraining.Series(fit, s.DepthEpochs, e => e.TrainLoss), MlpTraining.Series(fit, s.DepthEpochs, e => e.ValidationAccuracy),
                fit.Diverged ? double.NaN : MlpTraining.Evaluate(trainer, data.Test).Accuracy, fit.Diverged ? fit.StopReason : "completed"));
        }
        return new DepthStudy(s.Depth, s.Width, probeX.Size(0), s.DepthLearningRate, s.DepthEpochs, runs[0], runs[1]);
    }

    /// <summary>One forward and backward pass of <paramref name="model"/> (Flatten, then Linear/activation pairs, then
    /// the output Linear) on a batch. A zero tensor e_k that requires grad is added to every pre-activation, so
    /// ∂L/∂e_k = ∂L/∂z_k lands in e_k.Grad (the library keeps no gradients of intermediate tensors).</summary>
    public static GradientProbe Probe(Sequential model, Tensor x, Tensor y)
    {
        model.ZeroGrad();
        var probes = new List<Tensor>();
        var derivative = new List<double>();
        var h = x;
        foreach (var layer in model.Layers)
        {
            if (layer is Linear)
            {
                var z = layer.Invoke(h);
                var e = Tensor.Zeros(z.Shape.ToArray()).RequiresGrad_();
                probes.Add(e);
                h = z.Add(e);
            }
            else
            {
                if (layer is Sigmoid or ReLU) derivative.Add(DerivativeRms(layer is Sigmoid ? "sigmoid" : "relu", h.ToDoubleArray()));
                h = layer.Invoke(h);
            }
        }
        var loss = h.CrossEntropy(y);
        loss.Backward();
        var linears = model.Layers.OfType<Linear>().ToList();
        var result = new GradientProbe(loss.Item(),
            linears.Select(l => Norm(l.Weight.Grad!.ToDoubleArray())).ToArray(),
            probes.Select(e => Norm(e.Grad!.ToDoubleArray())).ToArray(),
            derivative.ToArray(),
            linears.Select(l => Norm(l.Weight.ToDoubleArray()) / Math.Sqrt(l.OutFeatures)).ToArray());
        model.ZeroGrad();
        return result;
    }

    /// <summary>√mean φ′(z)² for φ = sigmoid (σ′ = σ(1 − σ) ≤ ¼, equal to ¼ at z = 0) or ReLU (φ′ = 1 where z &gt; 0, else 0).</summary>
    public static double DerivativeRms(string activation, IReadOnlyList<double> z)
    {
        if (z.Count == 0) return double.NaN;
        double sum = 0;
        foreach (double v in z)
        {
            double d = activation switch
            {
                "sigmoid" => Logistic(v) * (1 - Logistic(v)),
                "relu" => v > 0 ? 1 : 0,
                _ => throw new ArgumentException($"DerivativeRms: unknown activation '{activation}'"),
            };
            sum += d * d;
        }
        return Math.Sqrt(sum / z.Count);
    }

    private static double Logistic(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>The measured per-layer factor of the back-propagated signal over the hidden layers, input-ward:
    /// (‖∂L/∂z_0‖/‖∂L/∂z_{L−1}‖)^(1/(L−1)), the geometric mean of the L − 1 ratios ‖∂L/∂z_k‖/‖∂L/∂z_{k+1}‖.</summary>
    public static double MeasuredFactor(GradientProbe p)
    {
        int hidden = p.DerivativeRms.Length;
        if (hidden < 2) return double.NaN;
        return Math.Pow(p.SignalGrad[0] / p.SignalGrad[hidden - 1], 1.0 / (hidden - 1));
    }

    /// <summary>The factor the chain rule predicts from the probe's own numbers: ∂L/∂z_k = φ′(z_k) ⊙ W_{k+1}ᵀ·∂L/∂z_{k+1},
    /// so each step toward the input multiplies the signal's norm by about rms φ′(z_k)·gain(W_{k+1}) (when φ′ and the
    /// signal are uncorrelated and the signal has no preferred direction); the geometric mean of those L − 1 products.</summary>
    public static double PredictedFactor(GradientProbe p)
    {
        int hidden = p.DerivativeRms.Length;
        if (hidden < 2) return double.NaN;
        double logSum = 0;
        for (int k = 0; k < hidden - 1; k++) logSum += Math.Log(p.DerivativeRms[k] * p.Gain[k + 1]);
        return Math.Exp(logSum / (hidden - 1));
    }

    /// <summary>Geometric mean of the weight gains of hidden layers 1 … L − 1 (the ones in <see cref="PredictedFactor"/>).</summary>
    public static double MeanGain(GradientProbe p)
    {
        int hidden = p.DerivativeRms.Length;
        return hidden < 2 ? double.NaN : Math.Exp(Enumerable.Range(1, hidden - 1).Average(k => Math.Log(p.Gain[k])));
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(a => a * a));
}
