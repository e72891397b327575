namespace Nabla.Labs;

/// <summary>Workbook Q9 by explicitly coded backpropagation: plain gradient descent on the Workbook's table with the
/// gradients of J written out by hand, beside the autograd run (<see cref="XorLab.Train"/>, "SGD") from the same
/// initial weights. <see cref="InitialGradientDifference"/> compares the two gradients at the initial weights,
/// <see cref="MaxLossDifference"/> the two objectives over every epoch.</summary>
public sealed record XorHandRun(double[] Loss, double[] Outputs, double InitialGradientDifference, double MaxLossDifference, XorRun Autograd)
{
    public bool Learned => XorLab.Matches(Outputs, XorCoding.Workbook);
}

public sealed partial class XorLab
{
    /// <summary>∂J/∂θ of the 2-2-1 sigmoid network for J = ¼·Σ_i(y_i − t_i)² + (λ/2)·(ΣW1² + ΣW2²), by the chain rule
    /// written out: δ2_i = ½(y_i − t_i)·y_i(1 − y_i), ∂J/∂W2 = Σ_i δ2_i·h_iᵀ + λW2, ∂J/∂b2 = Σ_i δ2_i;
    /// δ1_i = (W2ᵀδ2_i) ⊙ h_i(1 − h_i), ∂J/∂W1 = Σ_i δ1_i·x_iᵀ + λW1, ∂J/∂b1 = Σ_i δ1_i. Parameters are flat:
    /// w1 [2×2 row-major, row = hidden unit], b1 [2], w2 [2], b2 [1]. Returns J and the gradients in the same layout.</summary>
    public static (double J, double[] W1, double[] B1, double[] W2, double[] B2) HandGradients(
        double[] w1, double[] b1, double[] w2, double[] b2, double[][] x, double[] t, double lambda)
    {
        static double S(double z) => 1 / (1 + Math.Exp(-z));
        double[] gw1 = new double[4], gb1 = new double[2], gw2 = new double[2], gb2 = new double[1];
        double mse = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double[] h = [S(w1[0] * x[i][0] + w1[1] * x[i][1] + b1[0]), S(w1[2] * x[i][0] + w1[3] * x[i][1] + b1[1])];
            double y = S(w2[0] * h[0] + w2[1] * h[1] + b2[0]);
            mse += (y - t[i]) * (y - t[i]) / x.Length;
            double d2 = 2.0 / x.Length * (y - t[i]) * y * (1 - y);
            gb2[0] += d2;
            for (int j = 0; j < 2; j++)
            {
                gw2[j] += d2 * h[j];
                double d1 = d2 * w2[j] * h[j] * (1 - h[j]);
                gb1[j] += d1;
                gw1[2 * j] += d1 * x[i][0];
                gw1[2 * j + 1] += d1 * x[i][1];
            }
        }
        for (int k = 0; k < 4; k++) gw1[k] += lambda * w1[k];
        for (int k = 0; k < 2; k++) gw2[k] += lambda * w2[k];
        double penalty = lambda / 2 * (w1.Sum(w => w * w) + w2.Sum(w => w * w));
        return (mse + penalty, gw1, gb1, gw2, gb2);
    }

    /// <summary>Plain gradient descent θ ← θ − η·∂J/∂θ with <see cref="HandGradients"/> from the initial weights of
    /// <paramref name="seed"/>, and the autograd run from the same weights for comparison.</summary>
    public static XorHandRun TrainByHand(XorSettings s, double lr, ulong seed)
    {
        var net = GateNetworks.Create(hidden: true, s.InitStd, new Generator(seed));
        var p = net.Parameters().Select(q => q.ToDoubleArray()).ToList();   // W1 [2, 2], b1, W2 [1, 2], b2
        var x = Enumerable.Range(0, 4).Select(i => Inputs(XorCoding.Workbook).ToDoubleArray().Skip(2 * i).Take(2).ToArray()).ToArray();
        var t = Truth(XorCoding.Workbook);

        // Autograd's gradient at the initial weights, against the hand-written one.
        net.ZeroGrad();
        var weights = net.NamedParameters().Where(q => q.Name.EndsWith("weight", StringComparison.Ordinal)).Select(q => q.Tensor).ToList();
        (net.Invoke(Inputs(XorCoding.Workbook)).MseLoss(Tensor.FromArray(t, 4, 1)) + Tensor.L2Penalty(weights, s.Lambda)).Backward();
        var auto = net.Parameters().Select(q => q.Grad!.ToDoubleArray()).ToList();
        var g0 = HandGradients(p[0], p[1], p[2], p[3], x, t, s.Lambda);
        double gradDiff = new[] { g0.W1, g0.B1, g0.W2, g0.B2 }.Zip(auto).Max(q => q.First.Zip(q.Second).Max(v => Math.Abs(v.First - v.Second)));

        var loss = new double[s.Epochs];
        for (int e = 0; e < s.Epochs; e++)
        {
            var g = HandGradients(p[0], p[1], p[2], p[3], x, t, s.Lambda);
            loss[e] = g.J;
            double[][] grads = [g.W1, g.B1, g.W2, g.B2];
            for (int k = 0; k < 4; k++)
                for (int j = 0; j < p[k].Length; j++) p[k][j] -= lr * grads[k][j];
        }
        static double S(double z) => 1 / (1 + Math.Exp(-z));
        var outputs = x.Select(r => S(p[2][0] * S(p[0][0] * r[0] + p[0][1] * r[1] + p[1][0]) + p[2][1] * S(p[0][2] * r[0] + p[0][3] * r[1] + p[1][1]) + p[3][0])).ToArray();
        var autograd = Train(s, "SGD", lr, seed);
        double lossDiff = loss.Zip(autograd.Loss).Max(v => Math.Abs(v.First - v.Second));
        return new XorHandRun(loss, outputs, gradDiff, lossDiff, autograd);
    }
}
