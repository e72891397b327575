using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>Workbook Q13 (forward) and Q14 (backward, logistic loss, y = 0) of the two-layer CNN on the 3×3 image:
/// K⁽¹⁾ maps 1 channel to 2 (2×2 kernels), K⁽²⁾ maps 2 channels to 1 (2×2), ReLU after each, P(y = 1) = σ(Z + θ).
/// Computed with the library (Conv2d, Relu, Sigmoid, autograd) and by hand, in the CNN convention (cross-correlation)
/// and in the flipped-kernel convention (true convolution).</summary>
public static class CnnExercises
{
    public static readonly double[,] V0 = { { 2, 3, 1 }, { 4, 6, 9 }, { 4, 7, 1 } };
    public static readonly double[][,] K1 = [new double[,] { { 2, -3 }, { -3, 2 } }, new double[,] { { 1, -1 }, { -1, 1 } }];   // K⁽¹⁾_1,1, K⁽¹⁾_1,2
    public static readonly double[][,] K2 = [new double[,] { { 1, -2 }, { -4, 3 } }, new double[,] { { 2, 1 }, { 1, 2 } }];    // K⁽²⁾_1,1, K⁽²⁾_2,1
    public const double Theta = -2, Label = 0;

    /// <summary>Q13 and Q14 for one convention.</summary>
    public static (Exercise Forward, Exercise Backward) Run(bool flip)
    {
        string conv = flip ? "convolution (kernels flipped)" : "cross-correlation (as Conv2d)";
        // Library: [N=1, C, H, W] images, [Cout, Cin, kh, kw] kernels.
        var v = Worked.T(V0).Reshape(1, 1, 3, 3);
        var k1 = Tensor.Stack([Worked.T(K1[0]), Worked.T(K1[1])]).Reshape(2, 1, 2, 2).Contiguous().RequiresGrad_();
        var k2 = Tensor.Stack([Worked.T(K2[0]), Worked.T(K2[1])]).Reshape(1, 2, 2, 2).Contiguous().RequiresGrad_();
        var theta = Tensor.Scalar(Theta, DType.Float64).RequiresGrad_();
        var a1 = v.Conv2d(flip ? k1.Flip(2, 3) : k1).Relu();                    // [1, 2, 2, 2]
        var z = a1.Conv2d(flip ? k2.Flip(2, 3) : k2).Relu();                      // [1, 1, 1, 1]
        var p = (z.Sum() + theta).Sigmoid();
        var loss = -(Label * p.Log() + (1 - Label) * (1.0 - p).Log());           // logistic loss
        loss.Backward();

        var h = new Hand();
        var pre1 = new double[2][,];
        var act1 = new double[2][,];
        for (int c = 0; c < 2; c++)
        {
            pre1[c] = ConvolutionExercises.Correlate2d(h, $"layer 1, channel {c + 1}: pre-activation", V0, K1[c], 0, flip);
            act1[c] = new double[2, 2];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) act1[c][i, j] = Relu(pre1[c][i, j]);
            h.Let($"layer 1, channel {c + 1}: ReLU", "[" + string.Join(", ", act1[c].Cast<double>().Select(N)) + "]", act1[c][0, 0]);
        }
        var part = new double[2];
        for (int c = 0; c < 2; c++) part[c] = ConvolutionExercises.Correlate2d(h, $"layer 2, from channel {c + 1}", act1[c], K2[c], 0, flip)[0, 0];
        double zPre = h.Let("Z⁽²⁾ pre-activation = sum over channels", $"{N(part[0])} + {N(part[1])}", part[0] + part[1]);
        double zHand = h.Let("Z⁽²⁾_1,1 = ReLU(·)", $"ReLU({N(zPre)})", Relu(zPre));
        double pHand = h.Let("P(y = 1) = σ(Z + θ)", $"σ({N(zHand)} + {N(Theta)})", Sigmoid(zHand + Theta));
        double cls = h.Let("predicted class (P ≥ 0.5 → 1)", $"{N(pHand)} ≥ 0.5", pHand >= 0.5 ? 1 : 0);
        var forward = new Exercise("Workbook Q13", [
            new Answer($"{conv}: layer-1 ReLU maps", a1.ToDoubleArray(), [.. act1[0].Cast<double>(), .. act1[1].Cast<double>()], [2, 2, 2]),
            Worked.Of($"{conv}: Z⁽²⁾_1,1", z.Sum().Item(), zHand),
            Worked.Of($"{conv}: P(y = 1)", p.Item(), pHand),
            Worked.Of($"{conv}: predicted class", p.Item() >= 0.5 ? 1 : 0, cls)], h.Steps);

