using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>Workbook Q15 (ReLU RNN with a sigmoid output) and Q17 (the Goodfellow LSTM cell with h = ReLU(s)·q and
/// output σ(5h − 1)), with the workbook's weights and sequences.</summary>
public static class RecurrentExercises
{
    public static readonly double[][] Q15X = [[0.1, 0.1], [0.7, 0.4], [0.5, 0.2], [0.1, 0.1], [0.8, 0.8]];   // (novelty, difficulty)
    public static readonly double[,] Q15U = { { 0.5, 0.1 }, { 0.4, 0.01 } };
    public static readonly double[,] Q15W = { { 0.1, 0.3 }, { 0.3, 0.1 } };
    public static readonly double[] Q15B = [0, 0], Q15V = [2, 3];
    public const double Q15C = 1;

    /// <summary>a⁽ᵗ⁾ = b + W h⁽ᵗ⁻¹⁾ + U x⁽ᵗ⁾, h⁽ᵗ⁾ = ReLU(a⁽ᵗ⁾), o⁽ᵗ⁾ = V h⁽ᵗ⁾ + c, ŷ⁽ᵗ⁾ = σ(o⁽ᵗ⁾); the library runs
    /// RnnCell (nonlinearity ReLU, W_ih = U, W_hh = W) then Linear and Sigmoid.</summary>
    public static Exercise Q15()
    {
        int T = Q15X.Length;
        var libH = new List<double>();
        var libY = new List<double>();
        using (GradMode.NoGrad())
        {
            var hT = Tensor.Zeros([1, 2], DType.Float64);
            foreach (var x in Q15X)
            {
                hT = Worked.T(x, 1, 2).RnnCell(hT, Worked.T(Q15U), Worked.T(Q15W), Worked.T(Q15B), null, RecurrentActivation.Relu);
                libH.AddRange(hT.ToDoubleArray());
                libY.Add(hT.Linear(Worked.T(Q15V, 1, 2), Worked.T([Q15C])).Sigmoid().Item());
            }
        }
        var h = new Hand();
        double[] prev = [0, 0];
        var handH = new List<double>();
        var handY = new List<double>();
        for (int t = 0; t < T; t++)
        {
            var cur = new double[2];
            for (int j = 0; j < 2; j++)
            {
                var (wd, ws) = Dot([Q15W[j, 0], Q15W[j, 1]], prev);
                var (ud, us) = Dot([Q15U[j, 0], Q15U[j, 1]], Q15X[t]);
                cur[j] = h.Let($"t = {t + 1}: h_{j + 1} = ReLU(b + Wh + Ux)", $"ReLU({N(Q15B[j])} + {wd} + {ud})", Relu(Q15B[j] + ws + us));
            }
            var (vd, vs) = Dot(Q15V, cur);
            double o = h.Let($"t = {t + 1}: o = Vh + c", $"{vd} + {N(Q15C)}", vs + Q15C);
            handY.Add(h.Let($"t = {t + 1}: ŷ = σ(o)", $"σ({N(o)})", Sigmoid(o)));
            handH.AddRange(cur);
            prev = cur;
        }
        return new Exercise("Workbook Q15", [
            new Answer("h⁽ᵗ⁾, t = 1..5", [.. libH], [.. handH], [T, 2]),
            new Answer("ŷ⁽ᵗ⁾ = σ(Vh⁽ᵗ⁾ + c), t = 1..5", [.. libY], [.. handY], [T])], h.Steps);
    }

    public static readonly double[] Q17X = [0.7, 0.5, 0.7];
    // (U, W, b) of: the external input gate g, the forget gate f, the output gate q, and the cell input unit.
    public static readonly (double U, double W, double B) Gate = (0.3, -0.3, 0.1), Forget = (0.25, 0.3, 0), Out = (0.4, 0.3, 0.2), Input = (0.01, 0.1, 1);
    public const double Q17V = 5, Q17C = -1;

    /// <summary>Goodfellow et al. (10.40–10.44) with the workbook's h: f = σ(b^f + U^f x + W^f h), g = σ(b^g + U^g x + W^g h),
    /// q = σ(b^q + U^q x + W^q h), s = f·s + g·σ(b + Ux + Wh), h = ReLU(s)·q, output = σ(Vh + c). The library computes it gate
    /// by gate with tensor ops, and again with the fused LstmCell (ReLU cell activation, sigmoid candidate); the fused cell with
    /// PyTorch's tanh candidate is run beside it to show that it is a different cell.</summary>
    public static Exercise Q17()
    {
        int T = Q17X.Length;
        var names = new[] { "f (forget)", "g (input gate)", "σ(b + Ux + Wh) (cell input)", "q (output gate)", "s (cell)", "h = ReLU(s)·q", "output σ(5h − 1)" };
        var lib = names.Select(_ => new List<double>()).ToArray();
        var fused = new List<double>();
        var fusedSigmoid = new List<double>();
        using (GradMode.NoGrad())
        {
            Tensor h = Tensor.Scalar(0, DType.Float64), s = Tensor.Scalar(0, DType.Float64);
            Tensor Unit((double U, double W, double B) p, Tensor x, Tensor hp) => (p.B + x * p.U + hp * p.W).Sigmoid();
            // The fused cell: gates i, f, g, o (PyTorch order) with g = tanh(·); W_ih = [U^g, U^f, U, U^q], W_hh likewise.
            var wIh = Worked.T([Gate.U, Forget.U, Input.U, Out.U], 4, 1);
            var wHh = Worked.T([Gate.W, Forget.W, Input.W, Out.W], 4, 1);
            var bias = Worked.T([Gate.B, Forget.B, Input.B, Out.B]);
            Tensor fh = Tensor.Zeros([1, 1], DType.Float64), fs = Tensor.Zeros([1, 1], DType.Float64);
            Tensor gh = Tensor.Zeros([1, 1], DType.Float64), gs = Tensor.Zeros([1, 1], DType.Float64);
            foreach (double xv in Q17X)
            {
                var x = Tensor.Scalar(xv, DType.Float64);
                var f = Unit(Forget, x, h);
                var g = Unit(Gate, x, h);
                var inp = Unit(Input, x, h);
                var q = Unit(Out, x, h);
                s = f * s + g * inp;
                h = s.Relu() * q;
                var o = (h * Q17V + Q17C).Sigmoid();
                double[] row = [f.Item(), g.Item(), inp.Item(), q.Item(), s.Item(), h.Item(), o.Item()];
                for (int k = 0; k < row.Length; k++) lib[k].Add(row[k]);
                (fh, fs) = Worked.T([xv], 1, 1).LstmCell(fh, fs, wIh, wHh, bias, null, RecurrentActivation.Relu);
                fused.Add((fh * Q17V + Q17C).Sigmoid().Item());
                (gh, gs) = Worked.T([xv], 1, 1).LstmCell(gh, gs, wIh, wHh, bias, null, RecurrentActivation.Relu, LstmCandidateActivation.Sigmoid);
                fusedSigmoid.Add((gh * Q17V + Q17C).Sigmoid().Item());
            }
        }
        var hd = new Hand();
        var byHand = names.Select(_ => new List<double>()).ToArray();
        double hp = 0, sp = 0;
        for (int t = 0; t < T; t++)
        {
            double x = Q17X[t];
            double U((double U, double W, double B) p, string n) =>
                hd.Let($"t = {t + 1}: {n}", $"σ({N(p.B)} + {N(p.U)}·{N(x)} + {N(p.W)}·{N(hp)})", Sigmoid(p.B + p.U * x + p.W * hp));
            double f = U(Forget, "f"), g = U(Gate, "g"), inp = U(Input, "cell input"), q = U(Out, "q");
            double s = hd.Let($"t = {t + 1}: s = f·s + g·input", $"{N(f)}·{N(sp)} + {N(g)}·{N(inp)}", f * sp + g * inp);
            double hh = hd.Let($"t = {t + 1}: h = ReLU(s)·q", $"ReLU({N(s)})·{N(q)}", Relu(s) * q);
            double o = hd.Let($"t = {t + 1}: output = σ(5h − 1)", $"σ(5·{N(hh)} − 1)", Sigmoid(Q17V * hh + Q17C));
            double[] row = [f, g, inp, q, s, hh, o];
            for (int k = 0; k < row.Length; k++) byHand[k].Add(row[k]);
            (hp, sp) = (hh, s);
        }
        var answers = names.Select((n, k) => new Answer($"{n}, t = 1..3", [.. lib[k]], [.. byHand[k]], [T])).ToList();
        answers.Add(new Answer("library fused LstmCell (σ cell input, ReLU(s)·q): output, t = 1..3", [.. fusedSigmoid], [.. byHand[6]], [T]));
        answers.Add(new Answer("library fused LstmCell (tanh cell input, ReLU(s)·q): output, t = 1..3 — a different cell", [.. fused], [.. fused], [T], "not the workbook's cell"));
        return new Exercise("Workbook Q17", answers, hd.Steps);
    }
}
