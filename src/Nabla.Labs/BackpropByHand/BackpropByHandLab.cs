using System.Diagnostics;
using Nabla.Course;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// The homework MLPs with explicitly coded backprop (IFT6135 Problem 1, 24789 programming Problem 1) trained on
/// MNIST, each beside an autograd twin that starts from the same weights and sees the same batches (the library's
/// <see cref="Mlp"/> + <see cref="Sgd"/> for IFT6135, the autograd <c>ClassicMlp</c> for 24789), and a gradient check
/// of explicit vs autograd vs central finite differences on one mini-batch of real data in float64.
/// </summary>
public sealed partial class BackpropByHandLab : Lab<BackpropByHandSettings, BackpropByHandResult>
{
    public override string Name => "backprop-by-hand";

    public override string Description =>
        "homework MLPs with hand-written backprop (IFT6135 P1, 24789 P1) on MNIST: gradient check vs autograd and finite differences, training beside autograd twins";

    public override string Title => "Backprop by hand: the homework MLPs with explicit gradients, checked against autograd";

    public override BackpropByHandSettings Quick => new()
    {
        TrainSize = 3000, ValidationSize = 1000, TestSize = 1000, Epochs = 2, Hidden = [128, 128], TemplateHidden = [128, 64],
        CheckBatch = 16, CheckEntries = 20, ControlSteps = 30,
    };

    public override BackpropByHandSettings Full => new() { CheckEntries = 100 };

    private const int Inputs = 784, Classes = 10;
    private const ulong BatchSeed = 7;

    public override BackpropByHandResult Experiment(BackpropByHandSettings s, LabKit kit)
    {
        var mnist = kit.Mnist(s.TrainSize, s.ValidationSize, s.TestSize, MnistScaling.Standardized, flatten: true);
        var (xTr, yTr) = LabKit.ToTensors(mnist.Train);
        var (xVa, yVa) = LabKit.ToTensors(mnist.Validation);
        var (xTe, yTe) = LabKit.ToTensors(mnist.Test);
        kit.Out.WriteLine($"MNIST: {xTr.Size(0)} training, {xVa.Size(0)} validation, {xTe.Size(0)} test images (standardised)");
        var options = new HandMlpTrainOptions(s.Epochs, s.BatchSize, s.LearningRate, BatchSeed);

        // 1. IFT6135: 784-h1-h2-10 ReLU, Glorot, SGD; twin = library Mlp + Sgd.
        var ift = new Ift6135Mlp([Inputs, .. s.Hidden, Classes], HandActivation.Relu, HandMlpInit.Glorot, DType.Float32, kit.Generator(1));
        var iftRun = TrainIft(ift, s, options, xTr, yTr, xVa, yVa, xTe, yTe, kit);

        // 2. 24789: the template's standard-normal init, then the alternative, each with a ClassicMlp twin.
        var normal = TrainTemplate(HandMlpInit.Normal, s, options, xTr, yTr, xVa, yVa, xTe, yTe, kit, out var normalNet);
        var alt = TrainTemplate(s.TemplateAltInit, s, options, xTr, yTr, xVa, yVa, xTe, yTe, kit, out _);

        // 3. Gradient check at the end of training, in float64, on the first CheckBatch training images.
        int rows = Math.Min(s.CheckBatch, xTr.Size(0));
        var xb = xTr.Narrow(0, 0, rows).To(DType.Float64);
        var yb = yTr.Narrow(0, 0, rows).ToArray<int>();
        var grad = new List<BackpropGradRow>();
        grad.AddRange(CheckIft(ift, xb, yb, s.CheckEntries, kit.Generator(101)));
        grad.AddRange(CheckTemplate(normalNet, xb, yb, s.CheckEntries, kit.Generator(102)));
        foreach (var r in grad)
            kit.Out.WriteLine($"  check {r.Network} {r.Tensor}: explicit–autograd rel {r.ExplicitVsAutograd.MaxRelError:E2}, explicit–numeric rel {r.ExplicitVsNumeric.MaxRelError:E2}");
        return new BackpropByHandResult(xTr.Size(0), xVa.Size(0), xTe.Size(0), grad, rows, HandGradCheck.DefaultEps, [iftRun, normal, alt]);
    }

