using Nabla.Optim;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>Workbook Q1c, Q2, Q3c, Q5a, Q6a/b and Q8b: each computed with library ops (autograd and optimizers for the
/// updates) and again with plain doubles, step by step.</summary>
public static class WorkbookBasics
{
    public static Exercise SoftmaxQ1c()
    {
        double[] x = [1, 0, 2];
        var lib = Worked.T(x).Softmax(0);
        var h = new Hand();
        var e = x.Select(v => Math.Exp(v)).ToArray();
        double z = h.Let("Σ_j e^{x_j}", "e^1 + e^0 + e^2 = " + string.Join(" + ", e.Select(N)), e.Sum());
        var s = x.Select((v, i) => h.Let($"S(x)_{i + 1}", $"e^{v} / {N(z)} = {N(e[i])} / {N(z)}", e[i] / z)).ToArray();
        return new Exercise("Workbook Q1c", [Worked.Of("Softmax((1, 0, 2))", lib, s)], h.Steps);
    }

    public static readonly double[,] Q2X = { { 1, 1, 2 }, { 1, 2, 4 }, { 1, 4, 8 } };   // columns: bias, x₁, x₂
    public static readonly double[] Q2Y = [2, 4, 8];
    public static readonly double[] Q2Theta0 = [0.5, 1.5, 0.5];

    /// <summary>Σ_i (y_i − x_iᵀθ)².</summary>
    public static double TotalLoss(double[,] x, double[] y, double[] theta) =>
        Enumerable.Range(0, y.Length).Sum(i => Math.Pow(y[i] - Enumerable.Range(0, theta.Length).Sum(j => x[i, j] * theta[j]), 2));

    /// <summary>One pass of per-sample updates on L = (y − xᵀθ)² with the library: θ a float64 leaf, loss by tensor ops,
    /// Backward, then <paramref name="optimizer"/>.Step(). Returns θ after each sample.</summary>
    public static List<double[]> LibraryPass(double[,] x, double[] y, Tensor theta, Optimizer optimizer)
    {
        var after = new List<double[]>();
        for (int i = 0; i < y.Length; i++)
        {
            var xi = Worked.T(Enumerable.Range(0, x.GetLength(1)).Select(j => x[i, j]).ToArray());
            optimizer.ZeroGrad();
            var loss = (Tensor.Scalar(y[i], DType.Float64) - (xi * theta).Sum()).Square();
            loss.Backward();
            optimizer.Step();
            after.Add(theta.ToDoubleArray());
        }
        return after;
    }

    /// <summary>The same pass by hand: ŷ = xᵀθ, e = y − ŷ, g = −2e·x, then θ ← θ − αg (SGD) or the AdaGrad update
    /// s ← s + g², θ ← θ − α·g/(√s + ε) (or g/√(s + ε)) when <paramref name="adaGradSum"/> is given.</summary>
    public static List<double[]> HandPass(Hand h, string tag, double[,] x, double[] y, double[] theta, double alpha, double[]? adaGradSum = null, double eps = 0,
        bool epsInsideSqrt = false)
    {
        var after = new List<double[]>();
        int d = theta.Length;
        for (int i = 0; i < y.Length; i++)
        {
            var xi = Enumerable.Range(0, d).Select(j => x[i, j]).ToArray();
            var (dot, yHat) = Dot(xi, theta);
            h.Let($"{tag} #{i + 1}: ŷ", dot, yHat);
            double e = h.Let($"{tag} #{i + 1}: e = y − ŷ", $"{N(y[i])} − {N(yHat)}", y[i] - yHat);
            var g = xi.Select(v => -2 * e * v).ToArray();
            h.Let($"{tag} #{i + 1}: ∇θ = −2e·x", $"−2·{N(e)}·[{string.Join(", ", xi.Select(N))}] = [{string.Join(", ", g.Select(N))}]", g[0]);
            if (adaGradSum is null)
                theta = theta.Select((t, j) => t - alpha * g[j]).ToArray();
            else
            {
                for (int j = 0; j < d; j++) adaGradSum[j] += g[j] * g[j];
                h.Let($"{tag} #{i + 1}: s = s + g²", "[" + string.Join(", ", adaGradSum.Select(N)) + "]", adaGradSum[0]);
                theta = theta.Select((t, j) => t - alpha * g[j] / (epsInsideSqrt ? Math.Sqrt(adaGradSum[j] + eps) : Math.Sqrt(adaGradSum[j]) + eps)).ToArray();
            }
            h.Let($"{tag} #{i + 1}: θ", adaGradSum is null ? $"θ − {N(alpha)}·∇θ = [{string.Join(", ", theta.Select(N))}]"
                : $"θ − {N(alpha)}·g/(√s + ε) = [{string.Join(", ", theta.Select(N))}]", theta[0]);
            after.Add(theta);
        }
        return after;
    }

    public static Exercise SgdQ2()
    {
        var h = new Hand();
        var answers = new List<Answer>();
        double l0 = TotalLoss(Q2X, Q2Y, Q2Theta0);
        answers.Add(Worked.Of("total loss at θ⁽⁰⁾", LibraryTotalLoss(Q2X, Q2Y, Q2Theta0), h.Let("Σ(y − ŷ)² at θ⁽⁰⁾", "(2 − 3)² + (4 − 5.5)² + (8 − 10.5)²", l0)));
        foreach (var (alpha, passes, tag) in new[] { (0.001, 2, "α = 0.001"), (0.1, 1, "α = 0.1") })
        {
            var theta = Worked.T(Q2Theta0).RequiresGrad_();
            var opt = new Sgd([theta], new SgdOptions(LearningRate: alpha));
            var handTheta = Q2Theta0;
            for (int pass = 1; pass <= passes; pass++)
            {
                var lib = LibraryPass(Q2X, Q2Y, theta, opt);
                var byHand = HandPass(h, $"{tag}, pass {pass}", Q2X, Q2Y, handTheta, alpha);
                handTheta = byHand[^1];
                if (pass == 1 && alpha == 0.001)
                    for (int i = 0; i < 2; i++) answers.Add(Worked.Of($"{tag}: θ after sample #{i + 1}", lib[i], byHand[i], [3]));
                answers.Add(Worked.Of($"{tag}: θ after pass {pass}", lib[^1], handTheta, [3]));
                answers.Add(Worked.Of($"{tag}: total loss after pass {pass}", LibraryTotalLoss(Q2X, Q2Y, lib[^1]),
                    h.Let($"{tag}: Σ(y − ŷ)² after pass {pass}", "at θ = [" + string.Join(", ", handTheta.Select(N)) + "]", TotalLoss(Q2X, Q2Y, handTheta))));
            }
        }
        return new Exercise("Workbook Q2", answers, h.Steps);
    }

    /// <summary>Σ_i (y_i − x_iᵀθ)² with library ops.</summary>
    public static double LibraryTotalLoss(double[,] x, double[] y, double[] theta) =>
        (Worked.T(y) - Worked.T(x).MatMul(Worked.T(theta, theta.Length, 1)).Reshape(y.Length)).Square().Sum().Item();

    public static readonly double[,] Q3W = { { 1, 2, 1 }, { 1, 1, 2 } };     // row j: (bias, w_j1, w_j2)
    public static readonly double[] Q3V = [1, -1, 2];                         // (bias, v₁, v₂)
    public static readonly double[] Q3Input = [-1, 1];

    public static Exercise ForwardQ3c()
    {
        var h = new Hand();
        var answers = new List<Answer>();
        foreach (bool biasFirst in new[] { true, false })
        {
            string tag = biasFirst ? "bias first" : "bias last";
            int bw = biasFirst ? 0 : 2, bv = biasFirst ? 0 : 2;
            int[] wCols = biasFirst ? [1, 2] : [0, 1];
            int[] vCols = biasFirst ? [1, 2] : [0, 1];
            var w = Worked.T(new double[,] { { Q3W[0, wCols[0]], Q3W[0, wCols[1]] }, { Q3W[1, wCols[0]], Q3W[1, wCols[1]] } });
            var b = Worked.T([Q3W[0, bw], Q3W[1, bw]]);
            var v = Worked.T([Q3V[vCols[0]], Q3V[vCols[1]]], 1, 2);
            var c = Worked.T([Q3V[bv]]);
            var hidden = Worked.T(Q3Input, 1, 2).Linear(w, b).Relu();                  // [1, 2]
            var y = hidden.Linear(v, c);                                              // [1, 1]
            var hh = new double[2];
            for (int j = 0; j < 2; j++)
            {
                var (dot, z) = Dot([Q3W[j, wCols[0]], Q3W[j, wCols[1]]], Q3Input);
                hh[j] = h.Let($"{tag}: h_{j + 1} = ReLU(b_{j + 1} + w_{j + 1}ᵀx)", $"ReLU({N(Q3W[j, bw])} + {dot}) = ReLU({N(Q3W[j, bw] + z)})", Relu(Q3W[j, bw] + z));
            }
            var (vd, vs) = Dot([Q3V[vCols[0]], Q3V[vCols[1]]], hh);
            double yh = h.Let($"{tag}: ŷ (regression) = c + vᵀh", $"{N(Q3V[bv])} + {vd}", Q3V[bv] + vs);
            double p = h.Let($"{tag}: P(y = 1) = σ(ŷ) (binary classification)", $"1/(1 + e^−{N(yh)})", Sigmoid(yh));
            answers.Add(Worked.Of($"{tag}: h", hidden, hh));
            answers.Add(Worked.Of($"{tag}: ŷ (regression)", y.Item(), yh));
            answers.Add(Worked.Of($"{tag}: σ(ŷ) (classification)", y.Sigmoid().Item(), p));
        }
        return new Exercise("Workbook Q3c", answers, h.Steps);
    }

    // Workbook Q5a: the seed's network is in a figure that the text lacks; this 2-2-1 all-ReLU network (no biases) is stated in the report.
    public static readonly double[,] Q5W = { { 0.1, 0.1 }, { 0.05, 0.1 } };   // row j = hidden unit j
    public static readonly double[] Q5V = [0.2, 0.3];
    public static readonly double[] Q5X = [2, 4];
    public const double Q5Y = 2.5, Q5Lr = 0.1;

    public static Exercise BackpropQ5a()
    {
        var w = Worked.T(Q5W).RequiresGrad_();
        var v = Worked.T(Q5V, 1, 2).RequiresGrad_();
        var x = Worked.T(Q5X, 1, 2);
        Tensor Forward(out Tensor hidden) { hidden = x.Linear(w).Relu(); return hidden.Linear(v).Relu(); }
        var yHat = Forward(out var hid);
        var loss = (Tensor.Scalar(Q5Y, DType.Float64) - yHat.Sum()).Square();                  // L = (y − ŷ)²
        loss.Backward();
        double[] gW = w.Grad!.ToDoubleArray(), gV = v.Grad!.ToDoubleArray();
        var opt = new Sgd([w, v], new SgdOptions(LearningRate: Q5Lr));
        opt.Step();
        double yNew, lossNew;
        using (GradMode.NoGrad()) { yNew = Forward(out _).Item(); lossNew = Math.Pow(Q5Y - yNew, 2); }

        var h = new Hand();
        var z = new double[2];
        var hh = new double[2];
        for (int j = 0; j < 2; j++)
        {
            var (d, s) = Dot([Q5W[j, 0], Q5W[j, 1]], Q5X);
            z[j] = s;
            hh[j] = h.Let($"h_{j + 1} = ReLU(W_{j + 1}·x)", $"ReLU({d})", Relu(s));
        }
        var (dv, zo) = Dot(Q5V, hh);
        double y0 = h.Let("ŷ = ReLU(v·h)", $"ReLU({dv})", Relu(zo));
        double l0 = h.Let("L = (y − ŷ)²", $"({N(Q5Y)} − {N(y0)})²", Math.Pow(Q5Y - y0, 2));
        double dy = h.Let("∂L/∂z_out = −2(y − ŷ)·1[z_out > 0]", $"−2·({N(Q5Y)} − {N(y0)})·{(zo > 0 ? 1 : 0)}", -2 * (Q5Y - y0) * (zo > 0 ? 1 : 0));
        var hv = hh.Select((hj, j) => h.Let($"∂L/∂v_{j + 1} = ∂L/∂z_out·h_{j + 1}", $"{N(dy)}·{N(hj)}", dy * hj)).ToArray();
        var hw = new double[4];
        for (int j = 0; j < 2; j++)
        {
            double dz = h.Let($"∂L/∂z_{j + 1} = ∂L/∂z_out·v_{j + 1}·1[z_{j + 1} > 0]", $"{N(dy)}·{N(Q5V[j])}·{(z[j] > 0 ? 1 : 0)}", dy * Q5V[j] * (z[j] > 0 ? 1 : 0));
            for (int k = 0; k < 2; k++) hw[2 * j + k] = h.Let($"∂L/∂W_{j + 1}{k + 1} = ∂L/∂z_{j + 1}·x_{k + 1}", $"{N(dz)}·{N(Q5X[k])}", dz * Q5X[k]);
        }
        var newW = Enumerable.Range(0, 4).Select(i => h.Let($"W_{i / 2 + 1}{i % 2 + 1} ← W − η·∂L/∂W", $"{N(Q5W[i / 2, i % 2])} − {N(Q5Lr)}·{N(hw[i])}", Q5W[i / 2, i % 2] - Q5Lr * hw[i])).ToArray();
        var newV = Enumerable.Range(0, 2).Select(j => h.Let($"v_{j + 1} ← v − η·∂L/∂v", $"{N(Q5V[j])} − {N(Q5Lr)}·{N(hv[j])}", Q5V[j] - Q5Lr * hv[j])).ToArray();
        var h2 = Enumerable.Range(0, 2).Select(j => Relu(newW[2 * j] * Q5X[0] + newW[2 * j + 1] * Q5X[1])).ToArray();
        var (dv2, zo2) = Dot(newV, h2);
        double y1 = h.Let("new ŷ", $"ReLU({dv2}) with h = [{string.Join(", ", h2.Select(N))}]", Relu(zo2));
        double l1 = h.Let("new L", $"({N(Q5Y)} − {N(y1)})²", Math.Pow(Q5Y - y1, 2));
        return new Exercise("Workbook Q5a", [
            Worked.Of("h", hid, hh), Worked.Of("ŷ", yHat.Item(), y0), Worked.Of("L = (y − ŷ)²", loss.Item(), l0),
            Worked.Of("∂L/∂W", gW, hw, [2, 2]), Worked.Of("∂L/∂v", gV, hv, [2]),
            Worked.Of("W after one step", w.ToDoubleArray(), newW, [2, 2]), Worked.Of("v after one step", v.ToDoubleArray(), newV, [2]),
            Worked.Of("ŷ after one step", yNew, y1), Worked.Of("L after one step", lossNew, l1)], h.Steps);
    }

    // Workbook Q6: the network and the penalty are in a figure the text lacks; this 2-2-1 network (ReLU hidden, linear output, no biases) is stated in the report.
    public static readonly double[,] Q6W = { { 0.5, -0.5 }, { -0.25, 0.75 } };
    public static readonly double[] Q6V = [0.5, 1.0];
    public static readonly double[] Q6X = [-1, 1];
    public const double Q6Y = 2;

    public static Exercise RegularisationQ6(double lambda)
    {
        var answers = new List<Answer>();
        var h = new Hand();
        // By hand (shared by a and b): forward, then the data gradients; b adds λ·sign(w).
        var z = new double[2];
        var hh = new double[2];
        for (int j = 0; j < 2; j++)
        {
            var (d, s) = Dot([Q6W[j, 0], Q6W[j, 1]], Q6X);
            z[j] = s;
            hh[j] = h.Let($"h_{j + 1} = ReLU(W_{j + 1}·x)", $"ReLU({d})", Relu(s));
        }
        var (dv, y0) = Dot(Q6V, hh);
        h.Let("ŷ = v·h (linear output)", dv, y0);
        double l0 = h.Let("L = (y − ŷ)²", $"({N(Q6Y)} − {N(y0)})²", Math.Pow(Q6Y - y0, 2));
        double dy = h.Let("∂L/∂ŷ = −2(y − ŷ)", $"−2·({N(Q6Y)} − {N(y0)})", -2 * (Q6Y - y0));
        var gv = hh.Select((hj, j) => h.Let($"a) ∂L/∂v_{j + 1} = ∂L/∂ŷ·h_{j + 1}", $"{N(dy)}·{N(hj)}", dy * hj)).ToArray();
        var gw = new double[4];
        for (int j = 0; j < 2; j++)
        {
            double dz = h.Let($"∂L/∂z_{j + 1} = ∂L/∂ŷ·v_{j + 1}·1[z_{j + 1} > 0]", $"{N(dy)}·{N(Q6V[j])}·{(z[j] > 0 ? 1 : 0)}", dy * Q6V[j] * (z[j] > 0 ? 1 : 0));
            for (int k = 0; k < 2; k++) gw[2 * j + k] = h.Let($"a) ∂L/∂W_{j + 1}{k + 1}", $"{N(dz)}·{N(Q6X[k])}", dz * Q6X[k]);
        }
        double absSum = Q6W.Cast<double>().Sum(Math.Abs) + Q6V.Sum(Math.Abs);
        double lReg = h.Let("b) L + λ(Σ|W| + Σ|v|)", $"{N(l0)} + {N(lambda)}·{N(absSum)}", l0 + lambda * absSum);
        var gwR = gw.Select((g, i) => h.Let($"b) ∂/∂W_{i / 2 + 1}{i % 2 + 1} = ∂L/∂W + λ·sign(W)", $"{N(g)} + {N(lambda)}·{Math.Sign(Q6W[i / 2, i % 2])}", g + lambda * Math.Sign(Q6W[i / 2, i % 2]))).ToArray();
        var gvR = gv.Select((g, j) => h.Let($"b) ∂/∂v_{j + 1} = ∂L/∂v + λ·sign(v)", $"{N(g)} + {N(lambda)}·{Math.Sign(Q6V[j])}", g + lambda * Math.Sign(Q6V[j]))).ToArray();

        foreach (bool regularised in new[] { false, true })
        {
            var w = Worked.T(Q6W).RequiresGrad_();
            var v = Worked.T(Q6V, 1, 2).RequiresGrad_();
            var hidden = Worked.T(Q6X, 1, 2).Linear(w).Relu();
            var yHat = hidden.Linear(v);
            var loss = (Tensor.Scalar(Q6Y, DType.Float64) - yHat.Sum()).Square();
            if (regularised) loss = loss + Tensor.L1Penalty([w, v], lambda);
            loss.Backward();
            string tag = regularised ? "b) with L1" : "a) without regularisation";
            if (!regularised)
            {
                answers.Add(Worked.Of("h", hidden, hh));
                answers.Add(Worked.Of("ŷ", yHat.Item(), y0));
            }
            answers.Add(Worked.Of($"{tag}: loss", loss.Item(), regularised ? lReg : l0));
            answers.Add(Worked.Of($"{tag}: ∂/∂W", w.Grad!.ToDoubleArray(), regularised ? gwR : gw, [2, 2]));
            answers.Add(Worked.Of($"{tag}: ∂/∂v", v.Grad!.ToDoubleArray(), regularised ? gvR : gv, [2]));
        }
        return new Exercise("Workbook Q6a/b", answers, h.Steps);
    }

    // Workbook Q8b: Wᵏᵀ as printed (rows = units of layer k), so layer k computes z = Wᵏᵀ·a + bᵏ.
    public static readonly double[,] Q8W1T = { { 1, 2 }, { -1, 1 }, { 2, -1 } };
    public static readonly double[,] Q8W2T = { { 1, 2, -2 }, { 2, -1, 1 } };
    public static readonly double[,] Q8W3T = { { 2, 1 }, { -1, -1 } };
    public static readonly double[] Q8V = [1, -1];
    public static readonly double[] Q8B1 = [-1, 1, 2], Q8B2 = [2, -1], Q8B3 = [1, 1];
    public const double Q8B4 = 1;
    public static readonly double[] Q8X = [1, 1];
    public static readonly double[][][] Q8Masks = [[[1, 1], [1, 0, 1], [1, 0]], [[0, 1], [0, 1, 1], [1, 1]]];

    public static Exercise DropoutQ8b(double libraryP)
    {
        var answers = new List<Answer>();
        var h = new Hand();
        var layers = new[] { (Q8W1T, Q8B1), (Q8W2T, Q8B2), (Q8W3T, Q8B3) };
        for (int m = 0; m < Q8Masks.Length; m++)
            foreach (double p in new[] { 0.0, libraryP })
            {
                string tag = $"masks {m + 1}, " + (p == 0 ? "textbook (no rescaling; library with p = 0)" : $"library inverted dropout p = {LabReport.Format(p)} (kept units × {LabReport.Format(1 / (1 - p))})");
                double scale = 1 / (1 - p);
                // Library: Dropout(mask, p) multiplies by mask/(1 − p), then Linear and ReLU.
                var a = Worked.T(Q8X, 1, 2);
                var aHand = Q8X.ToArray();
                for (int k = 0; k < 3; k++)
                {
                    if (k < 3)
                    {
                        var mask = Q8Masks[m][k];
                        a = a.Dropout(Worked.T(mask, 1, mask.Length), p);
                        aHand = aHand.Select((v, i) => v * mask[i] * scale).ToArray();
                        h.Let($"{tag}: μ{k}⊙a{(p == 0 ? "" : "/(1 − p)")}", $"[{string.Join(", ", mask.Select(N))}] ⊙ a{(p == 0 ? "" : $" × {N(scale)}")}", aHand[0]);
                    }
                    var (wt, b) = layers[k];
                    a = a.Linear(Worked.T(wt), Worked.T(b)).Relu();
                    var next = new double[b.Length];
                    for (int j = 0; j < b.Length; j++)
                    {
                        var (d, s) = Dot(Enumerable.Range(0, aHand.Length).Select(i => wt[j, i]).ToList(), aHand);
                        next[j] = h.Let($"{tag}: h{k + 1}_{j + 1}", $"ReLU({d} + {N(b[j])})", Relu(s + b[j]));
                    }
                    aHand = next;
                }
                var y = a.Linear(Worked.T(Q8V, 1, 2), Worked.T([Q8B4]));
                var (dv, sv) = Dot(Q8V, aHand);
                double yh = h.Let($"{tag}: ŷ = vᵀh3 + b⁴", $"{dv} + {N(Q8B4)}", sv + Q8B4);
                answers.Add(Worked.Of($"{tag}: ŷ", y.Item(), yh));
            }
        return new Exercise("Workbook Q8b", answers, h.Steps);
    }
}
