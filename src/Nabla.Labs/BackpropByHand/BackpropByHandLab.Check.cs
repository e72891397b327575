using Nabla.Course;

namespace Nabla.Labs;

/// <summary>The gradient check: explicit gradients vs autograd on the same network built from library ops (every
/// entry) and both vs central finite differences of the explicit network's loss (sampled entries), in float64.</summary>
public sealed partial class BackpropByHandLab
{
    private static IEnumerable<BackpropGradRow> CheckIft(Ift6135Mlp trained, Tensor x, int[] y, int entries, Generator g)
    {
        var net = new Ift6135Mlp(trained.Dims.ToArray(), trained.ActivationKind, HandMlpInit.Zero, DType.Float64);
        for (int l = 0; l < net.Weights.Count; l++)
        {
            net.Weights[l].CopyFrom_(trained.Weights[l].To(DType.Float64));
            net.Biases[l].CopyFrom_(trained.Biases[l].To(DType.Float64));
        }
        var labels = Tensor.FromArray(y, y.Length);
        var grads = net.Backward(net.Forward(x), labels);
        var auto = AutogradGradients(net.Weights, net.Biases, trained.ActivationKind, x, labels, outIn: true);
        var explicitGrads = Interleave(grads.Weights, grads.Biases);
        var parameters = Interleave(net.Weights, net.Biases);
        return Rows("IFT6135", parameters, explicitGrads, auto, () => net.Loss(net.Forward(x).Logits, labels), entries, g);
    }

    private static IEnumerable<BackpropGradRow> CheckTemplate(Template24789Mlp trained, Tensor x, int[] y, int entries, Generator g)
    {
        var w = new Queue<Tensor>(trained.W.Select(t => t.To(DType.Float64)));
        var b = new Queue<Tensor>(trained.B.Select(t => t.To(DType.Float64)));
        var sizes = trained.LayerSizes;
        var net = new Template24789Mlp(sizes[0], sizes[^1], sizes.Skip(1).Take(sizes.Count - 2).ToArray(), trained.Activations.ToArray(),
            (_, _) => w.Dequeue(), _ => b.Dequeue(), trained.LearningRate);
        var labels = Tensor.FromArray(y, y.Length);
        net.ZeroGrads();
        net.Forward(x);
        net.Backward(labels);
        var auto = AutogradGradients(net.W, net.B, trained.Activations[0], x, labels, outIn: false);
        return Rows("24789 (N(0,1) init)", Interleave(net.W, net.B), Interleave(net.DW, net.DB), auto,
            () => { net.Forward(x); return net.GetLoss(labels); }, entries, g);
    }

    private static IEnumerable<BackpropGradRow> Rows(string network, List<Tensor> parameters, List<Tensor> explicitGrads, List<Tensor> auto,
        Func<double> loss, int entries, Generator g)
    {
        var rows = new List<BackpropGradRow>();
        for (int i = 0; i < parameters.Count; i++)
        {
            string name = (i % 2 == 0 ? "W" : "b") + (i / 2 + 1);
            var p = parameters[i];
            var idx = HandGradCheck.Entries(p.Numel, entries, g);
            var fd = HandGradCheck.Numeric(loss, p, idx);
            rows.Add(new BackpropGradRow(network, name, string.Join("×", p.Shape.ToArray()),
                HandGradCheck.Compare(name, explicitGrads[i].ToDoubleArray(), auto[i].ToDoubleArray()),
                HandGradCheck.Compare(name, HandGradCheck.At(explicitGrads[i], idx), fd),
                HandGradCheck.Compare(name, HandGradCheck.At(auto[i], idx), fd)));
        }
        return rows;
    }

    /// <summary>∂L/∂W_l, ∂L/∂b_l by autograd for the network rebuilt from library ops (MatMul or Linear, the activation
    /// op, the fused CrossEntropy), on copies of the weights.</summary>
    private static List<Tensor> AutogradGradients(IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> biases, HandActivation act,
        Tensor x, Tensor labels, bool outIn)
    {
        var ws = weights.Select(t => t.Detach().Clone().RequiresGrad_()).ToList();
        var bs = biases.Select(t => t.Detach().Clone().RequiresGrad_()).ToList();
        var h = x;
        for (int l = 0; l < ws.Count; l++)
        {
            var z = outIn ? h.Linear(ws[l], bs[l]) : h.MatMul(ws[l]) + bs[l];
            h = l == ws.Count - 1 ? z : act switch
            {
                HandActivation.Sigmoid => z.Sigmoid(),
                HandActivation.Tanh => z.Tanh(),
                _ => z.Relu(),
            };
        }
        h.CrossEntropy(labels).Backward();
        return Interleave(ws.Select(t => t.Grad!).ToList(), bs.Select(t => t.Grad!).ToList());
    }

    private static List<Tensor> Interleave(IReadOnlyList<Tensor> w, IReadOnlyList<Tensor> b) =>
        w.Zip(b).SelectMany(p => new[] { p.First, p.Second }).ToList();
}
