using Nabla.Plots;

namespace Nabla.Labs;

/// <summary>The report of <c>backprop-by-hand</c>, written from the result alone; every interpretive sentence comes
/// from one of the rules below (tested in BackpropByHandLabTests).</summary>
public sealed partial class BackpropByHandLab
{
    public override void Report(LabReport report, BackpropByHandSettings s, BackpropByHandResult r)
    {
        var ift = r.Runs[0];
        var normal = r.Runs[1];
        var alt = r.Runs[2];
        report.Paragraph($"""
            IFT6135 Problem 1 and 24789 programming Problem 1 ask for an MLP whose forward and backward passes are written
            by hand, with no automatic differentiation. `Nabla.Course.Ift6135Mlp` (the IFT6135 class structure:
            `InitializeWeights`, `Forward`, `Activation`, `Loss`, `Softmax`, `Backward`, `Update`, `Train`, `Test`) and
            `Nabla.Course.Template24789Mlp` (the 24789 template: `Forward`, `Backward`, `Step`, `ZeroGrads`, `GetLoss`,
            `GetError`, `RandomNormalWeightInit`, `ZerosBiasInit`) compute every gradient layer by layer:
            δ_L = (softmax(z_L) − onehot(y)) / N, ∂W_l = δ_lᵀ·h_(l−1) (or h_(l−1)ᵀ·δ_l for 24789's [in, out] weights),
            ∂b_l = Σ_i δ_l,i, δ_(l−1) = (δ_l·W_l) ⊙ g′(z_(l−1)). Their parameters never require grad. Each network is
            trained on MNIST beside an autograd twin that starts from the same weights and sees the same batches, and its
            gradients are checked against autograd and against central finite differences.
            """);

        report.Heading("Data and networks");
        report.Paragraph($"""
            MNIST, standardised with the training mean and standard deviation (0.1307, 0.3081): the first {r.TrainCount:N0}
            of the 50,000 training images of the standard split, {r.ValidCount:N0} of the 10,000 validation images
            (after every epoch) and {r.TestCount:N0} test images (scored once, at the end). Plain mini-batch SGD, batch
            {s.BatchSize}, {s.Epochs} epochs; every network and its twin see the same batch order.
            **IFT6135**: {ift.Network} ({ift.Parameters:N0} parameters, {(ift.Parameters is >= 500_000 and <= 1_000_000 ? "inside" : "outside")}
            the assignment's [0.5 M, 1.0 M] range), Glorot uniform weights U(±√(6/(h_(l−1) + h_l))), zero biases, learning rate {s.LearningRate}.
            **24789**: {normal.Network} ({normal.Parameters:N0} parameters), learning rate {s.TemplateLearningRate}. The
            template file (p1_template.py) is not part of the assignment text this lab works from, so its layer sizes are
            not known here: the sizes are a setting (the same 784-512-256-10 as the `mlp-mnist-csv` lab by default). The
            template's `random_normal_weight_init` is the standard normal N(0, 1); the network is also trained from
            {alt.Init} weights.
            """);

        report.Heading($"Gradient check (float64, one mini-batch of {r.CheckRows} real training images, after training)");
        report.Paragraph($"""
            For every parameter tensor: the explicit gradient against autograd on the same network rebuilt from library ops
            (Linear or MatMul, the activation op, the fused CrossEntropy), over every entry; and both against central
            differences (L(θ + ε) − L(θ − ε)) / 2ε, ε = {r.CheckEps:0e0}, of the explicit network's loss, on the first
            10 entries (IFT6135's θ_1:10) and a random sample of the rest. Relative error = max |g − r| / max |r| over the
            compared entries.
            """);
        report.Table(["network", "tensor", "shape", "explicit vs autograd: max abs", "rel", "entries vs FD", "explicit vs FD: max abs", "rel", "autograd vs FD: rel"],
            r.GradCheck.Select(g => (IReadOnlyList<object>)[g.Network, g.Tensor, g.Shape, g.ExplicitVsAutograd.MaxAbsError, g.ExplicitVsAutograd.MaxRelError,
                g.ExplicitVsNumeric.Compared, g.ExplicitVsNumeric.MaxAbsError, g.ExplicitVsNumeric.MaxRelError, g.AutogradVsNumeric.MaxRelError]));
        report.Paragraph(GradSentence(r.GradCheck));

        report.Heading("Training: explicit backprop beside its autograd twin");
        report.Paragraph($"""
            Each network is trained in float32 and so is its twin; their batch losses are compared step by step. A float64
            control then repeats the first {s.ControlSteps} steps of both from the same initial weights on the same batches:
            float32 rounding differences can grow over thousands of SGD steps, a difference in the computation shows in
            float64 too.
            """);
        report.Table(["network", "init", "twin", "final train loss", "final validation accuracy", "test accuracy (explicit)", "test accuracy (twin)",
                "float32: max abs Δ batch loss (all steps)", "rel", "float32: max rel Δ (first steps)", "float64 control: max abs Δ", "rel", "training time explicit / twin (s)"],
            r.Runs.Select(x => (IReadOnlyList<object>)[x.Network, x.Init, x.Twin, x.Explicit.Epochs[^1].TrainLoss, Pct(x.FinalValidAccuracy),
                Pct(x.TestAccuracy), Pct(x.TwinTestAccuracy), x.Float32.MaxAbs, x.Float32.MaxRel, x.Float32Early.MaxRel, x.Control.MaxAbs, x.Control.MaxRel,
                $"{x.Seconds:F1} / {x.TwinSeconds:F1}"]));
        foreach (var x in r.Runs) report.Paragraph(TwinSentence(x));
        foreach (var x in r.Runs)
        {
            report.Paragraph($"**{x.Network}, {x.Init}** — per epoch (batch loss = mean of the epoch's mini-batch losses, each before its update; train loss = the whole training subset after the epoch):");
            report.Table(["epoch", "batch loss (explicit)", "batch loss (twin)", "train loss", "validation accuracy (explicit)", "validation accuracy (twin)"],
                x.Explicit.Epochs.Select((e, i) => (IReadOnlyList<object>)[e.Epoch, e.MeanBatchLoss, TwinEpochMean(x, i), e.TrainLoss, Pct(e.ValidAccuracy), Pct(x.TwinValidAccuracy[i])]));
        }
        Plot(report, r);
        report.Figure("loss.png", "Mean mini-batch loss per epoch of each network, explicit backprop and its autograd twin (the two should lie on top of each other)");
        report.Figure("validation.png", "Validation accuracy after each epoch, explicit and autograd twin");

        report.Heading("Discussion");
        report.Paragraph(IftSentence(ift));
        report.Paragraph(TemplateInitSentence(normal, alt));
        if (r.TrainCount < 50_000)
            report.Paragraph($"These runs use {r.TrainCount:N0} of the 50,000 training images and {s.Epochs} epochs: the accuracies are below what the full settings reach.");

        foreach (var x in r.Runs)
        {
            report.Metric($"test_accuracy_{x.Key}", x.TestAccuracy);
            report.Metric($"twin_test_accuracy_{x.Key}", x.TwinTestAccuracy);
            report.Metric($"max_loss_diff_{x.Key}", x.MaxLossDifference);
            report.Metric($"max_rel_loss_diff_{x.Key}", x.MaxRelativeLossDifference);
            report.Metric($"max_rel_loss_diff_early_{x.Key}", x.Float32Early.MaxRel);
            report.Metric($"control_max_loss_diff_{x.Key}", x.Control.MaxAbs);
            report.Metric($"control_max_rel_loss_diff_{x.Key}", x.Control.MaxRel);
            report.Metric($"valid_accuracy_{x.Key}", x.FinalValidAccuracy);
        }
        report.Metric("grad_max_rel_explicit_vs_autograd", r.GradCheck.Max(g => g.ExplicitVsAutograd.MaxRelError));
        report.Metric("grad_max_abs_explicit_vs_autograd", r.GradCheck.Max(g => g.ExplicitVsAutograd.MaxAbsError));
        report.Metric("grad_max_rel_explicit_vs_numeric", r.GradCheck.Max(g => g.ExplicitVsNumeric.MaxRelError));
        report.Metric("grad_max_abs_explicit_vs_numeric", r.GradCheck.Max(g => g.ExplicitVsNumeric.MaxAbsError));
    }

