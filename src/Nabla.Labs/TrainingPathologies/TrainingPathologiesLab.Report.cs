using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class TrainingPathologiesLab
{
    public override void Report(LabReport report, TrainingPathologiesSettings s, TrainingPathologiesResult r)
    {
        report.Paragraph($"""
            EECS 498 HW1 Q7 asks three short questions: (1) the main difficulty of training deep networks with the sigmoid
            non-linearity; (2) how to use a layer y = W(x ⊙ m), trained with dropout of probability p on its input, at
            inference; (3) what to change when the training loss goes down quickly and then diverges. Each is answered
            here by an experiment on MNIST (standardised with mean 0.1307 and std 0.3081; {r.TrainCount:N0} training,
            {r.ValidationCount:N0} validation and {r.TestCount:N0} test images, prefixes of the standard 50k/10k/10k split;
            mini-batches of {s.BatchSize}). Part (c) also answers Workbook Q16c (gradient clipping: what and why).
            Nothing is chosen on the test set: it is scored once per trained model and inference rule, beside the validation figures.
            """);
        ReportDepth(report, r.Depth);
        ReportDropout(report, r.Dropout);
        ReportDivergence(report, s, r.Divergence);
        report.Paragraph($"Wall time of the whole run: {r.Seconds:F0} s.");
    }

    private static void ReportDepth(LabReport report, DepthStudy d)
    {
        DepthRun sg = d.Sigmoid, re = d.Relu;
        report.Heading("(a) Gradients of a deep sigmoid network (Q7.1)");
        report.Paragraph($"""
            **Models.** Two MLPs 784-{string.Join("-", Enumerable.Repeat(d.Width, d.Depth))}-10 ({d.Depth} hidden layers of
            {d.Width}, {MlpTraining.DenseParameterCount([784, .. Enumerable.Repeat(d.Width, d.Depth), 10]):N0} parameters): one with
            sigmoid units and Glorot-uniform weights (d = √(6/(fan_in + fan_out)); for a square layer the weights then neither
            shrink nor grow a back-propagated vector), one with ReLU units and He-uniform weights (gain √2, which makes up for the
            half of the units that are off). Biases start at 0. Both are trained {d.Epochs} epoch(s) with plain SGD (learning rate
            {d.LearningRate}) on the same data order. **Probe.** One forward/backward pass on the first {d.ProbeImages} training
            images, at initialisation and after training: ‖∂L/∂W_k‖_F for every layer, the back-propagated signal ‖∂L/∂z_k‖_F at
            every pre-activation (read from a zero tensor added to z_k), rms φ′(z_k), and the weight gain ‖W_k‖_F/√out_k by which
            W_kᵀ scales an isotropic vector.
            """);
        var layers = Enumerable.Range(0, d.Depth + 1).ToList();
        report.Table(["layer", "‖∂L/∂W‖ sigmoid, init", "sigmoid, trained", "‖∂L/∂W‖ ReLU, init", "ReLU, trained", "rms σ′ (init)", "rms ReLU′ (init)"],
            layers.Select(k => (IReadOnlyList<object>)[k == d.Depth ? $"{k + 1} (output)" : $"{k + 1}",
                sg.Before.WeightGrad[k], sg.After.WeightGrad[k], re.Before.WeightGrad[k], re.After.WeightGrad[k],
                k < d.Depth ? sg.Before.DerivativeRms[k] : "–", k < d.Depth ? re.Before.DerivativeRms[k] : "–"]));
        var chart = new LineChart
        {
            Title = $"‖∂L/∂W_k‖ per layer, {d.Depth} hidden layers of {d.Width}", XLabel = "layer k (1 = next to the input)",
            YLabel = "‖∂L/∂W_k‖_F (log scale)", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight,
        };
        chart.Add($"{sg.Label}, init", sg.Before.WeightGrad).Add($"{sg.Label}, trained", sg.After.WeightGrad)
             .Add($"{re.Label}, init", re.Before.WeightGrad).Add($"{re.Label}, trained", re.After.WeightGrad);
        chart.SavePng(report.PathOf("layer_gradients.png"));
        report.Figure("layer_gradients.png", "Weight-gradient norm of every layer at initialisation and after training (log scale).");

        report.Table(["network", "probe loss (init)", "‖∂L/∂W_1‖ / ‖∂L/∂W_out‖ (init)", "signal factor per layer, measured (init)",
                "mean rms φ′ × mean gain", "predicted factor", "measured factor (trained)", "rms φ′ (trained)", "validation accuracy", "test accuracy", "run"],
            new[] { sg, re }.Select(x => (IReadOnlyList<object>)[x.Label, x.Before.Loss, x.Before.WeightGrad[0] / x.Before.WeightGrad[^1],
                MeasuredFactor(x.Before), $"{F(x.Before.DerivativeRms.Average())} × {F(MeanGain(x.Before))}", PredictedFactor(x.Before),
                MeasuredFactor(x.After), x.After.DerivativeRms.Average(), Pct(x.ValidationAccuracy[^1]), Pct(x.TestAccuracy), x.Outcome]));
        report.Paragraph("""
            The *signal factor* is (‖∂L/∂z_1‖/‖∂L/∂z_L‖)^(1/(L−1)), the average shrinkage of the back-propagated signal per hidden
            layer toward the input. Since ∂L/∂z_k = φ′(z_k) ⊙ W_{k+1}ᵀ ∂L/∂z_{k+1}, each layer multiplies its norm by about
            rms φ′(z_k) × gain(W_{k+1}); the *predicted factor* is the geometric mean of those products, from the probe's own numbers.
            """);
        report.Paragraph($"""
            {DecaySays(MeasuredFactor(sg.Before), PredictedFactor(sg.Before), sg.Before.DerivativeRms.Average(), MeanGain(sg.Before), d.Depth)}
            {ReluKeepsSays(MeasuredFactor(re.Before), PredictedFactor(re.Before))} At initialisation the first layer's weight gradient is
            {F(sg.Before.WeightGrad[0] / sg.Before.WeightGrad[^1])} times the output layer's with sigmoid and
            {F(re.Before.WeightGrad[0] / re.Before.WeightGrad[^1])} times with ReLU.
            {SaturationSays(sg.Before.DerivativeRms.Average(), sg.After.DerivativeRms.Average())}
            {StuckSays(sg.ValidationAccuracy[^1], re.ValidationAccuracy[^1], d.Epochs)}
            """);
        report.Metric("sigmoid_factor_init", MeasuredFactor(sg.Before)).Metric("sigmoid_predicted_factor", PredictedFactor(sg.Before))
              .Metric("relu_factor_init", MeasuredFactor(re.Before)).Metric("relu_predicted_factor", PredictedFactor(re.Before))
              .Metric("sigmoid_first_over_output_init", sg.Before.WeightGrad[0] / sg.Before.WeightGrad[^1])
              .Metric("relu_first_over_output_init", re.Before.WeightGrad[0] / re.Before.WeightGrad[^1])
              .Metric("sigmoid_val_accuracy", sg.ValidationAccuracy[^1]).Metric("relu_val_accuracy", re.ValidationAccuracy[^1])
              .Metric("sigmoid_test_accuracy", sg.TestAccuracy).Metric("relu_test_accuracy", re.TestAccuracy);
    }

    private static void ReportDropout(LabReport report, DropoutStudy d)
    {
        report.Heading("(b) Dropout at inference (Q7.2)");
        report.Paragraph($"""
            **Models.** MLP 784-{string.Join("-", d.Hidden)}-10 with ReLU and dropout p = {d.P} on the input of every Linear after the
            first ({d.DropoutLayers} dropout layers), trained {d.Epochs} epochs with plain SGD (learning rate {d.LearningRate}) twice:
            with *inverted* dropout (y = x ⊙ m/(1 − p) in training, the library's `Dropout`) and with *textbook* dropout (y = x ⊙ m).
            After training each model is evaluated under several inference rules. With m ~ Bernoulli(1 − p), E[x ⊙ m] = (1 − p)·x, so
            a layer y = W(x ⊙ m) trained textbook-style sees inputs whose mean is (1 − p)·x: at inference it must compute
            y = (1 − p)·W·x (equivalently use the weights (1 − p)·W). Inverted dropout moves the factor into training, so inference is
            just y = W·x. *Scale per layer* is what a rule does to each dropout layer's output relative to its training-time mean;
            the *measured* column is the mean input of the output layer under the rule divided by its mean in training mode (over
            random masks), on 1,000 validation images, after all {d.DropoutLayers} dropout layers.
            """);
        report.Table(["trained with", "at test", "scale per dropout layer", "output-layer input ÷ training mean (measured)",
                "validation accuracy", "validation loss", "test accuracy", "test loss"],
            d.Rows.Select(x => (IReadOnlyList<object>)[x.Training, x.AtTest, x.AtTest.StartsWith("dropout left on", StringComparison.Ordinal) ? "1 (in expectation)" : x.ExpectedRatio,
                x.MeasuredRatio, Pct(x.ValidationAccuracy), x.ValidationLoss, Pct(x.TestAccuracy), x.TestLoss]));
        var chart = new LineChart { Title = "Dropout MLPs: training loss per epoch", XLabel = "epoch", YLabel = "average training loss", IntegerXTicks = true };
        chart.Add("inverted dropout", d.InvertedTrainLoss).Add("textbook dropout", d.TextbookTrainLoss);
        chart.SavePng(report.PathOf("dropout_loss.png"));
        report.Figure("dropout_loss.png", "Training loss (with dropout on) of the two dropout MLPs.");

        DropoutRow Row(string key) => d.Rows.Single(x => x.Key == key);
        DropoutRow invOk = Row("inverted_identity"), invWrong = Row("inverted_scaled"), on = Row("inverted_on"),
            txtOk = Row("textbook_scaled"), txtWrong = Row("textbook_identity");
        report.Paragraph($"""
            **Inverted dropout.** {MismatchSays("y = (1 − p)·x", invWrong, "y = x", invOk, d.DropoutLayers)}
            **Textbook dropout.** {MismatchSays("no rescaling", txtWrong, "y = (1 − p)·x", txtOk, d.DropoutLayers)}
            {JensenSays(invOk.MeasuredRatio, txtOk.MeasuredRatio)}
            **Dropout left on at test time** (one random mask per image): {Says.Compare("one random mask", 100 * on.ValidationAccuracy, "the deterministic y = x", 100 * invOk.ValidationAccuracy, 0.2, " %")}
            on the validation images — the mask's noise is a training device; at inference one wants its mean, which the scaling rule approximates.
            """);
        foreach (var x in d.Rows)
            report.Metric($"{x.Key}_val_accuracy", x.ValidationAccuracy).Metric($"{x.Key}_test_accuracy", x.TestAccuracy).Metric($"{x.Key}_test_loss", x.TestLoss);
        ReportEnsemble(report, d);
    }

    private static void ReportEnsemble(LabReport report, DropoutStudy d)
    {
        var e = d.Ensemble;
        report.Heading("(b′) Why dropout regularises: the ensemble of thinned networks (Workbook Q8a)");
        report.Paragraph($"""
            Each dropout mask m picks a *thinned* network (the units with m = 0 removed); all 2^n of them share the same weights, and
            each training step trains one of them. Read this way, dropout trains an ensemble, and the weight-scaled network used at
            inference stands in for the ensemble's average. Measured on the inverted-dropout model above, on {e.Images} validation
            images: the mean of softmax outputs of K thinned networks (K independent masks per image, sampled as in training)
            against the one deterministic pass y = x (the scaled network, whose validation accuracy is {Pct(e.ScaledAccuracy)}).
            TV(p, q) = ½Σ_c abs(p_c − q_c) is the total-variation distance between two probability vectors (0 = identical, 1 = disjoint).
            """);
        report.Table(["K thinned networks averaged", "validation accuracy of the average", "same class as the scaled network", "mean distance TV(p̄_K, p_scaled)"],
            e.Rows.Select(w => (IReadOnlyList<object>)[w.Masks, Pct(w.Accuracy), Pct(w.ArgmaxAgreement), w.MeanTotalVariation]));
        report.Paragraph(EnsembleSays(e));
        report.Paragraph($"""
            The generalisation gap: the same MLP (same initial weights, batches, {d.Epochs} epochs, rate {d.LearningRate}) trained with
            and without dropout, both evaluated in eval mode on the whole training split and on the validation split.
            """);
        report.Table(["model", "train accuracy", "train loss", "validation accuracy", "validation loss", "accuracy gap (points)", "loss gap"],
            d.Gap.Select(g => (IReadOnlyList<object>)[g.Model, Pct(g.TrainAccuracy), g.TrainLoss, Pct(g.ValidationAccuracy), g.ValidationLoss, 100 * g.AccuracyGap, g.LossGap]));
        report.Paragraph(GapSays(d.Gap[0], d.Gap[1]));
        var last = e.Rows[^1];
        report.Metric("q8a_ensemble_masks", last.Masks).Metric("q8a_ensemble_val_accuracy", last.Accuracy)
              .Metric("q8a_scaled_val_accuracy", e.ScaledAccuracy).Metric("q8a_ensemble_argmax_agreement", last.ArgmaxAgreement)
              .Metric("q8a_ensemble_mean_tv", last.MeanTotalVariation).Metric("q8a_single_mask_mean_tv", e.Rows[0].MeanTotalVariation)
              .Metric("q8a_gap_loss_without_dropout", d.Gap[0].LossGap).Metric("q8a_gap_loss_with_dropout", d.Gap[1].LossGap)
              .Metric("q8a_gap_accuracy_without_dropout", d.Gap[0].AccuracyGap).Metric("q8a_gap_accuracy_with_dropout", d.Gap[1].AccuracyGap);
    }

    private static void ReportDivergence(LabReport report, TrainingPathologiesSettings s, DivergenceStudy d)
    {
        var high = d["high"];
        report.Heading("(c) A diverging run and its fixes (Q7.3; Workbook Q16c)");
        report.Paragraph($"""
            **Model.** MLP 784-{string.Join("-", d.Hidden)}-10 with ReLU (PyTorch's default init), trained {d.Epochs} epochs by SGD with
            momentum {d.Momentum} through the library's `Trainer` ({d.BatchesPerEpoch} batches per epoch). The Trainer's guard stops a
            run at the first batch whose loss is NaN or ±∞ and reports the epoch: that is what *diverged* means in the table. Every run
            starts from the same weights (but for batch norm, whose network has extra layers) and sees the same batches. Fixes:
            a rate {s.LowerFactor} times smaller; the large rate decayed by {s.DecayGamma} over each epoch (per batch, `ExponentialLR`
            stepped every batch); `BatchNorm1d` after every hidden Linear; the global gradient norm clipped to {s.ClipNorm}
            (`TrainerOptions.ClipGradNorm`, which calls `GradClip.ClipGradNorm_`: g ← g·min(1, c/‖g‖) before every step).
            """);
        report.Table(["run", "change", "diverged (NaN guard)", "epoch of divergence", "lowest windowed loss", "final train loss",
                "final validation accuracy", "test accuracy"],
            d.Runs.Select(x => (IReadOnlyList<object>)[x.Label, x.Change, x.Diverged ? "yes" : "no", x.Diverged ? x.DivergedEpoch : "–",
                x.MinLoss, x.FinalLoss, Pct(x.FinalValidationAccuracy), Pct(x.TestAccuracy)]));
        const double cap = 100;
        var chart = new LineChart
        {
            Title = $"Training loss, mean of every {d.Window} batches (values above {cap:0} drawn at {cap:0})", XLabel = "epoch",
            YLabel = "training loss (log scale)", LogY = true,
        };
        foreach (var x in d.Runs)
            chart.Add(x.Label, x.CurveSteps.Select(t => (double)t / d.BatchesPerEpoch).ToArray(), x.Curve.Select(v => Math.Min(v, cap)).ToArray());
        chart.SavePng(report.PathOf("divergence.png"));
        report.Figure("divergence.png", $"Training loss of the diverging run and of its four fixes (a curve ends where the NaN guard stopped its run; values above {cap:0} are drawn at {cap:0}).");

        var fixes = d.Runs.Where(x => x.Key != "high").ToList();
        report.Paragraph($"""
            {HighRunSays(high.Curve, high.CurveSteps, high.Diverged, high.DivergedEpoch, d.BatchesPerEpoch)}
            {string.Join(" ", fixes.Select(x => FixSays(x.Label, x.Diverged, x.DivergedEpoch, x.FinalLoss, x.FinalValidationAccuracy)))}
            {BestFixSays(fixes.Select(x => (x.Label, x.Diverged ? double.NaN : x.FinalValidationAccuracy)).ToList())}
            {ClipSays(d["clip"].Diverged, d["clip"].FinalLoss, Math.Min(d["lower"].FinalLoss, d["decay"].FinalLoss))}
            """);
        report.Paragraph("""
            **What to change (Q7.3).** First the learning rate: lower it, or keep the fast start and decay it (a schedule, or
            warm-up then decay); then what makes the run tolerate a large rate: batch normalisation (the loss no longer depends
            on the scale of the weights feeding each normalised layer, so growing weights shrink the effective step), gradient
            clipping (caps each step's length at η·c), a larger batch (less gradient noise), less momentum, weight decay.
            **Gradient clipping (Workbook Q16c)** rescales the gradient before the step, g ← g·min(1, c/‖g‖) (clipping by norm keeps
            its direction; clipping by value, `ClipGradValue`, clamps each component), so no single step can be longer than η·c. It
            matters most in recurrent networks, where the gradient is a product of one Jacobian per time step and can grow
            exponentially with the sequence length on some batches: one such step can throw the parameters far from where
            training was (the "cliff" of Pascanu et al. 2013).
            """);
        foreach (var x in d.Runs)
            report.Metric($"{x.Key}_diverged", x.Diverged ? 1 : 0).Metric($"{x.Key}_final_train_loss", x.FinalLoss)
                  .Metric($"{x.Key}_val_accuracy", x.FinalValidationAccuracy).Metric($"{x.Key}_test_accuracy", x.TestAccuracy);
    }

    // ---------------------------------------------------------------- rules: each sentence chosen by the numbers

    /// <summary>Part (a): whether the sigmoid net's signal decays per layer (factor below ½) and whether rms σ′ × weight gain
    /// predicts the decay (within a factor 1.5).</summary>
    public static string DecaySays(double measured, double predicted, double rmsDerivative, double gain, int depth)
    {
        if (double.IsNaN(measured) || double.IsNaN(predicted)) return "The sigmoid network's per-layer factor could not be measured.";
        string over = F(Math.Pow(measured, depth - 1));
        if (measured >= 0.5)
            return $"The sigmoid network's back-propagated signal shrinks only by a factor {F(measured)} per layer toward the input: no marked decay at this depth.";
        if (Math.Abs(Math.Log(measured / predicted)) <= Math.Log(1.5))
            return $"Toward the input, the sigmoid network's back-propagated signal shrinks by a factor {F(measured)} per layer " +
                   $"({over} over the {depth - 1} steps between the last and the first hidden layer), and rms σ′ × weight gain predicts " +
                   $"{F(predicted)}: the weights' gain is {F(gain)}, so the decay is σ′'s. σ′(z) = σ(z)(1 − σ(z)) is at most ¼ (at z = 0; " +
                   $"rms {F(rmsDerivative)} here), so every sigmoid layer multiplies the gradient by at most ¼ times the weights' gain, " +
                   "and the factors compound with depth: the layers near the input get almost no gradient (vanishing gradients), and " +
                   "saturated units (σ′ → 0) make it worse. That is the main difficulty of deep sigmoid networks.";
        return $"The sigmoid network's signal shrinks by a factor {F(measured)} per layer, but rms σ′ × weight gain predicts {F(predicted)}: " +
               "the simple product does not account for the decay here.";
    }

    /// <summary>Part (a): whether ReLU with He init keeps the signal's scale (factor within [2/3, 3/2]).</summary>
    public static string ReluKeepsSays(double measured, double predicted)
    {
        if (double.IsNaN(measured)) return "";
        return measured is >= 1 / 1.5 and <= 1.5
            ? $"The ReLU network keeps its signal: factor {F(measured)} per layer (predicted {F(predicted)}), because ReLU′ is 1 on the " +
              "active units (rms ReLU′ = √(share of active units) ≈ 0.71 for half of them) and He's gain √2 makes up for the inactive half."
            : $"The ReLU network's signal also changes, by a factor {F(measured)} per layer (predicted {F(predicted)}).";
    }

    /// <summary>Part (a): whether training saturated the sigmoid units (rms σ′ fell by more than 10 %).</summary>
    public static string SaturationSays(double before, double after)
    {
        if (double.IsNaN(after)) return "";
        return after < 0.9 * before
            ? $"Training pushed the sigmoid units toward saturation: rms σ′ fell from {F(before)} to {F(after)}, which makes the decay steeper."
            : $"Training did not saturate the sigmoid units: rms σ′ went from {F(before)} to {F(after)}.";
    }

    /// <summary>Part (a): what the decay did to training, from the final validation accuracies (20 % counts as chance level).</summary>
    public static string StuckSays(double sigmoidAccuracy, double reluAccuracy, int epochs)
    {
        string e = epochs == 1 ? "1 epoch" : $"{epochs} epochs";
        if (double.IsNaN(sigmoidAccuracy)) return "The sigmoid run diverged.";
        if (sigmoidAccuracy <= 0.2)
            return $"After {e} of the same SGD the sigmoid network is still near chance ({Pct(sigmoidAccuracy)} validation accuracy) " +
                   $"while the ReLU network reaches {Pct(reluAccuracy)}.";
        return $"After {e} of the same SGD: {Says.Compare("the ReLU network", 100 * reluAccuracy, "the sigmoid network", 100 * sigmoidAccuracy, 0.5, " %")} on validation.";
    }

    /// <summary>Part (b): what a wrong inference rule did compared with the matching one (accuracy, loss, and the compounded
    /// scale of the output layer's input).</summary>
    public static string MismatchSays(string wrongName, DropoutRow wrong, string rightName, DropoutRow right, int layers)
    {
        double rel = wrong.MeasuredRatio / right.MeasuredRatio;
        double expected = Math.Pow(wrong.ExpectedRatio, layers);
        string scale = Math.Abs(Math.Log(rel / expected)) <= Math.Log(1.25)
            ? $"Evaluating with {wrongName} scales the output layer's input by {F(rel)} relative to {rightName}, close to {F(wrong.ExpectedRatio)}^{layers} = {F(expected)}: " +
              "through the ReLUs the factors of the dropout layers compound."
            : $"Evaluating with {wrongName} scales the output layer's input by {F(rel)} relative to {rightName} ({F(wrong.ExpectedRatio)}^{layers} = {F(expected)} would be the compounded factor).";
        double accDrop = 100 * (right.ValidationAccuracy - wrong.ValidationAccuracy);
        double lossRise = wrong.ValidationLoss / right.ValidationLoss - 1;
        string effect = accDrop <= -1 || (accDrop < 1 && lossRise < -0.1)
            ? $"Here the mismatched rule does not hurt: {Pct(wrong.ValidationAccuracy)} against {Pct(right.ValidationAccuracy)}, loss {F(wrong.ValidationLoss)} against {F(right.ValidationLoss)} — " +
              (wrong.ExpectedRatio > 1 ? "this model's logits are too timid (under-confident), and scaling them up happens to help" : "this model is over-confident, and scaling its logits down happens to help") +
              "; the rule still does not compute what training optimised."
            : accDrop >= 1
            ? $"The mismatch costs {F(accDrop)} points of validation accuracy ({Pct(wrong.ValidationAccuracy)} against {Pct(right.ValidationAccuracy)}) and the loss goes from {F(right.ValidationLoss)} to {F(wrong.ValidationLoss)}."
            : lossRise > 0.1
                ? $"Accuracy hides most of it ({Pct(wrong.ValidationAccuracy)} against {Pct(right.ValidationAccuracy)}), the loss does not ({F(wrong.ValidationLoss)} against {F(right.ValidationLoss)}): " +
                  "scaling the activations of a ReLU network scales its logits by about the same factor, which leaves their argmax nearly unchanged (only the biases break the homogeneity) but makes the probabilities " +
                  (wrong.ExpectedRatio < 1 ? "under-confident (logits too small)." : "over-confident (logits too large).")
                : $"Here the mismatch barely matters: {Pct(wrong.ValidationAccuracy)} against {Pct(right.ValidationAccuracy)}, loss {F(wrong.ValidationLoss)} against {F(right.ValidationLoss)}.";
        return scale + " " + effect;
    }

    /// <summary>Part (b): whether the matching rules reproduce the training-time mean of the output layer's input (within 5 %)
    /// or fall short of it, as Jensen's inequality predicts for a ReLU after a dropout layer.</summary>
    public static string JensenSays(double invertedMatched, double textbookMatched)
    {
        double worst = Math.Abs(invertedMatched - 1) > Math.Abs(textbookMatched - 1) ? invertedMatched : textbookMatched;
        if (Math.Abs(worst - 1) <= 0.05)
            return $"The matching rules reproduce the training-time mean of the output layer's input within 5 % ({F(invertedMatched)} and {F(textbookMatched)}).";
        return $"Even the matching rules do not reproduce the training-time mean of the output layer's input exactly ({F(invertedMatched)} and " +
               $"{F(textbookMatched)}): the scaling rule replaces the average over masks of the whole network by the network at the average mask, " +
               "which is exact for a single linear layer only. A ReLU after a dropout layer has E[ReLU(u)] ≥ ReLU(E[u]) (Jensen), so the " +
               (worst < 1 ? "deterministic pass gives a smaller mean than the noisy ones." : "deterministic pass differs from the noisy ones.");
    }

    /// <summary>Part (c): whether the run at the large rate first fell (its lowest window after the first, and below it) and
    /// then diverged (the NaN guard fired).</summary>
    public static string HighRunSays(IReadOnlyList<double> curve, IReadOnlyList<int> steps, bool diverged, int epoch, int batchesPerEpoch)
    {
        if (curve.Count == 0) return diverged ? $"The run at the large rate diverged at its first batches (epoch {epoch})." : "The run at the large rate recorded no loss.";
        int min = 0;
        for (int i = 1; i < curve.Count; i++) if (curve[i] < curve[min]) min = i;
        string at = $"batch {steps[min]} (epoch {F((double)steps[min] / batchesPerEpoch)})";
        if (!diverged)
            return $"The run at the large rate did not diverge in these epochs (lowest windowed loss {F(curve[min])} at {at}, last {F(curve[^1])}): this configuration does not show the pathology.";
        if (min > 0 && curve[min] < curve[0])
            return $"At the large rate the loss first falls, from {F(curve[0])} in the first window to {F(curve[min])} at {at}, then rises " +
                   $"({F(curve[^1])} in the last window recorded) until a batch's loss becomes NaN/∞ in epoch {epoch}, where the Trainer's guard stops the run: " +
                   "the pathology of Q7.3. A step size that is stable at first stops being stable as training moves into sharper regions of the loss surface, and once the steps overshoot, the weights and the loss grow without bound.";
        return $"At the large rate the loss never falls below its first window ({F(curve[0])}) and becomes NaN/∞ in epoch {epoch}: this rate diverges at once rather than after a fall.";
    }

    /// <summary>Part (c): one fix's outcome.</summary>
    public static string FixSays(string label, bool diverged, int epoch, double finalLoss, double valAccuracy) => diverged
        ? $"With {label} the run still diverges (epoch {epoch})."
        : $"With {label} it does not diverge (final training loss {F(finalLoss)}, validation accuracy {Pct(valAccuracy)}).";

    /// <summary>Part (c): the fix with the best final validation accuracy among the runs that did not diverge.</summary>
    public static string BestFixSays(IReadOnlyList<(string Label, double Accuracy)> fixes)
    {
        var ok = fixes.Where(f => !double.IsNaN(f.Accuracy)).ToList();
        if (ok.Count == 0) return "None of the fixes prevented the divergence.";
        var best = ok.MaxBy(f => f.Accuracy);
        return $"Of the runs that finished, {best.Label} ends with the best validation accuracy ({Pct(best.Accuracy)}).";
    }

    /// <summary>Part (c): whether clipping merely kept the run finite (final loss over 1.5× the better of the lower-rate and
    /// decay runs) or trained as well as they did.</summary>
    public static string ClipSays(bool diverged, double clipLoss, double bestRateFixLoss)
    {
        if (diverged) return "Clipping did not stop the divergence: a step of length η·c in a bad direction, repeated, can still run away.";
        if (double.IsNaN(bestRateFixLoss)) return $"Clipping kept the run finite (final training loss {F(clipLoss)}).";
        return clipLoss > 1.5 * bestRateFixLoss
            ? $"Clipping kept the run finite, but its final training loss ({F(clipLoss)}) stays above that of a smaller or decaying rate ({F(bestRateFixLoss)}): " +
              "it bounds every step at η·c instead of making the rate fit the surface, so it treats the explosion, not the too-large step."
            : $"Clipping alone trained about as well as changing the rate (final training loss {F(clipLoss)} against {F(bestRateFixLoss)}).";
    }

    private static string Pct(double a) => double.IsNaN(a) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * a:F2}%");

    private static string F(double v) => LabReport.Format(v);
}
