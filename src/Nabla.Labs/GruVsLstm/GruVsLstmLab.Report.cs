using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class GruVsLstmLab
{
    public override void Report(LabReport report, GruVsLstmSettings s, GruVsLstmResult r)
    {
        var (rnn, gru, lstm) = (r.Of(RecurrentCell.Rnn), r.Of(RecurrentCell.Gru), r.Of(RecurrentCell.Lstm));
        report.Paragraph($"""
            Workbook Q16b ("if LSTMs and GRUs have the same learning power, what is the advantage of the GRU?"), Q16c (gradient
            clipping) and Q16e (what LSTMs and GRUs contribute to RNNs), answered by experiment. Part 1 is the `sentence-rnn`
            lab's TREC classifier — token ids → embedding (D = {s.EmbeddingDim}, random U(−0.25, 0.25), fine-tuned) → one recurrent
            layer (H = {s.HiddenSize}) → {(s.Pooling == Models.SentencePooling.Last ? "the state at the last real token" : "the masked mean of the states")}
            → dropout p = {LabReport.Format(s.Dropout)} → fully connected → 6 logits — built three times, with a plain RNN, a GRU
            and an LSTM cell (the library's `RNN`, `GRU`, `LSTM`), everything else identical. Part 2 trains a plain RNN on the
            adding task with a large SGD step, with and without gradient clipping. Part 3 trains all three cells on the adding
            task as the sequence grows.
            """);

        report.Heading("The three cells side by side");
        report.Paragraph("Equations as the library computes them (PyTorch's gate order and two biases per block; σ = logistic sigmoid, ⊙ = elementwise product, " +
                         $"W_i· [H × D], W_h· [H × H]); parameter counts of the recurrent layer for D = {s.EmbeddingDim}, H = {s.HiddenSize}:");
        report.Table(["cell", "equations", "state carried", "weight blocks G", "layer parameters G·H·(D + H) + 2·G·H", "here"],
        [
            ["RNN", "h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)", "h_t", 1, "H(D + H) + 2H", rnn.LayerParameters.ToString("N0", CultureInfo.InvariantCulture)],
            ["GRU", "r = σ(W_ir·x_t + b_ir + W_hr·h_{t−1} + b_hr); z = σ(W_iz·x_t + b_iz + W_hz·h_{t−1} + b_hz); " +
                    "n = tanh(W_in·x_t + b_in + r ⊙ (W_hn·h_{t−1} + b_hn)); **h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}**", "h_t", 3, "3H(D + H) + 6H",
                    gru.LayerParameters.ToString("N0", CultureInfo.InvariantCulture)],
            ["LSTM", "i = σ(W_ii·x_t + b_ii + W_hi·h_{t−1} + b_hi); f = σ(…f…); o = σ(…o…); g = tanh(W_ig·x_t + b_ig + W_hg·h_{t−1} + b_hg); " +
                     "**c_t = f ⊙ c_{t−1} + i ⊙ g**; h_t = o ⊙ tanh(c_t)", "h_t and c_t", 4, "4H(D + H) + 8H",
                    lstm.LayerParameters.ToString("N0", CultureInfo.InvariantCulture)],
        ]);
        report.Paragraph("The bold lines are the gated cells' contribution: the new state is a gate-weighted *sum* of the old state and a candidate, " +
                         "so ∂h_t/∂h_{t−1} (GRU) or ∂c_t/∂c_{t−1} (LSTM) contains the term z (or f) directly, instead of only W_hh·diag(tanh′), " +
                         "which a plain RNN multiplies T times over a sequence. The GRU merges the LSTM's input and forget gates into one update " +
                         "gate z (1 − z plays the input gate), has no output gate and no separate cell state.");

        report.Heading("Part 1: TREC question classification");
        report.Paragraph(SentenceTraining.DataText(r.Data, s.TrainQuestions, s.TestQuestions));
        foreach (var c in r.Trec) SentenceTraining.SizeTable(report, $"{RecurrentCells.Label(c.Cell)} classifier", c.Sizes, s.BatchSize, r.Data.LongestSentence);
        report.Paragraph($"Training: Adam, η = {LabReport.Format(s.LearningRate)}, weight decay {LabReport.Format(s.WeightDecay)}, batch {s.BatchSize}, " +
                         $"{s.Epochs} epochs for every cell; the weights after the epoch with the highest validation accuracy are kept (the epoch count is " +
                         "chosen on validation), then scored once on the test set. Time per epoch is the median over the epochs of the wall-clock time (validation pass included) " +
                         "on the machine that ran it, which other processes may share.");
        report.Table(["cell", "all parameters", "recurrent layer", "s / epoch (median)", "epoch kept", "train acc.", "valid acc.", "**test acc.**"],
            r.Trec.Select(c => (IReadOnlyList<object>)[RecurrentCells.Label(c.Cell), c.Run.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                c.LayerParameters.ToString("N0", CultureInfo.InvariantCulture), Math.Round(c.Run.SecondsPerEpoch, 2), $"{c.Run.ChosenEpoch} of {c.Run.History.Count}",
                SentenceTraining.Pct(c.Run.TrainAccuracy), SentenceTraining.Pct(c.Run.ValidAccuracy), $"**{SentenceTraining.Pct(c.Run.TestAccuracy)}**"]));
        SentenceTraining.CurveFigures(report, r.Trec.Select(c => c.Run).ToList());
        report.Paragraph(string.Join(" ", new[]
        {
            GruAdvantageText(gru.LayerParameters, lstm.LayerParameters, gru.Run.SecondsPerEpoch, lstm.Run.SecondsPerEpoch, rnn.Run.SecondsPerEpoch),
            SentenceTraining.CompareVerdict("The GRU", gru.Run.TestAccuracy, "the LSTM", lstm.Run.TestAccuracy, r.Data.Test),
            GruConclusion(gru.Run.TestAccuracy, lstm.Run.TestAccuracy, r.Data.Test),
            SentenceTraining.CompareVerdict($"The better gated cell on validation ({BetterGated(gru, lstm).Run.Name})", BetterGated(gru, lstm).Run.TestAccuracy,
                "the plain RNN", rnn.Run.TestAccuracy, r.Data.Test),
            $"TREC questions are short ({r.Data.MeanLength.ToString("F1", CultureInfo.InvariantCulture)} tokens on average), so they test long-range memory little; Part 3 does.",
            SentenceTraining.NoiseText(r.Data.Test, gru.Run.TestAccuracy),
        }));

        report.Heading("Part 2: gradient clipping (Q16c)");
        var (u, cl) = (r.Unclipped, r.Clipped);
        report.Paragraph($"""
            Gradient clipping rescales the whole gradient g (all parameters together) before the update when its norm is too large:
            g ← g·τ/‖g‖ if ‖g‖ > τ (the library's `GradClip.ClipGradNorm_`, or `TrainerOptions.ClipGradNorm`). The direction is
            kept and only the step length is capped, so a single huge gradient — a recurrent net's loss surface has steep "cliffs"
            where the product of T Jacobians explodes — cannot throw the weights far away. Here a plain {s.ClipNonlinearity} RNN
            (H = {s.ClipHidden}) learns the adding task (sequence length T = {s.ClipLength}: each step carries a value U(0, 1) and a marker;
            the target is the sum of the two marked values; MSE) with plain SGD at η = {LabReport.Format(s.ClipLearningRate)} for {s.ClipSteps} steps
            of {s.TaskBatchSize} fresh sequences, twice from the same initial weights and on the same batches: unclipped, and clipped at
            τ = {LabReport.Format(s.ClipMaxNorm)}. The plot shows ‖g‖ before clipping at every step.
            """);
        PlotClipping(report, s, u, cl);
        report.Table(["run", "steps done", "largest ‖g‖", "median ‖g‖", "steps clipped", "final training loss", "test MSE", "test MSE / variance"],
            new[] { u, cl }.Select(t => (IReadOnlyList<object>)[t.Name, t.DivergedAtStep is int d ? $"{t.GradNorms.Length} (non-finite at step {d})" : t.GradNorms.Length,
                Max(t.GradNorms), Median(t.GradNorms), t.Name == u.Name ? "–" : t.ClippedSteps, t.Losses.Length > 0 ? t.Losses[^1] : double.NaN, t.TestMse, t.RelativeMse]));
        report.Paragraph(ClipVerdict(u, cl, s.ClipMaxNorm));

        report.Heading("Part 3: long dependencies (Q16e)");
        report.Paragraph($"""
            The same adding task for every cell and T = {string.Join(", ", s.Lengths)}: the first marked value must be carried up to
            T − 1 steps. Each model (H = {s.LongHidden}, prediction from h_T) is trained with Adam η = {LabReport.Format(s.LongLearningRate)} for
            {s.LongSteps} steps of {s.TaskBatchSize} fresh sequences, every run clipped at τ = {LabReport.Format(s.LongMaxNorm)} (clipping is not the variable here),
            and scored once on {s.TaskTestSequences} held-out sequences. The score is test MSE divided by the variance of the test targets
            (1 = no better than always predicting the mean; the task counts as solved below {LabReport.Format(s.SolvedBelow)}).
            """);
        var lengths = r.Long.Select(t => t.Length).Distinct().ToList();
        report.Table(["T", .. Cells.Select(c => $"{RecurrentCells.Label(c)} MSE / variance")],
            lengths.Select(len => (IReadOnlyList<object>)[len, .. Cells.Select(c => (object)r.Long.First(t => t.Cell == c && t.Length == len).RelativeMse)]));
        PlotLong(report, r.Long);
        report.Paragraph(LongVerdict(r.Long, s.SolvedBelow));
        report.Paragraph("Time per training step at the longest T: " + string.Join(", ", Cells.Select(c =>
        {
            var t = r.Long.Where(x => x.Cell == c).MaxBy(x => x.Length)!;
            return $"{RecurrentCells.Label(c)} {(1000 * t.Seconds / Math.Max(t.GradNorms.Length, 1)).ToString("F1", CultureInfo.InvariantCulture)} ms ({t.Parameters:N0} parameters)";
        })) + ".");

        foreach (var c in r.Trec)
        {
            string k = RecurrentCells.Label(c.Cell).ToLowerInvariant();
            report.Metric($"test_accuracy_{k}", c.Run.TestAccuracy);
            report.Metric($"seconds_per_epoch_{k}", c.Run.SecondsPerEpoch);
            report.Metric($"layer_parameters_{k}", c.LayerParameters);
        }
        report.Metric("unclipped_max_grad_norm", Max(u.GradNorms));
        report.Metric("clipped_max_grad_norm", Max(cl.GradNorms));
        report.Metric("unclipped_test_mse", u.TestMse);
        report.Metric("clipped_test_mse", cl.TestMse);
        foreach (var t in r.Long) report.Metric($"long_relative_mse_{RecurrentCells.Label(t.Cell).ToLowerInvariant()}_t{t.Length}", t.RelativeMse);
    }

    private static CellRun BetterGated(CellRun gru, CellRun lstm) => lstm.Run.ValidAccuracy > gru.Run.ValidAccuracy ? lstm : gru;

    private static double Max(double[] v) => v.Length == 0 ? double.NaN : v.Max();

    public static double Median(double[] v)
    {
        if (v.Length == 0) return double.NaN;
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Q16b: the GRU's smaller layer (always), and whether its epoch was faster than the LSTM's (more than
    /// 10 % less time), about as fast, or slower; when not faster, whether the recurrent layer dominates the epoch at all
    /// (the plain RNN's epoch under half of the gated ones') or not.</summary>
    public static string GruAdvantageText(long gruParameters, long lstmParameters, double gruSecondsPerEpoch, double lstmSecondsPerEpoch, double rnnSecondsPerEpoch)
    {
        string size = $"The GRU's recurrent layer has {gruParameters:N0} parameters against {lstmParameters:N0} for the LSTM " +
                      $"({F(100.0 * (lstmParameters - gruParameters) / lstmParameters, "F0")} % fewer: three weight blocks instead of four, one state vector instead of two)";
        double gain = 1 - gruSecondsPerEpoch / lstmSecondsPerEpoch;
        if (double.IsNaN(gain)) return size + ".";
        if (gain > 0.10)
            return size + $", and an epoch took {F(gruSecondsPerEpoch)} s against {F(lstmSecondsPerEpoch)} s ({F(100 * gain, "F0")} % less time).";
        string time = gain >= -0.10
            ? $", but an epoch took about as long ({F(gruSecondsPerEpoch)} s against {F(lstmSecondsPerEpoch)} s, within 10 %)"
            : $", yet an epoch took longer ({F(gruSecondsPerEpoch)} s against {F(lstmSecondsPerEpoch)} s)";
        return rnnSecondsPerEpoch < 0.5 * Math.Min(gruSecondsPerEpoch, lstmSecondsPerEpoch)
            ? time.Insert(0, size) + $": the recurrent layer does dominate the epoch (the plain RNN's takes {F(rnnSecondsPerEpoch)} s), so with this library's kernels " +
              "the GRU's fewer multiplications do not turn into time — its advantage here is in parameters, not speed."
            : time.Insert(0, size) + $": the plain RNN's epoch takes {F(rnnSecondsPerEpoch)} s, not under half of theirs, so at these sizes the recurrent layer is not what the epoch's time is spent on.";
    }

    /// <summary>Q16b's answer as this run supports it: with no clear accuracy difference the GRU's advantage is the
    /// cheaper model; otherwise the accuracy gap comes first.</summary>
    public static string GruConclusion(double gruAccuracy, double lstmAccuracy, int n)
    {
        double margin = SentenceTraining.Margin95((gruAccuracy + lstmAccuracy) / 2, n);
        if (Math.Abs(gruAccuracy - lstmAccuracy) <= margin)
            return "So, as Q16b supposes, the two learn equally well here, and the GRU's advantage is the cheaper model: a quarter fewer recurrent " +
                   "weights to train and store, fewer multiplications per step, and fewer weights to fit from the same data.";
        return gruAccuracy > lstmAccuracy
            ? "Here the GRU is not only cheaper but also more accurate on the test set."
            : "Here the LSTM's extra capacity paid off in accuracy, so the GRU's cheaper model comes at a price on this task.";
    }

    /// <summary>Whether the unclipped run diverged (non-finite loss or gradient), spiked (largest norm more than 10× its
    /// median) or stayed tame, and what clipping did against it.</summary>
    public static string ClipVerdict(TaskRun unclipped, TaskRun clipped, double tau)
    {
        string clippedText = $"The clipped run {(clipped.DivergedAtStep is int cd ? $"also diverged (step {cd})" : $"finished all {clipped.GradNorms.Length} step{(clipped.GradNorms.Length == 1 ? "" : "s")}")}, " +
                             $"clipping {clipped.ClippedSteps} of them (‖g‖ > τ = {LabReport.Format(tau)}), with test MSE {LabReport.Format(clipped.TestMse)} " +
                             $"({F(clipped.RelativeMse)} of the target variance).";
        double maxU = Max(unclipped.GradNorms), medU = Median(unclipped.GradNorms);
        if (unclipped.DivergedAtStep is int d)
            return $"Without clipping the training diverged: the loss or the gradient became non-finite at step {d} (largest finite ‖g‖ {LabReport.Format(maxU)}, " +
                   $"median {LabReport.Format(medU)}), and the weights are lost. " + clippedText;
        if (maxU > 10 * medU)
            return $"Without clipping the gradient norm spiked: its largest value, {LabReport.Format(maxU)}, is {F(maxU / medU, "F0")}× its median ({LabReport.Format(medU)}); " +
                   $"each spike moves the weights η·‖g‖ at once. Its test MSE is {LabReport.Format(unclipped.TestMse)} " +
                   $"({F(unclipped.RelativeMse)} of the variance). " + clippedText;
        return $"In this run the unclipped training stayed tame (largest ‖g‖ {LabReport.Format(maxU)}, {F(maxU / medU, "F1")}× the median), so clipping had little " +
               $"to prevent (unclipped test MSE {LabReport.Format(unclipped.TestMse)}). " + clippedText + " (The settings `clip-learning-rate` and `clip-length` set how hard the unclipped run is pushed.)";
    }

    /// <summary>The longest T up to which every shorter length was also solved (relative MSE below the bar), or 0.</summary>
    public static int SolvedUpTo(IEnumerable<TaskRun> runsOfOneCell, double solvedBelow)
    {
        int best = 0;
        foreach (var t in runsOfOneCell.OrderBy(t => t.Length))
        {
            if (!(t.RelativeMse < solvedBelow)) break;
            best = t.Length;
        }
        return best;
    }

    /// <summary>Q16e: how far each cell solves the adding task, and whether the gated cells reach further than the
    /// plain RNN, as far, or not.</summary>
    public static string LongVerdict(IReadOnlyList<TaskRun> runs, double solvedBelow)
    {
        int maxLen = runs.Max(t => t.Length);
        string Reach(RecurrentCell c)
        {
            int up = SolvedUpTo(runs.Where(t => t.Cell == c), solvedBelow);
            return $"{RecurrentCells.Label(c)} " + (up == 0 ? "not even at the shortest length" : up == maxLen ? $"at every length up to T = {up}" : $"up to T = {up}");
        }
        int rnn = SolvedUpTo(runs.Where(t => t.Cell == RecurrentCell.Rnn), solvedBelow);
        int gru = SolvedUpTo(runs.Where(t => t.Cell == RecurrentCell.Gru), solvedBelow);
        int lstm = SolvedUpTo(runs.Where(t => t.Cell == RecurrentCell.Lstm), solvedBelow);
        string head = $"Solved (MSE below {LabReport.Format(solvedBelow)} of the variance): {string.Join(", ", GruVsLstmLab.Cells.Select(Reach))}.";
        if (rnn == 0 && gru == 0 && lstm == 0)
            return head + " No cell solved even the shortest length within this budget, so the run cannot separate them: more training steps are needed.";
        if (gru > rnn && lstm > rnn)
            return head + " Both gated cells carry the first marked value over longer gaps than the plain RNN: their additive state update lets the " +
                   "gradient reach back through time without being multiplied at every step by W_hh and tanh′ — the contribution Q16e asks about.";
        if (gru > rnn || lstm > rnn)
            return head + $" Only the {(gru > rnn ? "GRU" : "LSTM")} reaches further than the plain RNN in this budget; the {(gru > rnn ? "LSTM" : "GRU")} " +
                   "needs more steps (or a different learning rate) to show the gated cells' advantage at these lengths.";
        return head + " In this run the plain RNN reaches as far as the gated cells: these lengths do not separate them; longer sequences would be needed.";
    }

    private static void PlotClipping(LabReport report, GruVsLstmSettings s, TaskRun u, TaskRun c)
    {
        var norm = new LineChart { Title = "Gradient norm per step (before clipping)", XLabel = "step", YLabel = "‖g‖", LogY = true, Markers = false };
        var loss = new LineChart { Title = "Training loss per step", XLabel = "step", YLabel = "MSE", LogY = true, Markers = false };
        foreach (var t in new[] { u, c })
        {
            var (xs, ys) = Finite(t.GradNorms);
            if (xs.Count > 0) norm.Add(t.Name, xs, ys);
            var (lx, ly) = Finite(t.Losses);
            if (lx.Count > 0) loss.Add(t.Name, lx, ly);
        }
        int steps = Math.Max(Math.Max(u.GradNorms.Length, c.GradNorms.Length), 1);
        norm.Add($"τ = {LabReport.Format(s.ClipMaxNorm)}", [1, steps], [s.ClipMaxNorm, s.ClipMaxNorm]);
        norm.SavePng(report.PathOf("clip_gradnorm.png"));
        loss.SavePng(report.PathOf("clip_loss.png"));
        report.Figure("clip_gradnorm.png", "Total gradient norm ‖g‖ at every step, before clipping: unclipped vs clipped run (same start, same batches); the line is the threshold τ")
              .Figure("clip_loss.png", "Training MSE per step of both runs (a run that diverged stops where its loss became non-finite)");
    }

    private static void PlotLong(LabReport report, IReadOnlyList<TaskRun> runs)
    {
        var chart = new LineChart { Title = "Adding task: test MSE / target variance", XLabel = "sequence length T", YLabel = "MSE / variance", LogY = true, Markers = true };
        foreach (var c in Cells)
        {
            var pts = runs.Where(t => t.Cell == c && double.IsFinite(t.RelativeMse) && t.RelativeMse > 0).OrderBy(t => t.Length).ToList();
            if (pts.Count > 0) chart.Add(RecurrentCells.Label(c), pts.Select(t => (double)t.Length).ToList(), pts.Select(t => t.RelativeMse).ToList());
        }
        if (chart.SeriesCount == 0) return;
        chart.SavePng(report.PathOf("long_dependencies.png"));
        report.Figure("long_dependencies.png", "Test MSE as a fraction of the target variance against sequence length, per cell (1 = predicting the mean)");
    }

    private static (List<double> X, List<double> Y) Finite(double[] v)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < v.Length; i++)
            if (double.IsFinite(v[i]) && v[i] > 0) { xs.Add(i + 1); ys.Add(v[i]); }
        return (xs, ys);
    }
}
