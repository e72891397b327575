using System.Globalization;
using System.Text;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class XorLab
{
    public override void Report(LabReport report, XorSettings s, XorResult r)
    {
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Data: the Workbook's table (Q9, Q11) — x ∈ {"{−1, 1}"}², y = 1 for (1, 1) and (−1, −1), y = 0 for (−1, 1) and
            (1, −1): y = 1 when the two inputs agree, a problem no single line separates, the XOR problem up to relabelling.
            Model: x → h = σ(W1·x + b1) (two hidden sigmoid units) → y = σ(W2·h + b2), 9 parameters,
            float64. Every weight and bias starts at N(0, σ²) with σ = {s.InitStd}, drawn from a seeded generator; the
            four optimizers start from the same initial weights. Objective per epoch (full batch, the four rows):
            J = ¼·Σ(y − t)² + (λ/2)·Σw², λ = {s.Lambda:G}, the penalty over the weights of both layers (not the biases)
            computed by Nabla's Tensor.L2Penalty, whose gradient λ·w is the classic weight decay. One epoch is one
            gradient step on the four rows; training runs {s.Epochs} epochs. Learning rate η = {s.LearningRate} for all four:
            plain gradient descent θ ← θ − η·g; momentum (μ = {s.Momentum}) b ← μb + g, θ ← θ − η·b; Nesterov
            θ ← θ − η·(g + μb); AdaGrad s ← s + g², θ ← θ − η·g/(√s + 10⁻¹⁰). "Epochs to J < {s.Threshold}" is the
            first epoch whose objective falls below {s.Threshold}.
            """));

        // 1. The shown run.
        var chart = new LineChart { Title = FormattableString.Invariant($"XOR (Workbook ±1 table), 2-2-1 sigmoid, η = {s.LearningRate} (seed {r.FirstSeed})"), XLabel = "epoch", YLabel = "objective J (MSE + L2)", LogX = true, LogY = true, Markers = false };
        var rows = new List<IReadOnlyList<object>>();
        var tables = new StringBuilder();
        foreach (var o in Optimizers)
        {
            var run = r.Shown[o];
            chart.Add(o, run.Loss);
            rows.Add([o, run.Loss[^1], run.FinalMse, run.FinalPenalty, Reached(run.EpochsToThreshold), run.Learned ? "yes" : "no"]);
            tables.Append($"{o}\n").Append(FormatTable(run)).Append('\n');
            string key = o.ToLowerInvariant();
            report.Metric($"{key}_final_loss", run.Loss[^1]);
            report.Metric($"{key}_epochs_to_threshold", run.EpochsToThreshold > 0 ? run.EpochsToThreshold : double.NaN);
            var rk = RowKeys(XorCoding.Workbook);
            for (int i = 0; i < 4; i++) report.Metric($"{key}_out_{rk[i]}", run.Outputs[i]);
        }
        chart.SavePng(report.PathOf("xor_loss.png"));
        report.Heading($"One run (seed {r.FirstSeed})");
        report.Table(["optimizer", "final J", "final MSE", "final penalty", FormattableString.Invariant($"epochs to J < {s.Threshold}"), "truth table learned"], rows);
        report.Figure("xor_loss.png", FormattableString.Invariant($"Objective per epoch for the four optimizers from the same initial weights on the Workbook's ±1 table (seed {r.FirstSeed}, η = {s.LearningRate}; both axes logarithmic)."));
        report.Paragraph("Final truth tables (rounded at 0.5, and the raw network output):");
        report.Code(tables.ToString());

        // 1b. Workbook Q9: the backprop written out.
        var hand = r.Hand;
        report.Heading("Workbook Q9: backpropagation written out");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            The runs above take ∂J/∂θ from Nabla's autograd. Here the same plain gradient descent (η = {s.LearningRate}, seed {r.FirstSeed},
            the same initial weights) uses the gradients coded by hand in `XorLab.HandGradients`: for each row
            δ2 = ½(y − t)·y(1 − y), ∂J/∂W2 = Σδ2·hᵀ + λW2, ∂J/∂b2 = Σδ2; δ1 = (W2ᵀδ2) ⊙ h(1 − h), ∂J/∂W1 = Σδ1·xᵀ + λW1, ∂J/∂b1 = Σδ1.
            """));
        report.Table(["quantity", "value"],
        [
            ["largest \\|hand − autograd\\| of ∂J/∂θ at the initial weights (9 entries)", hand.InitialGradientDifference],
            [$"largest \\|J_hand − J_autograd\\| over the {s.Epochs} epochs", hand.MaxLossDifference],
            ["final J, by hand / autograd", $"{LabReport.Format(hand.Loss[^1])} / {LabReport.Format(hand.Autograd.Loss[^1])}"],
            ["truth table learned by hand", hand.Learned ? "yes" : "no"],
        ]);
        report.Paragraph(hand.InitialGradientDifference < 1e-12 && hand.MaxLossDifference < 1e-9
            ? "The hand-written backpropagation gives autograd's gradients to rounding error, and the two descents follow the same objective curve."
            : "The hand-written gradients and autograd's differ by more than rounding error: one of the two is wrong.");
        report.Metric("hand_initial_gradient_difference", hand.InitialGradientDifference);
        report.Metric("hand_max_loss_difference", hand.MaxLossDifference);
        report.Metric("hand_final_loss", hand.Loss[^1]);

        // 2. The seed table.
        report.Heading($"Over {s.Seeds} seeds");
        foreach (var c in r.SeedTable.Where(c => c.LearningRate == s.LearningRate))
        {
            report.Metric($"{c.Optimizer.ToLowerInvariant()}_seeds_learned", c.LearnedCount);
            report.Metric($"{c.Optimizer.ToLowerInvariant()}_median_epochs", c.MedianEpochs);
        }
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Seeds {r.FirstSeed}..{r.FirstSeed + (ulong)s.Seeds - 1}, {s.Epochs} epochs each; the median counts only the runs that
            reached J < {s.Threshold} ("–" when none did).
            """));
        report.Table(["η", "optimizer", "truth table learned", FormattableString.Invariant($"reached J < {s.Threshold}"), "median epochs to reach it"],
            r.SeedTable.Select(c => (IReadOnlyList<object>)[c.LearningRate, c.Optimizer, $"{c.LearnedCount}/{s.Seeds}", $"{c.ReachedCount}/{s.Seeds}", c.MedianEpochs]));

        // 3. The {0,1} coding.
        var main = r.SeedTable.Where(c => c.LearningRate == s.LearningRate).ToList();
        if (r.ZeroOneShown.Count > 0)
        {
            report.Heading("The same with {0,1} inputs");
            report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
                A second, labelled variant: inputs 00, 01, 10, 11 with targets 0, 1, 1, 0 (XOR of the bits), the same network,
                initial weights, objective and optimizers, η = {s.LearningRate}, {s.Seeds} seeds.
                """));
            report.Table(["optimizer", "shown run: final J", FormattableString.Invariant($"shown run: epochs to J < {s.Threshold}"),
                    "seeds: table learned ({0,1})", "seeds: median epochs ({0,1})", "seeds: table learned (±1)", "seeds: median epochs (±1)"],
                Optimizers.Select(o =>
                {
                    var z = r.ZeroOneShown[o];
                    var zc = r.ZeroOneTable.Single(c => c.Optimizer == o);
                    var wc = main.SingleOrDefault(c => c.Optimizer == o);
                    return (IReadOnlyList<object>)[o, z.Loss[^1], Reached(z.EpochsToThreshold), $"{zc.LearnedCount}/{s.Seeds}", zc.MedianEpochs,
                        wc is null ? "–" : $"{wc.LearnedCount}/{s.Seeds}", wc?.MedianEpochs ?? double.NaN];
                }));
            foreach (var o in Optimizers)
            {
                var z = r.ZeroOneShown[o];
                var zc = r.ZeroOneTable.Single(c => c.Optimizer == o);
                string key = o.ToLowerInvariant();
                var rk = RowKeys(XorCoding.ZeroOne);
                for (int i = 0; i < 4; i++) report.Metric($"{key}_out_{rk[i]}", z.Outputs[i]);
                report.Metric($"{key}_zero_one_final_loss", z.Loss[^1]);
                report.Metric($"{key}_zero_one_epochs_to_threshold", z.EpochsToThreshold > 0 ? z.EpochsToThreshold : double.NaN);
                report.Metric($"{key}_zero_one_seeds_learned", zc.LearnedCount);
                report.Metric($"{key}_zero_one_median_epochs", zc.MedianEpochs);
            }
            if (main.Count == Optimizers.Length) report.Paragraph(CodingVerdict(main, r.ZeroOneTable));
        }

        report.Heading("Discussion");
        report.Paragraph(string.Join(" ", new[]
        {
            SpeedVerdict(r.Shown, s),
            NesterovVerdict(r.Shown["Momentum"].EpochsToThreshold, r.Shown["Nesterov"].EpochsToThreshold),
            AdaGradVerdict(r.Shown),
            main.Count == Optimizers.Length ? SeedVerdict(main) : "",
            SweepVerdict(r.SeedTable.Where(c => c.Optimizer == "AdaGrad").ToList()),
            PenaltyVerdict(r.Shown["Momentum"], s.Lambda),
            SlowVerdict(r.Shown["SGD"], r.Shown["Momentum"]),
        }.Where(t => t.Length > 0)));
    }

    /// <summary>Text truth table of a run: x1 x2 | target | rounded | raw, rows in the coding's order.</summary>
    public static string FormatTable(XorRun run)
    {
        var t = Truth(run.Coding);
        var names = RowNames(run.Coding);
        var sb = new StringBuilder("(x1, x2) | target | net (rounded) | net (raw)\n");
        for (int i = 0; i < 4; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{names[i],-8} |   {t[i]}    |       {(run.Outputs[i] >= 0.5 ? 1 : 0)}       | {run.Outputs[i]:0.000000}\n");
        return sb.ToString();
    }

    /// <summary>The two codings compared over the seed table at the main η: for how many optimizers the ±1 table is
    /// learned by more seeds, or as often and in fewer median epochs, and what centred inputs change.</summary>
    public static string CodingVerdict(IReadOnlyList<XorSeedCell> plusMinus, IReadOnlyList<XorSeedCell> zeroOne)
    {
        int better = 0, worse = 0;
        foreach (var pm in plusMinus)
        {
            var zo = zeroOne.SingleOrDefault(c => c.Optimizer == pm.Optimizer);
            if (zo is null) continue;
            double a = double.IsNaN(pm.MedianEpochs) ? double.PositiveInfinity : pm.MedianEpochs;
            double b = double.IsNaN(zo.MedianEpochs) ? double.PositiveInfinity : zo.MedianEpochs;
            if (pm.LearnedCount > zo.LearnedCount || (pm.LearnedCount == zo.LearnedCount && a < b)) better++;
            else if (pm.LearnedCount < zo.LearnedCount || (pm.LearnedCount == zo.LearnedCount && a > b)) worse++;
        }
        int n = plusMinus.Count;
        string head = $"Over the seeds at the main η the Workbook's ±1 coding does better (more seeds learned, or as many in fewer median epochs) for {better} of {n} optimizers and worse for {worse}.";
        string why = " With {0,1} inputs a first-layer weight gets no gradient from the rows where its input is 0 (∂J/∂w_ij = δ_i·x_j), and every input has mean ½, so the hidden pre-activations start off-centre; the ±1 inputs are centred and every row moves every weight.";
        return better > worse ? head + why + " That is what the faster learning on the ±1 table reflects here."
             : worse > better ? head + why + " Here that advantage does not show: the {0,1} runs did better."
             : head + " Neither coding is better overall here.";
    }

    private static string Reached(int epoch) => epoch > 0 ? epoch.ToString(CultureInfo.InvariantCulture) : "not reached";

    /// <summary>An epoch count as a comparable number (never reached = +∞).</summary>
    private static double Epochs(int epoch) => epoch > 0 ? epoch : double.PositiveInfinity;

    /// <summary>Momentum and Nesterov against plain gradient descent, from the same start.</summary>
    public static string SpeedVerdict(IReadOnlyDictionary<string, XorRun> runs, XorSettings s)
    {
        int sgd = runs["SGD"].EpochsToThreshold, m = runs["Momentum"].EpochsToThreshold, n = runs["Nesterov"].EpochsToThreshold;
        string head = $"From the same start, momentum and Nesterov reach J < {LabReport.Format(s.Threshold)} in {Reached(m)} and {Reached(n)} epochs against {Reached(sgd)} for plain gradient descent";
        if (Math.Max(Epochs(m), Epochs(n)) < Epochs(sgd))
            return head + string.Create(CultureInfo.InvariantCulture,
                $": with μ = {s.Momentum} the step along a direction where the gradient keeps its sign grows towards η/(1 − μ) = {s.LearningRate / (1 - s.Momentum):0.#}·g, ") +
                "which is what the long, almost flat stretch at the start of XOR training (the sigmoids near ½, gradients small and consistent) needs.";
        return head + ": momentum did not speed this run up.";
    }

    /// <summary>Nesterov's look-ahead against heavy-ball momentum (within 10 % = "differs little").</summary>
    public static string NesterovVerdict(int momentum, int nesterov)
    {
        if (momentum <= 0 || nesterov <= 0) return "";
        return Math.Abs(nesterov - momentum) <= 0.1 * momentum
            ? "Nesterov evaluates the correction at the look-ahead point and differs little here."
            : $"Nesterov, which evaluates the correction at the look-ahead point, differs by {Math.Abs(nesterov - momentum)} epochs here.";
    }

    /// <summary>Whether AdaGrad is the first off the plateau, and whether its first steps raise J.</summary>
    public static string AdaGradVerdict(IReadOnlyDictionary<string, XorRun> runs)
    {
        var a = runs["AdaGrad"];
        bool bump = Enumerable.Range(1, Math.Min(10, a.Loss.Length - 1)).Any(i => a.Loss[i] > a.Loss[i - 1]);
        bool fastest = a.EpochsToThreshold > 0 && runs.Values.All(r => Epochs(r.EpochsToThreshold) >= a.EpochsToThreshold);
        return $"AdaGrad ({Reached(a.EpochsToThreshold)} epochs) divides each coordinate by the root of its summed squared gradients, so its " +
               "first steps have size ≈ η in every coordinate regardless of how small the gradient is" +
               (fastest ? ", which gets it off the plateau fastest" : "; here that does not make it the fastest") +
               (bump ? " (those first steps even raise J briefly)" : "") + "; its effective rate then decays like 1/√t.";
    }

    /// <summary>How many seeds none of the optimizers learns at the main η.</summary>
    public static string SeedVerdict(IReadOnlyList<XorSeedCell> cells)
    {
        int seeds = cells[0].Learned.Length;
        int none = Enumerable.Range(0, seeds).Count(i => cells.All(c => !c.Learned[i]));
        return none > 0
            ? $"The seed table is the fairer comparison: for {none} of {seeds} initialisations none of the optimizers finds the table within the budget " +
              "(the run stalls on a plateau, as in the logic-gates lab)."
            : $"The seed table is the fairer comparison: every one of the {seeds} initialisations was learned by at least one optimizer.";
    }

    /// <summary>AdaGrad across the η sweep: fewer successes but faster as η grows, or not.</summary>
    public static string SweepVerdict(IReadOnlyList<XorSeedCell> adaGrad)
    {
        if (adaGrad.Count < 2) return "";
        var lo = adaGrad.MinBy(c => c.LearningRate)!;
        var hi = adaGrad.MaxBy(c => c.LearningRate)!;
        int seeds = lo.Learned.Length;
        string counts = $"AdaGrad learned the table in {lo.LearnedCount}/{seeds} runs at η = {LabReport.Format(lo.LearningRate)} and {hi.LearnedCount}/{seeds} at η = {LabReport.Format(hi.LearningRate)}";
        return hi.LearnedCount < lo.LearnedCount && hi.MedianEpochs < lo.MedianEpochs
            ? counts + $" (median {LabReport.Format(lo.MedianEpochs)} → {LabReport.Format(hi.MedianEpochs)} epochs): its large early steps trade reliability for speed as η grows."
            : counts + $" (median {LabReport.Format(lo.MedianEpochs)} → {LabReport.Format(hi.MedianEpochs)} epochs).";
    }

    /// <summary>Whether the L2 penalty or the MSE dominates J at the end of a run.</summary>
    public static string PenaltyVerdict(XorRun run, double lambda)
    {
        string j = string.Create(CultureInfo.InvariantCulture, $"J ≈ {run.Loss[^1]:0.000}, of which the penalty is {run.FinalPenalty:0.000} and the MSE {run.FinalMse:0.0000}");
        if (run.FinalPenalty <= run.FinalMse || lambda == 0)
            return $"The momentum run ends at {j}: the MSE still dominates, so the L2 term has not yet decided where training ends.";
        return string.Create(CultureInfo.InvariantCulture, $"""
            The L2 term decides where training ends: the momentum run settles at {j}. Without it the MSE would keep falling as the weights grow;
            with λ = {lambda:G} the weights stop near Σw² = 2·penalty/λ ≈ {2 * run.FinalPenalty / lambda:0}, where the outputs are about
            {run.Outputs[0]:0.00} and {run.Outputs[1]:0.00} rather than {Truth(run.Coding)[0]:0} and {Truth(run.Coding)[1]:0} (tables above).
            """).ReplaceLineEndings(" ");
    }

    /// <summary>Plain gradient descent's final J against momentum's (1 % tolerance).</summary>
    public static string SlowVerdict(XorRun sgd, XorRun momentum) =>
        sgd.Loss[^1] > 1.01 * momentum.Loss[^1]
            ? string.Create(CultureInfo.InvariantCulture, $"Plain gradient descent approaches the same minimum more slowly: it ends at J = {sgd.Loss[^1]:0.0000}.")
            : string.Create(CultureInfo.InvariantCulture, $"Plain gradient descent ends at the same J (within 1 %: {sgd.Loss[^1]:0.0000}).");
}