    private static BackpropRun TrainIft(Ift6135Mlp net, BackpropByHandSettings s, HandMlpTrainOptions options, Tensor xTr, Tensor yTr,
        Tensor xVa, Tensor yVa, Tensor xTe, Tensor yTe, LabKit kit)
    {
        var twin = Mlp.Create(new MlpOptions(Inputs, s.Hidden, Classes, "relu"));
        var linears = twin.Layers.OfType<Linear>().ToList();
        for (int l = 0; l < linears.Count; l++)
        {
            linears[l].Weight.CopyFrom_(net.Weights[l]);   // both [out, in]
            linears[l].Bias!.CopyFrom_(net.Biases[l]);
        }
        double z1Std = FirstLayerStd(xTr, net.Weights[0].T, net.Biases[0]);
        var w0 = net.Weights.Select(w => w.To(DType.Float64)).ToList();
        var b0 = net.Biases.Select(b => b.To(DType.Float64)).ToList();
        var history = net.Train(xTr, yTr, options, xVa, yVa, e => Log(kit, "IFT6135 explicit", e));
        double seconds = history.Epochs.Sum(e => e.Seconds);
        var (testLoss, testAcc) = net.Test(xTe, yTe);

        var sgd = new Sgd(twin.Parameters(), new SgdOptions(LearningRate: s.LearningRate));
        var (twinLosses, twinValid, twinSeconds) = TrainTwin(xTr, yTr, xVa, yVa, options, "IFT6135 autograd", kit, twin.Forward,
            (xb, yb) =>
            {
                sgd.ZeroGrad();
                var loss = twin.Forward(xb).CrossEntropy(yb);
                loss.Backward();
                sgd.Step();
                return loss.Item();
            });
        double twinTest = Accuracy(twin.Forward, xTe, yTe);

        // float64 control: the same start, the same batches, ControlSteps steps.
        var net64 = new Ift6135Mlp(net.Dims.ToArray(), net.ActivationKind, HandMlpInit.Zero, DType.Float64);
        Sequential twin64;
        using (DefaultDType.Scope(DType.Float64)) twin64 = Mlp.Create(new MlpOptions(Inputs, s.Hidden, Classes, "relu"));
        var linears64 = twin64.Layers.OfType<Linear>().ToList();
        for (int l = 0; l < linears64.Count; l++)
        {
            net64.Weights[l].CopyFrom_(w0[l]); net64.Biases[l].CopyFrom_(b0[l]);
            linears64[l].Weight.CopyFrom_(w0[l]); linears64[l].Bias!.CopyFrom_(b0[l]);
        }
        var sgd64 = new Sgd(twin64.Parameters(), new SgdOptions(LearningRate: s.LearningRate));
        var control = Control(s.ControlSteps, xTr, yTr, options,
            (xb, yb) =>
            {
                var cache = net64.Forward(xb);
                double loss = net64.Loss(cache.Logits, yb);
                net64.Update(net64.Backward(cache, yb), s.LearningRate);
                return loss;
            },
            (xb, yb) =>
            {
                sgd64.ZeroGrad();
                var loss = twin64.Forward(xb).CrossEntropy(yb);
                loss.Backward();
                sgd64.Step();
                return loss.Item();
            });
        kit.Out.WriteLine($"  IFT6135 float64 control: {control.Steps} steps, max rel Δ loss {control.MaxRel:E2} (first 10 steps {control.MaxRelFirst10:E2})");
        return new BackpropRun("ift6135", $"IFT6135 {Inputs}-{string.Join("-", s.Hidden)}-{Classes} ReLU", "Glorot",
            "library Mlp + Sgd", net.ParameterCount, history, twinLosses, twinValid, testLoss, testAcc, twinTest, seconds, twinSeconds, z1Std, control);
    }