    private static double TwinEpochMean(BackpropRun x, int epoch)
    {
        int perEpoch = x.TwinStepLosses.Count / x.Explicit.Epochs.Count;
        return x.TwinStepLosses.Skip(epoch * perEpoch).Take(perEpoch).Average();
    }

    private static void Plot(LabReport report, BackpropByHandResult r)
    {
        var loss = new LineChart { Title = "Mini-batch loss per epoch", XLabel = "epoch", YLabel = "mean batch loss", LogY = true, IntegerXTicks = true };
        var valid = new LineChart { Title = "Validation accuracy", XLabel = "epoch", YLabel = "accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var x in r.Runs)
        {
            string name = x.Key.Replace('_', ' ');
            loss.Add($"{name} explicit", x.Explicit.Epochs.Select(e => e.MeanBatchLoss).ToList())
                .Add($"{name} autograd", x.Explicit.Epochs.Select((_, i) => TwinEpochMean(x, i)).ToList());
            valid.Add($"{name} explicit", x.Explicit.Epochs.Select(e => e.ValidAccuracy).ToList()).Add($"{name} autograd", x.TwinValidAccuracy);
        }
        loss.SavePng(report.PathOf("loss.png"));
        valid.SavePng(report.PathOf("validation.png"));
    }

    // ------------------------------------------------------------------ rules: the sentences the numbers allow

    /// <summary>Explicit vs autograd: "agree to float64 rounding" when every tensor's relative error ≤ 1e-10; explicit
    /// vs finite differences: "agree within the differences' own error" when ≤ 1e-6; where the finite differences
    /// disagree with both explicit and autograd gradients (which agree), the finite differences are blamed.</summary>
    public static string GradSentence(IReadOnlyList<BackpropGradRow> rows)
    {
        if (rows.Count == 0) return "No gradient was checked.";
        var worstAuto = rows.MaxBy(g => g.ExplicitVsAutograd.MaxRelError)!;
        var worstFd = rows.MaxBy(g => g.ExplicitVsNumeric.MaxRelError)!;
        double a = worstAuto.ExplicitVsAutograd.MaxRelError, f = worstFd.ExplicitVsNumeric.MaxRelError;
        string where(BackpropGradRow g) => $"{g.Network} {g.Tensor}";
        string first = a <= 1e-10
            ? $"The explicit gradients agree with autograd to float64 rounding in every tensor (largest relative error {E(a)}, {where(worstAuto)})."
            : a <= 1e-6
                ? $"The explicit gradients agree with autograd to {E(a)} ({where(worstAuto)}): close, but not to rounding."
                : $"The explicit gradients DISAGREE with autograd: relative error {E(a)} in {where(worstAuto)}.";
        string second = f <= 1e-6
            ? $"Against central differences the largest relative error is {E(f)} ({where(worstFd)}), within the differences' own error (O(ε²) truncation plus round-off of order u·|L|/ε)."
            : worstFd.AutogradVsNumeric.MaxRelError > 1e-6 && worstFd.ExplicitVsAutograd.MaxRelError <= 1e-10
                ? $"Central differences differ from both the explicit and the autograd gradient in {where(worstFd)} (relative error {E(f)}) while those two agree: the finite differences are the ones off there — a perturbation of ±ε that crosses a ReLU kink."
                : $"The explicit gradient differs from central differences by a relative {E(f)} in {where(worstFd)}: a backward error.";
        return first + " " + second;
    }

    /// <summary>"coincide to float32 rounding" when the float32 batch losses stay within 1e-4 relative over every step;
    /// otherwise, when the float64 control agrees to 1e-9 relative, the drift is put down to float32 rounding amplified
    /// by training (with the step where it first exceeds 0.1 %); when only the control's first 10 steps agree (≤ 1e-12), the
    /// run amplifies rounding even from float64; otherwise the two trainings "are not the same computation".</summary>
    public static string TwinSentence(BackpropRun x)
    {
        var f = x.Float32;
        var early = x.Float32Early;
        var c = x.Control;
        string who = $"{x.Network} ({x.Init})";
        if (double.IsNaN(f.MaxRel) || double.IsNaN(c.MaxRel)) return $"{who}: a loss went non-finite, so the explicit and autograd curves cannot be compared.";
        string control = $"in float64 the first {c.Steps:N0} steps agree to {E(c.MaxAbs)} ({E(c.MaxRel)} relative)";
        if (f.MaxRel <= 1e-4)
            return $"{who}: the explicit and autograd training curves coincide to float32 rounding — over {f.Steps:N0} steps the batch losses differ by at most {E(f.MaxAbs)} ({E(f.MaxRel)} relative); {control}.";
        if (c.MaxRel <= 1e-9)
            return $"{who}: over the first {early.Steps:N0} steps the float32 batch losses differ by at most {E(early.MaxRel)} relative, " +
                   (f.FirstStepAbove1e3 > 0 ? $"and from step {f.FirstStepAbove1e3:N0} of {f.Steps:N0} on by more than 0.1 % " : "and later by more ") +
                   $"(at most {E(f.MaxAbs)}, {E(f.MaxRel)} relative). But {control}: explicit backprop and autograd compute the same updates, " +
                   "and the float32 curves drift apart because their rounding differences are amplified by training.";
        if (c.MaxRelFirst10 <= 1e-12)
            return $"{who}: the float32 batch losses drift apart (at most {E(f.MaxAbs)}, {E(f.MaxRel)} relative; beyond 0.1 % from step {f.FirstStepAbove1e3:N0} of {f.Steps:N0}), " +
                   $"and even in float64 they reach {E(c.MaxRel)} relative within {c.Steps:N0} steps. But in float64 the first 10 steps agree to {E(c.MaxRelFirst10)} " +
                   "relative: both compute the same updates, and this run amplifies rounding differences so fast that they grow visible even from float64's.";
        return $"{who}: the explicit and autograd batch losses differ by up to {E(f.MaxAbs)} ({E(f.MaxRel)} relative) and even in float64 the first " +
               $"10 steps differ by {E(c.MaxRelFirst10)} relative: the two trainings are not the same computation.";
    }

    /// <summary>IFT6135's hyper-parameter target: validation accuracy ≥ 97 %.</summary>
    public static string IftSentence(BackpropRun ift) =>
        $"IFT6135: {Says.Bar("the final validation accuracy", 100 * ift.FinalValidAccuracy, 97, " %")} set by the assignment's hyper-parameter search; " +
        $"the test accuracy, scored once, is {Pct(ift.TestAccuracy)}. Its training loss {Says.Trend(ift.Explicit.Epochs.Select(e => e.TrainLoss).ToList())} " +
        $"over the epochs ({ift.Explicit.Epochs[0].TrainLoss:F4} → {ift.Explicit.Epochs[^1].TrainLoss:F4}).";

    /// <summary>The standard-normal init "fails" when its loss is not finite or its test error misses the template's top
    /// band (error &lt; 5 %); the two inits are then compared (tie within half a point), and the first layer's
    /// pre-activation spread is quoted as the measured reason when it exceeds 5 and the units saturate (sigmoid, tanh:
    /// <see cref="BackpropRun.Network"/> ends with the activation's name).</summary>
    public static string TemplateInitSentence(BackpropRun normal, BackpropRun alt)
    {
        double err = 1 - normal.TestAccuracy;
        bool finite = double.IsFinite(normal.Explicit.StepLosses.Count > 0 ? normal.Explicit.StepLosses[^1] : double.NaN);
        bool fails = !finite || err >= 0.05;
        var text = new List<string>
        {
            fails
                ? $"24789: with the template's standard-normal weights the network {(finite ? $"misses the template's top band (test error < 5 %): its test error is {Pct(err)}" : "diverges (non-finite loss)")}, so it was also trained from {alt.Init} weights."
                : $"24789: with the template's standard-normal weights the network reaches the template's top band (test error < 5 %): test error {Pct(err)}.",
            $"{Says.Compare($"{alt.Init} init", 100 * alt.TestAccuracy, "standard-normal init", 100 * normal.TestAccuracy, 0.5, " %")} (test accuracy).",
        };
        if (normal.InitialPreActivationStd > 5 && !normal.Network.EndsWith("Relu", StringComparison.Ordinal))
            text.Add($"At initialisation the first layer's pre-activations have a standard deviation of {normal.InitialPreActivationStd:F1} with N(0, 1) weights " +
                     $"against {alt.InitialPreActivationStd:F2} with {alt.Init}: with N(0, 1) most sigmoid or tanh units start saturated, where their derivative is nearly 0.");
        return string.Join(" ", text);
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : $"{100 * v:F2} %";

    private static string E(double v) => double.IsNaN(v) ? "NaN" : v == 0 ? "0" : v.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);
}
