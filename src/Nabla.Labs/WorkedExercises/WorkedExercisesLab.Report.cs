using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class WorkedExercisesLab
{
    /// <summary>Library and hand arithmetic must agree to this (float64, a handful of operations per answer).</summary>
    public const double Tolerance = 1e-12;

    private static string F(double v) => LabReport.Format(v);

    private static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>What each exercise asks and the conventions used, keyed by exercise id.</summary>
    private static readonly Dictionary<string, string> Intro = new()
    {
        ["Workbook Q1c"] = "Softmax(x)_i = e^{x_i}/Σ_j e^{x_j} for x = (1, 0, 2). Library: `Softmax(0)` on a float64 tensor.",
        ["Workbook Q2"] = "One pass of SGD over the three samples in order (bias, x₁, x₂; y = 2, 4, 8), L = (y − ŷ)², θ⁽⁰⁾ = (0.5, 1.5, 0.5), α = 0.001; then a second pass, and a first pass with α = 0.1 instead. Library: θ a float64 leaf, the per-sample loss from tensor ops, `Backward`, `Sgd.Step` (lr = α). Note the data: x₂ = 2x₁ and y = 2x₁, so many θ fit exactly.",
        ["Workbook Q3c"] = "Two ReLU hidden units, x = (−1, 1), W = [[1, 2, 1], [1, 1, 2]], v = (1, −1, 2). The seed does not say which column is the bias; its Q2 table puts the bias first, so the first column of W and the first entry of v are read as biases (\"bias first\"); \"bias last\" is shown too. Regression output ŷ = vᵀ[1; h]; binary classification output σ(ŷ). Library: `Linear` + `Relu` (+ `Sigmoid`).",
        ["Workbook Q5a"] = "The seed's network is in a figure that its text does not contain. Used instead (stated here): 2 inputs, 2 hidden ReLU units, 1 ReLU output, no biases, W = [[0.1, 0.1], [0.05, 0.1]] (row j = hidden unit j), v = (0.2, 0.3); x = (2, 4), y = 2.5 and gradient descent with learning rate 0.1 as the seed says; L = (y − ŷ)² as in the workbook's Q2. Library: autograd, then `Sgd.Step`.",
        ["Workbook Q6a/b"] = "The network and the penalty are in a figure the seed text lacks. Used instead: 2 inputs, 2 hidden ReLU units, a linear output, no biases, W = [[0.5, −0.5], [−0.25, 0.75]], v = (0.5, 1); x = (−1, 1), y = 2, L = (y − ŷ)²; b) adds λ(Σ|W| + Σ|v|) (λ is the setting `l1-lambda`), whose subgradient is λ·sign(w). Library: autograd with `Tensor.L1Penalty`.",
        ["Workbook Q8b"] = "Layer k computes ReLU(Wᵏᵀa + bᵏ) with the printed Wᵏᵀ (rows = units); output ŷ = vᵀh³ + b⁴ (regression, linear). μ⁰ masks the input, μ¹ the first hidden layer, μ² the second. The textbook multiplies by the mask only; the library's `Dropout(mask, p)` multiplies by mask/(1 − p) (inverted dropout), so p = 0 reproduces the textbook, and the setting `dropout-p` shows the rescaled version.",
        ["Workbook Q10b/c"] = "Linear model ŷ = xᵀw (bias column included), L = (y − ŷ)² per instance, instances in order, η = 0.1, w⁽⁰⁾ = (1, 1, 1). b) plain SGD (`Sgd`); c) AdaGrad with the library's `AdaGrad`: s ← s + g², w ← w − η·g/(√s + ε) with ε outside the square root (PyTorch's placement; ε is the setting `ada-grad-eps`), and again with `EpsPlacement.InsideSqrt` (g/√(s + ε), the form some lecture notes use); with ε = 1e−10 and these gradients the two differ far below the printed digits. \"Errors\" are y − ŷ for each instance with the weights at the end of the epoch.",
        ["Workbook Q12a–e"] = "Same-size outputs (zero padding 1 for the 3-wide kernels). The seed says \"convolution\": in signal processing that flips the kernel, while CNN layers (`Conv2d`, PyTorch) cross-correlate without flipping; both are computed. 1-d: `Tensor.Convolve` / `Tensor.Correlate` with `SignalMode.Same`; 2-d: `Conv2d` with padding 1 (the kernel passed through `Flip(2, 3)` for the convolution). e) 2×2 max pooling without padding: the seed gives no stride; with stride 2 (non-overlapping, `MaxPool2d(2)`) a 3×3 map keeps only its top-left window, so stride 1 is shown as well.",
        ["Workbook Q13"] = "K⁽¹⁾ maps the 1-channel 3×3 image to 2 channels (2×2 kernels K⁽¹⁾_1,1 and K⁽¹⁾_1,2), ReLU; K⁽²⁾ maps those 2 channels to 1 (K⁽²⁾_1,1 for channel 1, K⁽²⁾_2,1 for channel 2, summed), ReLU; P(y = 1) = σ(Z⁽²⁾_1,1 + θ), θ = −2. No padding, stride 1. Both conventions: cross-correlation (what a CNN layer computes) and convolution (kernels flipped). Library: `Conv2d`, `Relu`, `Sigmoid`.",
        ["Workbook Q14"] = "Logistic loss L = −[y log P + (1 − y) log(1 − P)] with y = 0, back-propagated by the library's autograd and by hand to θ and to the top-left entry of each kernel (the bold-faced 2, 1, 1, 2 of the seed), in both conventions.",
        ["Workbook Q15"] = "a⁽ᵗ⁾ = b + W h⁽ᵗ⁻¹⁾ + U x⁽ᵗ⁾, h⁽ᵗ⁾ = ReLU(a⁽ᵗ⁾), ŷ⁽ᵗ⁾ = σ(V h⁽ᵗ⁾ + c) (Goodfellow's notation, the sigmoid layer at the end), h⁽⁰⁾ = 0, x⁽ᵗ⁾ = (novelty, difficulty). Library: `RnnCell` with ReLU (W_ih = U, W_hh = W, bias b), then `Linear` and `Sigmoid`.",
        ["Workbook Q17"] = "The Goodfellow LSTM cell (Deep Learning, eq. 10.40–10.44) the workbook's notation follows: forget gate f = σ(b^f + U^f x + W^f h), external input gate g = σ(b^g + U^g x + W^g h), output gate q = σ(b^q + U^q x + W^q h), cell input σ(b + Ux + Wh) (a sigmoid, not tanh), s⁽ᵗ⁾ = f s⁽ᵗ⁻¹⁾ + g·σ(b + Ux + Wh), and the workbook's h⁽ᵗ⁾ = ReLU(s⁽ᵗ⁾)·q⁽ᵗ⁾, output σ(5h − 1). The library computes it gate by gate with tensor ops and with its fused `LstmCell` (cell activation ReLU, candidate activation Sigmoid); the fused cell with PyTorch's tanh cell input is run beside them only to show the difference.",
        ["Workbook Q20b/c"] = "b) Why the discriminator ascends, and c) why G and D are not updated at the same time, measured on the Q21 networks below (G(z) = β₂·tanh(β₁z), D(x) = σ(θ₂·σ(θ₁x)), z = 0.5, real sample x = 1.5, start β = (1, 2), θ = (0.5, −1)). b) V = log D(x) + log(1 − D(G(z))) at θ, after D's step θ + λ∂V/∂θ (λ = 0.1) and after the step of the other sign. c) 300 steps of two schedules from the same start, G non-saturating (ascent on log D(G(z))): alternating (D steps, then G steps against the updated D: Goodfellow et al.'s Algorithm 1 with k = 1) and simultaneous (both gradients at the same (θ, β), applied together), at Q21's λ = 0.1 and at λ = 1. The data is the single point x, so |G(z) − x| is the distance between G's distribution and the data's; at the equilibrium G(z) = x and D = ½ everywhere. Library: autograd and `Sgd` (ascents as descents on the negated objective); by hand: Q21's closed-form gradients iterated in plain doubles (`GanSchedules.cs`).",
        ["Workbook Q21"] = "GAN back-propagation: the update equation of every generator weight β and discriminator weight θ, given a learning rate λ. The seed's two networks are in a figure its text lacks; used instead (stated here): generator G(z) = β₂·tanh(β₁z), discriminator D(x) = σ(θ₂·σ(θ₁x)), z = 0.5, real sample x = 1.5, β = (1, 2), θ = (0.5, −1), λ = 0.1. With a = σ(θ₁x), u = D(x), x̃ = G(z), ã = σ(θ₁x̃), ũ = D(x̃), t = tanh(β₁z): the discriminator ascends V = log D(x) + log(1 − D(G(z))) with x̃ held fixed, θ₂ ← θ₂ + λ[(1 − u)a − ũã], θ₁ ← θ₁ + λ[(1 − u)θ₂a(1 − a)x − ũθ₂ã(1 − ã)x̃]; the generator then descends log(1 − D(G(z))) with θ fixed, β₂ ← β₂ + λ·ũθ₂ã(1 − ã)θ₁·t, β₁ ← β₁ + λ·ũθ₂ã(1 − ã)θ₁·β₂(1 − t²)z (ũ, ã recomputed with the updated θ), or, in the non-saturating form used in practice, ascends log D(G(z)): the factor ũ becomes −(1 − ũ). How they are used (Goodfellow et al. 2014, Algorithm 1): alternate k discriminator steps on a minibatch of real and generated samples (G fixed) with one generator step on fresh noise (D fixed); the two are not updated from one joint gradient, because each player's step assumes the other is fixed. Library: autograd on float64 tensors and `Sgd` (the ascent as descent on −V).",
        ["IFT6135 Q6"] = "[1, 2, 3, 4] * [1, 0, 2] with kernel flipping: full (every overlap, length n + m − 1), same (NumPy's centring: the centre of full of length max(n, m)) and valid (complete overlaps only). Library: `Tensor.Convolve` with `SignalMode.Full/Same/Valid`; `Tensor.Correlate` (no flip) for contrast.",
        ["IFT6135 Q7.1–7.2"] = "256×256×3 → 64 kernels 8×8, stride 2, no padding → 5×5 non-overlapping max pooling → 128 kernels 4×4, stride 1, padding 1. Library: the three layers run on a zero image (`Conv2d`, `MaxPool2d`), and the last layer's weight count.",
        ["IFT6135 Q8"] = "Input 3×64×64. The seed counts dilation from 0 (d = 0: none, d = 6: six-pixel gaps), the library from 1 (dilation 1: none), so the seed's d is the library's d + 1; the rows marked \"taken literally\" pass the seed's number unchanged, to show what the off-by-one does. Library: `ConvArithmetic.Solve` (one unknown at a time; kernels up to 16 and paddings up to 20 listed); by hand: o = ⌊(i + 2p − d_lib(k − 1) − 1)/s⌋ + 1 by brute force. Output channels are the number of kernels (64, then 128).",
        ["24789 T-P4(a)–(c)"] = "Fig. 5 (the feature map and the two filters) is not in the seed text. Used instead (stated here): F = [[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], Filter1 = [[1, 0, −1], [2, 0, −2], [1, 0, −1]] (a Sobel filter, changed by a flip), Filter2 = [[1, 1], [1, 1]]. a) padding for a same-size output at stride 1, then F′ (cross-correlation as a CNN layer computes it, and convolution); b) whether Filter2 with p = 1 can keep the 4×4 size; c) 2×2 average pooling, stride 2, of F′. Library: `ConvArithmetic.Solve`, `Conv2d`, `AvgPool2d`. (P4d is in the theory-checks lab.)",
    };

    public override void Report(LabReport report, WorkedExercisesSettings s, WorkedExercisesResult r)
    {
        int answers = r.Exercises.Sum(e => e.Answers.Count);
        double worst = r.Exercises.Max(e => e.MaxDifference);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Every hand-computation exercise of the seeds, with the seed's own numbers: the library column comes from Nabla's ops
            (float64 tensors; autograd for backward passes; its Sgd and AdaGrad for updates), the by-hand column from plain double
            arithmetic in this lab, whose steps are listed under each table. {r.Exercises.Count} exercises, {answers} answers; the
            largest |library − by hand| over all of them is {F(worst)}. Where a seed's values sit in a figure its text lacks
            (Workbook Q5, Q6, Q21; 24789 P4's Fig. 5) the values used are stated. Conventions that differ between seed and library are
            computed both ways: kernel flipping (convolution) vs cross-correlation (Workbook Q12, Q13/Q14; 24789 P4), dilation
            counted from 0 vs 1 (IFT6135 Q8), dropout's 1/(1 − p) rescaling (Workbook Q8b), where the bias sits (Workbook Q3c).
            """));
        foreach (var e in r.Exercises)
        {
            report.Heading(e.Id);
            if (Intro.TryGetValue(e.Id, out var intro)) report.Paragraph(intro);
            report.Table(["quantity", "library", "by hand", Esc("|difference|")],
                e.Answers.Select(a => (IReadOnlyList<object>)[Esc(a.Name) + (a.Note.Length > 0 ? $" ({a.Note})" : ""),
                    Worked.Show(a.Library, a.Shape), Worked.Show(a.ByHand, a.Shape), a.MaxDifference + 0.0]));
            var sentences = new List<string> { WorkedExercisesSays.Agreement(e, Tolerance) };
            sentences.AddRange(Interpret(e, s));
            report.Paragraph(string.Join(" ", sentences));
            Figures(report, e);
            if (e.Steps.Count > 0)
                report.Table(["step", "arithmetic", "value"], e.Steps.Select(st => (IReadOnlyList<object>)[Esc(st.What), Esc(st.Arithmetic), Worked.Num(st.Value)]));
            report.Metric(Key(e.Id) + "_max_difference", e.MaxDifference);
        }
        Metrics(report, r);
    }

    private static string Key(string id) =>
        System.Text.RegularExpressions.Regex.Replace(new string(id.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()), "_+", "_").Trim('_');

    /// <summary>The exercise-specific, rule-chosen sentences.</summary>
    private static IEnumerable<string> Interpret(Exercise e, WorkedExercisesSettings s)
    {
        switch (e.Id)
        {
            case "Workbook Q2":
                double l0 = e["total loss at θ⁽⁰⁾"].Library[0];
                yield return WorkedExercisesSays.LossChange("α = 0.001, one pass", l0, e["α = 0.001: total loss after pass 1"].Library[0]) + ";";
                yield return WorkedExercisesSays.LossChange("a second pass", e["α = 0.001: total loss after pass 1"].Library[0], e["α = 0.001: total loss after pass 2"].Library[0]) + ";";
                yield return WorkedExercisesSays.LossChange("α = 0.1, one pass", l0, e["α = 0.1: total loss after pass 1"].Library[0]) + ".";
                break;
            case "Workbook Q5a":
                yield return WorkedExercisesSays.LossChange("One gradient step", e["L = (y − ŷ)²"].Library[0], e["L after one step"].Library[0]) + ".";
                break;
            case "Workbook Q6a/b":
                yield return WorkedExercisesSays.L1Effect(e["a) without regularisation: ∂/∂W"], e["b) with L1: ∂/∂W"], s.L1Lambda);
                break;
            case "Workbook Q8b":
                for (int m = 1; m <= 2; m++)
                {
                    var both = e.Answers.Where(a => a.Name.StartsWith($"masks {m},", StringComparison.Ordinal)).ToList();
                    yield return $"Masks {m}: " + WorkedExercisesSays.DropoutScaling(both[0].Library[0], both[1].Library[0], s.DropoutP);
                }
                break;
            case "Workbook Q10b/c":
            {
                var sgd = e.Answers.Where(a => a.Name.StartsWith("b) SGD", StringComparison.Ordinal) && a.Name.EndsWith("total loss", StringComparison.Ordinal)).Select(a => a.Library[0]).ToList();
                var ada = e.Answers.Where(a => a.Name.StartsWith("c) AdaGrad, epoch", StringComparison.Ordinal) && a.Name.EndsWith("total loss", StringComparison.Ordinal)).Select(a => a.Library[0]).ToList();
                yield return "Total loss per epoch, SGD: " + string.Join(", ", sgd.Select(F)) + "; AdaGrad: " + string.Join(", ", ada.Select(F)) + ".";
                yield return WorkedExercisesSays.AdaGradHelps(sgd, ada, 2);
                break;
            }
            case "Workbook Q12a–e":
                yield return WorkedExercisesSays.FlipMatters("a) K¹", e["a) M¹ ⋆ K¹ (cross-correlation, same)"], e["a) M¹ * K¹ (convolution, same)"]);
                foreach (var (id, name) in new[] { ("b", "M² * K²"), ("c", "M³ * K³"), ("d", "M⁴ * K⁴") })
                    yield return WorkedExercisesSays.FlipMatters($"{id}) {name}", e[$"{id}) {name} (cross-correlation, as Conv2d, same)"], e[$"{id}) {name} (convolution, kernel flipped, same)"]);
                break;
            case "Workbook Q20b/c":
            {
                yield return GanSchedules.AscentSays(e["b) V at θ"].Library[0], e["b) V after D's ascent step θ + λ∂V/∂θ"].Library[0],
                    e["b) V after a descent step θ − λ∂V/∂θ"].Library[0], GanExercises.Lambda);
                foreach (double l in GanSchedules.Lambdas)
                {
                    GanSchedules.Outcome At(string schedule)
                    {
                        string tag = $"c) λ = {Hand.N(l)}, {schedule}";
                        var d = e[$"{tag}: D(x), D(G(z)) at the end"].Library;
                        return new(e[$"{tag}: |G(z) − x| after {GanSchedules.Steps} steps"].Library[0], e[$"{tag}: swing of G(z), last {GanSchedules.Window} steps"].Library[0], d[0], d[1]);
                    }
                    yield return GanSchedules.ScheduleSays(l, At("alternating"), At("simultaneous"));
                }
                yield return GanSchedules.Mechanism;
                break;
            }
            case "Workbook Q13":
                foreach (var a in e.Answers.Where(a => a.Name.EndsWith("P(y = 1)", StringComparison.Ordinal)))
                    yield return WorkedExercisesSays.PredictedClass(a.Name[..a.Name.IndexOf(':')], a.Library[0]);
                break;
            case "Workbook Q15":
                yield return WorkedExercisesSays.RnnOutputs(e["ŷ⁽ᵗ⁾ = σ(Vh⁽ᵗ⁾ + c), t = 1..5"].Library, RecurrentExercises.Q15X);
                break;
            case "Workbook Q17":
            {
                var o = e["output σ(5h − 1), t = 1..3"].Library;
                yield return WorkedExercisesSays.SameOutput(o[0], o[2], RecurrentExercises.Q17X[0], RecurrentExercises.Q17X[2]);
                var fused = e.Answers.Single(a => a.Note.Length > 0).Library;   // the tanh-candidate contrast
                double d = fused.Zip(o).Max(p => Math.Abs(p.First - p.Second));
                yield return d > 1e-9
                    ? $"The library's fused LstmCell with a tanh cell input gives other outputs (by up to {F(d)}): it is not the workbook's cell, whose cell input is a sigmoid."
                    : "The library's fused LstmCell with a tanh cell input happens to give the same outputs here.";
                break;
            }
            case "IFT6135 Q8":
            {
                yield return WorkedExercisesSays.DilationReading(e["1(b) d = 6 read as library d = 7 (seed convention), s = 2, k = 3: p"], e["1(b) d = 6 read as library d = 6 (d taken literally), s = 2, k = 3: p"]);
                yield return WorkedExercisesSays.DilationReading(e["3(b) d = 1 (library 2, seed convention), p = 2, s = 1: kernel k"], e["3(b) d = 1 taken literally (library 1), p = 2, s = 1: kernel k"]);
                break;
            }
            case "24789 T-P4(a)–(c)":
                yield return WorkedExercisesSays.FlipMatters("a) F′", e["a) F′ (cross-correlation, as Conv2d)"], e["a) F′ (convolution, Filter1 flipped)"]);
                yield return WorkedExercisesSays.SameSizePossible((int)e["b) strides giving a 4×4 output (count)"].Library[0],
                    Enumerable.Range(1, 4).Select(st => e[$"b) output size at stride {st}"].Library[0]).ToList());
                break;
        }
    }

    private static void Figures(LabReport report, Exercise e)
    {
        if (e.Id == "Workbook Q3c")
        {
            // Workbook Q3a: the sketch of the network, with the Q3c weights on its edges (bias first, as read above).
            var v = WorkbookBasics.Q3V;
            NetworkDiagram.SavePng(report.PathOf("q3_network.png"), [2, 2, 1], new NetworkDiagramOptions
            {
                Title = "Workbook Q3a: the 2-2-1 network with its biases",
                Biases = true,
                Weights = [WorkbookBasics.Q3W, new double[,] { { v[0], v[1], v[2] } }],
                UnitLabels = [["x₁", "x₂"], ["h₁", "h₂"], ["out"]],
                LayerLabels = ["input x\n(weights W)", "hidden h = ReLU(W·[1; x])\n(weights v)", "output = v·[1; h]\n(σ of it for a class)"],   // the embedded font has no ŷ or ᵀ
            });
            report.Figure("q3_network.png", "Workbook Q3a: the network sketched — inputs x₁, x₂ and a bias unit 1 feed the two hidden ReLU units h₁, h₂ through W; h₁, h₂ and a second bias unit feed the output ŷ through v. Each edge is coloured by the sign of its Q3c weight (blue positive, red negative; bias first) and drawn thicker the larger |w| is.");
        }
        else if (e.Id == "Workbook Q20b/c")
        {
            var chart = new LineChart { Title = "Workbook Q20c: G(z) per step, alternating vs simultaneous", XLabel = "step", YLabel = "G(z)", LegendAlignment = ScottPlot.Alignment.UpperRight };
            foreach (double l in GanSchedules.Lambdas)
                foreach (bool simultaneous in new[] { false, true })
                    chart.Add($"λ = {Hand.N(l)}, {(simultaneous ? "simultaneous" : "alternating")}", GanSchedules.TrajectoryByHand(l, simultaneous));
            chart.Add("data x", Enumerable.Repeat(GanExercises.X, GanSchedules.Steps).ToArray());
            chart.SavePng(report.PathOf("q20_schedules.png"));
            report.Figure("q20_schedules.png", "Workbook Q20c: the generator's output G(z) after each step of the two schedules (plain doubles; the table's library column agrees), with the real sample x.");
        }
        else if (e.Id == "Workbook Q15")
        {
            var y = e["ŷ⁽ᵗ⁾ = σ(Vh⁽ᵗ⁾ + c), t = 1..5"].Library;
            var xs = RecurrentExercises.Q15X;
            new LineChart { Title = "Workbook Q15: RNN output per step", XLabel = "t", YLabel = "value", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.UpperLeft }
                .Add("ŷ = P(backprop question)", y).Add("novelty x₁", xs.Select(v => v[0]).ToList()).Add("difficulty x₂", xs.Select(v => v[1]).ToList())
                .SavePng(report.PathOf("q15_rnn.png"));
            report.Figure("q15_rnn.png", "Workbook Q15: the output ŷ⁽ᵗ⁾ (library) per step, with the two inputs.");
        }
        else if (e.Id == "Workbook Q17")
        {
            var chart = new LineChart { Title = "Workbook Q17: Goodfellow LSTM per step", XLabel = "t", YLabel = "value", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.UpperLeft };
            foreach (var name in new[] { "s (cell)", "h = ReLU(s)·q", "output σ(5h − 1)", "f (forget)", "g (input gate)", "q (output gate)" })
                chart.Add(name, e[$"{name}, t = 1..3"].Library);
            chart.Add("x", RecurrentExercises.Q17X);
            chart.SavePng(report.PathOf("q17_lstm.png"));
            report.Figure("q17_lstm.png", "Workbook Q17: cell state, hidden state, output and gates per step (library).");
        }
    }

    private static void Metrics(LabReport report, WorkedExercisesResult r)
    {
        report.Metric("max_difference_all", r.Exercises.Max(e => e.MaxDifference));
        report.Metric("workbook_q1c_softmax_3", r["Workbook Q1c"]["Softmax((1, 0, 2))"].Library[2]);
        report.Metric("workbook_q2_total_loss_after_pass_1", r["Workbook Q2"]["α = 0.001: total loss after pass 1"].Library[0]);
        report.Metric("workbook_q3c_yhat_bias_first", r["Workbook Q3c"]["bias first: ŷ (regression)"].Library[0]);
        var q20 = r["Workbook Q20b/c"];
        foreach (double l in GanSchedules.Lambdas)
            foreach (var schedule in new[] { "alternating", "simultaneous" })
                report.Metric($"workbook_q20c_distance_{schedule}_lambda_{l.ToString(CultureInfo.InvariantCulture).Replace('.', '_')}",
                    q20[$"c) λ = {Hand.N(l)}, {schedule}: |G(z) − x| after {GanSchedules.Steps} steps"].Library[0]);
        report.Metric("workbook_q13_p_correlation", r["Workbook Q13"]["cross-correlation (as Conv2d): P(y = 1)"].Library[0]);
        report.Metric("workbook_q14_dk11_correlation", r["Workbook Q14"]["cross-correlation (as Conv2d): ∂L/∂K⁽¹⁾_1,1[1,1] (the 2)"].Library[0]);
        var o = r["Workbook Q17"]["output σ(5h − 1), t = 1..3"].Library;
        report.Metric("workbook_q17_output_t1", o[0]);
        report.Metric("workbook_q17_output_t3", o[2]);
        report.Metric("ift6135_q7_output_dimensionality", r["IFT6135 Q7.1–7.2"]["Q7.1 output dimensionality"].Library[0]);
        report.Metric("ift6135_q7_last_layer_parameters", r["IFT6135 Q7.1–7.2"]["Q7.2 parameters of the last layer"].Library[0]);
    }
}