    private static BackpropRun TrainTemplate(HandMlpInit init, BackpropByHandSettings s, HandMlpTrainOptions options, Tensor xTr, Tensor yTr,
        Tensor xVa, Tensor yVa, Tensor xTe, Tensor yTe, LabKit kit, out Template24789Mlp net)
    {
        var g = kit.Generator(init == HandMlpInit.Normal ? 2UL : 3UL);
        Func<int, int, Tensor> weights = init switch
        {
            HandMlpInit.Normal => (d0, d1) => Template24789Mlp.RandomNormalWeightInit(d0, d1, g, DType.Float32),
            HandMlpInit.Glorot => (d0, d1) => Tensor.Rand([d0, d1], -Math.Sqrt(6.0 / (d0 + d1)), Math.Sqrt(6.0 / (d0 + d1)), DType.Float32, g),
            _ => (d0, d1) => Tensor.Zeros([d0, d1], DType.Float32),
        };
        var acts = Enumerable.Repeat(s.TemplateActivation, s.TemplateHidden.Length).ToArray();
        net = new Template24789Mlp(Inputs, Classes, s.TemplateHidden, acts, weights, d => Template24789Mlp.ZerosBiasInit(d, DType.Float32), s.TemplateLearningRate);
        var twin = new ClassicMlp([Inputs, .. s.TemplateHidden, Classes], s.TemplateActivation.ToString().ToLowerInvariant(), "zeros");
        for (int l = 0; l < twin.Layers.Count; l++)
        {
            twin.Layers[l].Weight.CopyFrom_(net.W[l].T);   // [in, out] → Linear's [out, in]
            twin.Layers[l].Bias!.CopyFrom_(net.B[l]);
        }
        string label = $"24789 {init.ToString().ToLowerInvariant()}";
        double z1Std = FirstLayerStd(xTr, net.W[0], net.B[0]);
        var w0 = new Queue<Tensor>(net.W.Select(w => w.To(DType.Float64)));
        var b0 = new Queue<Tensor>(net.B.Select(b => b.To(DType.Float64)));
        var m = net;
        var history = m.GetTrainingStats(xTr, yTr, options, xVa, yVa, e => Log(kit, $"{label} explicit", e));
        double seconds = history.Epochs.Sum(e => e.Seconds);
        var (testLoss, testAcc) = m.Evaluate(xTe, yTe);

        var (twinLosses, twinValid, twinSeconds) = TrainTwin(xTr, yTr, xVa, yVa, options, $"{label} autograd", kit, twin.Forward,
            (xb, yb) =>
            {
                twin.ZeroGrads();
                var loss = twin.GetLoss(xb, yb);
                twin.Backward();
                twin.Step(s.TemplateLearningRate);
                return loss.Item();
            });
        double twinTest = Accuracy(twin.Forward, xTe, yTe);

        // float64 control: the same start, the same batches, ControlSteps steps.
        var twin64 = new ClassicMlp([Inputs, .. s.TemplateHidden, Classes], s.TemplateActivation.ToString().ToLowerInvariant(), "zeros", dtype: DType.Float64);
        for (int l = 0; l < twin64.Layers.Count; l++)
        {
            twin64.Layers[l].Weight.CopyFrom_(w0.ElementAt(l).T);
            twin64.Layers[l].Bias!.CopyFrom_(b0.ElementAt(l));
        }
        var net64 = new Template24789Mlp(Inputs, Classes, s.TemplateHidden, acts, (_, _) => w0.Dequeue(), _ => b0.Dequeue(), s.TemplateLearningRate);
        var control = Control(s.ControlSteps, xTr, yTr, options,
            (xb, yb) =>
            {
                net64.ZeroGrads();
                net64.Forward(xb);
                double loss = net64.GetLoss(yb);
                net64.Backward(yb);
                net64.Step();
                return loss;
            },
            (xb, yb) =>
            {
                twin64.ZeroGrads();
                var loss = twin64.GetLoss(xb, yb);
                twin64.Backward();
                twin64.Step(s.TemplateLearningRate);
                return loss.Item();
            });
        kit.Out.WriteLine($"  {label} float64 control: {control.Steps} steps, max rel Δ loss {control.MaxRel:E2} (first 10 steps {control.MaxRelFirst10:E2})");
        string arch = $"24789 {Inputs}-{string.Join("-", s.TemplateHidden)}-{Classes} {s.TemplateActivation}";
        string initName = init switch { HandMlpInit.Normal => "standard normal N(0, 1)", HandMlpInit.Glorot => "Glorot", _ => "zero" };
        return new BackpropRun($"24789_{init.ToString().ToLowerInvariant()}", arch, initName, "ClassicMlp (autograd)", m.ParameterCount, history,
            twinLosses, twinValid, testLoss, testAcc, twinTest, seconds, twinSeconds, z1Std, control);
    }