        var hb = new Hand();
        double dA = hb.Let("∂L/∂(Z + θ) = P − y (logistic loss)", $"{N(pHand)} − {N(Label)}", pHand - Label);
        double dTheta = hb.Let("∂L/∂θ = ∂L/∂(Z + θ)", N(dA), dA);
        double dZ = hb.Let("∂L/∂Z_pre = ∂L/∂Z·1[Z_pre > 0]", $"{N(dA)}·{(zPre > 0 ? 1 : 0)}", zPre > 0 ? dA : 0);
        // Index of the input element that multiplies the printed kernel's top-left entry: (0, 0), or (kh − 1, kw − 1) when flipped.
        int o2 = flip ? 1 : 0;
        var dK2 = new double[2];
        var dK1 = new double[2];
        for (int c = 0; c < 2; c++)
        {
            dK2[c] = hb.Let($"∂L/∂K⁽²⁾_{c + 1},1[1,1] = ∂L/∂Z_pre·A⁽¹⁾_{c + 1}[{o2 + 1},{o2 + 1}]", $"{N(dZ)}·{N(act1[c][o2, o2])}", dZ * act1[c][o2, o2]);
            double sum = 0;
            var terms = new List<string>();
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                {
                    // Z_pre = Σ_{i,j} K_eff[i, j]·A[i, j] (the 2×2 kernel covers the whole 2×2 map), K_eff = K or K flipped.
                    double kEff = flip ? K2[c][1 - i, 1 - j] : K2[c][i, j];
                    double dPre = dZ * kEff * (pre1[c][i, j] > 0 ? 1 : 0);
                    double inp = V0[i + o2, j + o2];
                    sum += dPre * inp;
                    terms.Add($"{N(dPre)}·{N(inp)}");
                }
            dK1[c] = hb.Let($"∂L/∂K⁽¹⁾_1,{c + 1}[1,1] = Σ_ij ∂L/∂pre⁽¹⁾_{c + 1}[i,j]·V⁰[i + {o2}, j + {o2}], ∂L/∂pre = ∂L/∂Z_pre·K_eff·1[pre > 0]", string.Join(" + ", terms), sum);
        }
        var backward = new Exercise("Workbook Q14", [
            Worked.Of($"{conv}: logistic loss −log(1 − P)", loss.Item(), -Math.Log(1 - pHand)),
            Worked.Of($"{conv}: ∂L/∂θ", theta.Grad!.Item(), dTheta),
            Worked.Of($"{conv}: ∂L/∂K⁽¹⁾_1,1[1,1] (the 2)", k1.Grad!.At(0, 0, 0, 0), dK1[0]),
            Worked.Of($"{conv}: ∂L/∂K⁽¹⁾_1,2[1,1] (the 1)", k1.Grad!.At(1, 0, 0, 0), dK1[1]),
            Worked.Of($"{conv}: ∂L/∂K⁽²⁾_1,1[1,1] (the 1)", k2.Grad!.At(0, 0, 0, 0), dK2[0]),
            Worked.Of($"{conv}: ∂L/∂K⁽²⁾_2,1[1,1] (the 2)", k2.Grad!.At(0, 1, 0, 0), dK2[1])], hb.Steps);
        return (forward, backward);
    }

    /// <summary>Both conventions merged into one Q13 and one Q14 exercise.</summary>
    public static (Exercise Forward, Exercise Backward) Both()
    {
        var (f0, b0) = Run(flip: false);
        var (f1, b1) = Run(flip: true);
        return (new Exercise(f0.Id, [.. f0.Answers, .. f1.Answers], [.. f0.Steps, .. f1.Steps.Select(s => s with { What = "flipped: " + s.What })]),
                new Exercise(b0.Id, [.. b0.Answers, .. b1.Answers], [.. b0.Steps, .. b1.Steps.Select(s => s with { What = "flipped: " + s.What })]));
    }
}