    /// <summary>The autograd twin's loop: the same batches as the explicit network (<see cref="HandMlpBatches"/>), one
    /// step per batch, validation accuracy after every epoch.</summary>
    private static (List<double> Losses, List<double> Valid, double Seconds) TrainTwin(Tensor x, Tensor y, Tensor xVa, Tensor yVa,
        HandMlpTrainOptions o, string label, LabKit kit, Func<Tensor, Tensor> forward, Func<Tensor, Tensor, double> step)
    {
        var losses = new List<double>();
        var valid = new List<double>();
        double trainSeconds = 0;
        for (int e = 0; e < o.Epochs; e++)
        {
            var epochClock = Stopwatch.StartNew();
            foreach (var idx in HandMlpBatches.Epoch(x.Size(0), o.BatchSize, o.Seed, e))
            {
                var index = Tensor.FromArray(idx, idx.Length);
                losses.Add(step(x.IndexSelect(0, index), y.IndexSelect(0, index)));
            }
            trainSeconds += epochClock.Elapsed.TotalSeconds;
            valid.Add(Accuracy(forward, xVa, yVa));
            kit.Out.WriteLine($"  {label,-22} epoch {e + 1,2}: batch loss {losses.Skip(losses.Count - (x.Size(0) + o.BatchSize - 1) / o.BatchSize).Average():F4}, validation accuracy {valid[^1]:P2}");
        }
        return (losses, valid, trainSeconds);
    }

    /// <summary>Trains the explicit network and its twin (both float64) side by side on the first <paramref name="steps"/>
    /// batches of the run's order (inputs converted to float64) and compares their batch losses.</summary>
    private static LossDifference Control(int steps, Tensor x, Tensor y, HandMlpTrainOptions o,
        Func<Tensor, Tensor, double> explicitStep, Func<Tensor, Tensor, double> twinStep)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (int e = 0; a.Count < steps && e < o.Epochs; e++)
            foreach (var idx in HandMlpBatches.Epoch(x.Size(0), o.BatchSize, o.Seed, e))
            {
                if (a.Count == steps) break;
                var index = Tensor.FromArray(idx, idx.Length);
                var xb = x.IndexSelect(0, index).To(DType.Float64);
                var yb = y.IndexSelect(0, index);
                a.Add(explicitStep(xb, yb));
                b.Add(twinStep(xb, yb));
            }
        return LossDifference.Of(a, b);
    }

    /// <summary>Standard deviation of z = x·W + b over the first (up to) 1,000 rows, W [in, out].</summary>
    private static double FirstLayerStd(Tensor x, Tensor w, Tensor b)
    {
        var z = (x.Narrow(0, 0, Math.Min(1000, x.Size(0))).MatMul(w) + b).ToDoubleArray();
        double mean = z.Average();
        return Math.Sqrt(z.Sum(v => (v - mean) * (v - mean)) / z.Length);
    }

    private static void Log(LabKit kit, string label, HandMlpEpoch e) =>
        kit.Out.WriteLine($"  {label,-22} epoch {e.Epoch,2}: batch loss {e.MeanBatchLoss:F4}, train loss {e.TrainLoss:F4}, validation accuracy {e.ValidAccuracy:P2} ({e.Seconds:F1} s)");

    /// <summary>Fraction of rows whose argmax logit is the label, without recording a graph.</summary>
    private static double Accuracy(Func<Tensor, Tensor> forward, Tensor x, Tensor y)
    {
        using var _ = GradMode.NoGrad();
        var labels = y.ToArray<int>();
        int right = 0;
        for (int s = 0; s < labels.Length; s += 1000)
        {
            int len = Math.Min(1000, labels.Length - s);
            var z = forward(x.Narrow(0, s, len)).ToArray<float>();
            for (int i = 0; i < len; i++)
            {
                int best = 0;
                for (int j = 1; j < Classes; j++) if (z[i * Classes + j] > z[i * Classes + best]) best = j;
                if (best == labels[s + i]) right++;
            }
        }
        return (double)right / labels.Length;
    }
}
