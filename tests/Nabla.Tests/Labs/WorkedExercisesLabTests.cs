using Nabla.Labs;

namespace Nabla.Tests.Labs;

/// <summary>Each test asserts the library column against values derived by hand in the comments (and, where the
/// arithmetic is long, recomputed here with the test's own formula).</summary>
public class WorkedExercisesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-worked-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static double Sig(double z) => 1 / (1 + Math.Exp(-z));

    private static void Near(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void QuickRunWritesTheReportAndAgreesEverywhere()
    {
        var r = new WorkedExercisesLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "q15_rnn.png", "q17_lstm.png", "q3_network.png", "q20_schedules.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        Assert.True(r.Metrics["max_difference_all"] < 1e-11);
        Assert.Equal(73728, r.Metrics["ift6135_q7_output_dimensionality"]);
        string md = File.ReadAllText(r.ReportPath);
        Assert.DoesNotContain("disagree", md);
        foreach (var id in new[] { "Workbook Q1c", "Workbook Q2", "Workbook Q3c", "Workbook Q5a", "Workbook Q6a/b", "Workbook Q8b", "Workbook Q10b/c",
                     "Workbook Q12a–e", "Workbook Q13", "Workbook Q14", "Workbook Q15", "Workbook Q17", "Workbook Q20b/c", "Workbook Q21", "IFT6135 Q6", "IFT6135 Q7.1–7.2", "IFT6135 Q8", "24789 T-P4(a)–(c)" })
            Assert.Contains("## " + id, md);
    }

    [Fact]
    public void Q3aTheNetworkFigureIsInTheReport()
    {
        var r = new WorkedExercisesLab().Run(new LabContext(_dir, Quick: true));
        // NetworkDiagram layout: 3 columns → 600 px; 3 slots (bias + 2 units) → 16 + 30 (title) + 3·56 + 3 label lines·17 + 16
        // (each layer label has two lines of its own and the unit count).
        var png = File.ReadAllBytes(Path.Combine(_dir, "q3_network.png"));
        Assert.Equal((600, 16 + 30 + 168 + 51 + 16), Nabla.Tests.Plots.PngAssert.IsPng(png));
        using var bmp = Nabla.Tests.Plots.PngAssert.Decode(png);
        // Slots at y = 46 + 28 = 74 (bias), 130, 186; output at 130. v = (1, −1, 2): h₁ → output (v₁ = −1) is red,
        // h₂ → output (v₂ = 2) blue.
        var neg = bmp.GetPixel(400, 130);
        var pos = bmp.GetPixel(400, 158);
        Assert.True(neg.Red > neg.Blue + 80, $"h1 → output should be red (v1 = −1), got {neg}");
        Assert.True(pos.Blue > pos.Red + 80, $"h2 → output should be blue (v2 = 2), got {pos}");
        Assert.Contains("q3_network.png", File.ReadAllText(r.ReportPath));
    }

    [Fact]
    public void Q20AscentSignAndTheTwoSchedules()
    {
        // Reference: PyTorch 1.13 (float64), same networks and start as Q21. b) V at θ, at θ + 0.1∇V, at θ − 0.1∇V.
        // c) 300 steps; simultaneous = both torch.autograd.grad calls at the same (θ, β), then both updates; alternating
        // = the θ update first, then the β gradient of log D(G(z)) with the new θ. Values: |G(z) − x|, the swing
        // max − min of G(z) over the last 100 steps, D(x), D(G(z)).
        var e = GanSchedules.Q20();
        Near([-1.5220410851834978], e["b) V at θ"].Library, 1e-14);
        Near([-1.5146713077390177], e["b) V after D's ascent step θ + λ∂V/∂θ"].Library, 1e-14);
        Near([-1.5296472226322515], e["b) V after a descent step θ − λ∂V/∂θ"].Library, 1e-14);
        var reference = new Dictionary<string, double[]>
        {
            ["c) λ = 0.1, alternating"] = [0.6371446880111682, 0.03432725772666878, 0.4831538821593305, 0.4812281303255145],
            ["c) λ = 0.1, simultaneous"] = [0.6406675371227634, 0.03623444894656913, 0.4826606497649896, 0.4805878859227564],
            ["c) λ = 1, alternating"] = [0.008655861845599189, 0.06830540878189106, 0.5005621774275579, 0.5005592747287807],
            ["c) λ = 1, simultaneous"] = [0.03329350872336634, 0.1718759067277249, 0.5020935263187654, 0.5021458230608011],
        };
        foreach (var (tag, want) in reference)
        {
            Near([want[0]], e[$"{tag}: |G(z) − x| after 300 steps"].Library, 1e-10);
            Near([want[1]], e[$"{tag}: swing of G(z), last 100 steps"].Library, 1e-10);
            Near([want[2], want[3]], e[$"{tag}: D(x), D(G(z)) at the end"].Library, 1e-10);
        }
        Assert.True(e.MaxDifference < 1e-10, $"library vs hand: {e.MaxDifference}");
        string md = File.ReadAllText(new WorkedExercisesLab().Run(new LabContext(_dir, Quick: true)).ReportPath);
        Assert.Contains("The discriminator's step raises V", md);
        Assert.Contains("c) λ = 1: after 300 steps", md);
    }

    [Fact]
    public void Q21GanOneStepOfAlgorithm1()
    {
        // Reference: PyTorch 1.13 (float64) with the same networks, G(z) = β₂·tanh(β₁z), D(x) = σ(θ₂σ(θ₁x)), z = 0.5,
        // x = 1.5, β = (1, 2), θ = (0.5, −1), λ = 0.1: V.backward() with x̃ detached, θ ← θ + λ∇V, then the generator
        // step with the updated θ on log(1 − D(G(z))) (descent) and on −log D(G(z)) (descent = non-saturating ascent).
        var e = GanExercises.Q21();
        Near([0.9242343145200195], e["x̃ = G(z)"].Library, 1e-15);
        Near([-1.5220410851834978], e["V = log D(x) + log(1 − D(x̃))"].Library, 1e-14);
        Near([-0.1399003801072709, 0.23517046813287834], e["∂V/∂θ = (∂/∂θ₁, ∂/∂θ₂)"].Library, 1e-14);
        Near([0.48600996198927293, -0.9764829531867122], e["θ after the discriminator's ascent step"].Library, 1e-14);
        Near([0.9968470653860756, 1.9981473337391176], e["β after the generator step, saturating (descent on log(1 − D(G(z))))"].Library, 1e-14);
        Near([0.9942773974370915, 1.9966373953186605], e["β after the generator step, non-saturating (ascent on log D(G(z)))"].Library, 1e-14);
        Assert.True(e.MaxDifference < 1e-14, $"library vs hand: {e.MaxDifference}");
    }

    [Fact]
    public void Q1cSoftmax()
    {
        // e = (e, 1, e²); Σ = 1 + e + e² = 11.107338; S = (0.2447285, 0.0900306, 0.6652410).
        double z = 1 + Math.E + Math.E * Math.E;
        Near([Math.E / z, 1 / z, Math.E * Math.E / z], WorkbookBasics.SoftmaxQ1c()["Softmax((1, 0, 2))"].Library, 1e-15);
    }

    [Fact]
    public void Q2StochasticGradientDescent()
    {
        var e = WorkbookBasics.SgdQ2();
        // #1: ŷ = 0.5 + 1.5 + 2·0.5 = 3, g = 2(3 − 2)(1, 1, 2) = (2, 2, 4), θ = (0.498, 1.498, 0.496).
        Near([0.498, 1.498, 0.496], e["α = 0.001: θ after sample #1"].Library);
        // #2: ŷ = 0.498 + 2·1.498 + 4·0.496 = 5.478, g = 2·1.478·(1, 2, 4) = (2.956, 5.912, 11.824), θ = (0.495044, 1.492088, 0.484176).
        Near([0.495044, 1.492088, 0.484176], e["α = 0.001: θ after sample #2"].Library);
        // #3: ŷ = 0.495044 + 4·1.492088 + 8·0.484176 = 10.336804, g = 2·2.336804·(1, 4, 8), θ = (0.490370392, 1.473393568, 0.446787136).
        double[] t1 = [0.490370392, 1.473393568, 0.446787136];
        Near(t1, e["α = 0.001: θ after pass 1"].Library);
        // Total loss at θ⁽⁰⁾: (2 − 3)² + (4 − 5.5)² + (8 − 10.5)² = 1 + 2.25 + 6.25 = 9.5; after pass 1 ≈ 6.0687 (recomputed here).
        Assert.Equal(9.5, e["total loss at θ⁽⁰⁾"].Library[0], 1e-12);
        double l1 = Math.Pow(2 - (t1[0] + t1[1] + 2 * t1[2]), 2) + Math.Pow(4 - (t1[0] + 2 * t1[1] + 4 * t1[2]), 2) + Math.Pow(8 - (t1[0] + 4 * t1[1] + 8 * t1[2]), 2);
        Assert.Equal(l1, e["α = 0.001: total loss after pass 1"].Library[0], 1e-12);
        // α = 0.1: θ = (0.3, 1.3, 0.1) → ŷ₂ = 3.3, θ = (0.44, 1.58, 0.66) → ŷ₃ = 12.04, g = 8.08·(1, 4, 8), θ = (−0.368, −1.652, −5.804).
        Near([-0.368, -1.652, -5.804], e["α = 0.1: θ after pass 1"].Library);
    }

    [Fact]
    public void Q3cForwardPass()
    {
        var e = WorkbookBasics.ForwardQ3c();
        // Bias first: h₁ = ReLU(1 + 2·(−1) + 1·1) = 0, h₂ = ReLU(1 − 1 + 2) = 2, ŷ = 1 − 1·0 + 2·2 = 5.
        Near([0, 2], e["bias first: h"].Library);
        Assert.Equal(5, e["bias first: ŷ (regression)"].Library[0]);
        Assert.Equal(Sig(5), e["bias first: σ(ŷ) (classification)"].Library[0], 1e-15);
        // Bias last: h₁ = ReLU(−1 + 2 + 1) = 2, h₂ = ReLU(−1 + 1 + 2) = 2, ŷ = 2 + 1·2 − 1·2 = 2.
        Assert.Equal(2, e["bias last: ŷ (regression)"].Library[0]);
    }

    [Fact]
    public void Q5aBackpropagationStep()
    {
        var e = WorkbookBasics.BackpropQ5a();
        // h = (0.2 + 0.4, 0.1 + 0.4) = (0.6, 0.5), ŷ = 0.12 + 0.15 = 0.27, L = 2.23² = 4.9729, ∂L/∂ŷ = −2·2.23 = −4.46.
        Assert.Equal(4.9729, e["L = (y − ŷ)²"].Library[0], 1e-12);
        // ∂L/∂v = −4.46·h = (−2.676, −2.23); ∂L/∂W_j = −4.46·v_j·x: (−0.892·2, −0.892·4), (−1.338·2, −1.338·4).
        Near([-2.676, -2.23], e["∂L/∂v"].Library);
        Near([-1.784, -3.568, -2.676, -5.352], e["∂L/∂W"].Library);
        Near([0.2784, 0.4568, 0.3176, 0.6352], e["W after one step"].Library);
        Near([0.4676, 0.523], e["v after one step"].Library);
        // h′ = (0.5568 + 1.8272, 0.6352 + 2.5408) = (2.384, 3.176), ŷ′ = 0.4676·2.384 + 0.523·3.176 = 2.7758064.
        Assert.Equal(2.7758064, e["ŷ after one step"].Library[0], 1e-12);
        Assert.Equal(0.2758064 * 0.2758064, e["L after one step"].Library[0], 1e-12);
    }

    [Fact]
    public void Q6GradientsWithAndWithoutL1()
    {
        var e = WorkbookBasics.RegularisationQ6(0.1);
        // z = (0.5·(−1) − 0.5·1, 0.25 + 0.75) = (−1, 1) → h = (0, 1), ŷ = 1, L = 1, ∂L/∂ŷ = −2.
        // ∂L/∂v = −2·h = (0, −2); ∂L/∂W₁ = 0 (dead unit), ∂L/∂W₂ = −2·1·x = (2, −2).
        Near([0, 0, 2, -2], e["a) without regularisation: ∂/∂W"].Library);
        Near([0, -2], e["a) without regularisation: ∂/∂v"].Library);
        // + 0.1·sign: W signs (+, −, −, +), v signs (+, +); loss + 0.1·(0.5 + 0.5 + 0.25 + 0.75 + 0.5 + 1) = 1.35.
        Near([0.1, -0.1, 1.9, -1.9], e["b) with L1: ∂/∂W"].Library);
        Near([0.1, -1.9], e["b) with L1: ∂/∂v"].Library);
        Assert.Equal(1.35, e["b) with L1: loss"].Library[0], 1e-12);
    }

    [Fact]
    public void Q8bDropoutMasks()
    {
        var e = WorkbookBasics.DropoutQ8b(0.5);
        var y = e.Answers.Select(a => a.Library[0]).ToArray();
        // Masks 1: z¹ = (2, 1, 3) → ⊙(1, 0, 1) = (2, 0, 3); z² = (2 − 6 + 2, 4 + 3 − 1) = (−2, 6) → (0, 6) ⊙ (1, 0) = (0, 0);
        // h³ = (1, 1); ŷ = 1 − 1 + 1 = 1.
        Assert.Equal(1, y[0]);
        // With ×2 rescaling: x̃ = (2, 2), z¹ = (5, 1, 4) → (10, 0, 8); z² = (−4, 27) → (0, 27) → ×(1, 0)·2 = (0, 0); ŷ = 1.
        Assert.Equal(1, y[1]);
        // Masks 2: x̃ = (0, 1): z¹ = (1, 2, 1) → ⊙(0, 1, 1) = (0, 2, 1); z² = (4 − 2 + 2, −2 + 1 − 1) = (4, −2) → (4, 0);
        // z³ = (8 + 1, −4 + 1) → (9, 0); ŷ = 9 + 1 = 10.
        Assert.Equal(10, y[2]);
        // ×2: x̃ = (0, 2): z¹ = (3, 3, 0) → (0, 6, 0); z² = (12 + 2, −6 − 1) → (14, 0) → (28, 0); h³ = (57, 0); ŷ = 58.
        Assert.Equal(58, y[3]);
    }

    [Fact]
    public void Q10SgdAndAdaGrad()
    {
        var e = WorkbookOptimizers.Q10(2, 1e-10);
        // Initial loss: 7² + 5² + 6² = 110.
        Assert.Equal(110, e["total loss at w⁽⁰⁾"].Library[0], 1e-12);
        // SGD: #1 ŷ = 4, e = 7, w += 0.1·14·(1, 1, 2) = (2.4, 2.4, 3.8); #2 ŷ = 8.6, w −= 0.12 → (2.28, 2.28, 3.68);
        // #3 ŷ = 11.92, w −= 0.384·(1, 1, 2) → (1.896, 1.896, 2.912); errors (11 − 9.616, 8 − 6.704, 10 − 9.616).
        Near([1.896, 1.896, 2.912], e["b) SGD, epoch 1: w"].Library);
        Near([1.384, 1.296, 0.384], e["b) SGD, epoch 1: errors y − ŷ"].Library);
        Assert.Equal(1.384 * 1.384 + 1.296 * 1.296 + 0.384 * 0.384, e["b) SGD, epoch 1: total loss"].Library[0], 1e-12);
        // AdaGrad (ε outside √): #1 g = −14·(1, 1, 2), s = g², step = 0.1·g/|g| ⇒ w = (1.1, 1.1, 1.1);
        // #2 ŷ = 3.3, g = −9.4·(1, 1, 1), s = (284.36, 284.36, 872.36) ⇒ w = (1.1 + 0.94/√284.36, same, 1.1 + 0.94/√872.36);
        // #3 recomputed below with the same rule.
        double[] w = [1.1 + 0.94 / Math.Sqrt(284.36), 1.1 + 0.94 / Math.Sqrt(284.36), 1.1 + 0.94 / Math.Sqrt(872.36)];
        double[] s = [284.36, 284.36, 872.36];
        double err = 10 - (w[0] + w[1] + 2 * w[2]);
        double[] g = [-2 * err, -2 * err, -4 * err];
        for (int i = 0; i < 3; i++) { s[i] += g[i] * g[i]; w[i] -= 0.1 * g[i] / (Math.Sqrt(s[i]) + 1e-10); }
        Near(w, e["c) AdaGrad, epoch 1: w"].Library, 1e-10);   // ε = 1e−10 shifts each step by ~1e−12
        // ε inside the root: g/√(g² + 1e−10) instead of g/(|g| + 1e−10): the same to ~1e−12 here.
        Near(w, e["c) AdaGrad, ε inside √, epoch 1: w"].Library, 1e-10);
    }

    [Fact]
    public void Q12Convolutions()
    {
        var e = ConvolutionExercises.Q12();
        // a) K¹ is symmetric: out[t] = −M[t−1] + M[t] − M[t+1] with zeros outside:
        //    (0 + 1 − 2, −1 + 2 − 3, −2 + 3 − 4, −3 + 4 + 4, −4 − 4 + 2, 4 − 2 + 1, 2 − 1 − 0, 1 + 0 − 0).
        Near([-1, -2, -3, 5, -6, 3, 1, 1], e["a) M¹ * K¹ (convolution, same)"].Library);
        // b) 3×3 sums of the zero-padded M²: corner (1 − 10 + 5 + 1) = −3, centre = Σ M² = −7.
        var b = e["b) M² * K² (cross-correlation, as Conv2d, same)"].Library;
        Assert.Equal((-3.0, -7.0), (b[0], b[4]));
        // d) correlation: out[i, j] = −M[i−1, j−1] + M[i+1, j+1]; convolution (K⁴ rotated) is its negative.
        Near([1, -1, 0, -1, -15, -5, 0, 5, -1], e["d) M⁴ * K⁴ (cross-correlation, as Conv2d, same)"].Library);
        Near([-1, 1, 0, 1, 15, 5, 0, -5, 1], e["d) M⁴ * K⁴ (convolution, kernel flipped, same)"].Library);
        // e) stride 2 on a 3×3 map keeps the top-left window: max(−3, 2, −12, −7) = 2.
        Assert.Equal([2.0], e["e) maxpool 2×2, stride 2, of b)"].Library);
    }

    [Fact]
    public void Q13AndQ14TheCnnPasses()
    {
        var (f, b) = CnnExercises.Both();
        // Layer 1 (correlation): K⁽¹⁾_1,1 → (−5, 3, −8, −34) → ReLU (0, 3, 0, 0); K⁽¹⁾_1,2 → (1, 5, 1, −9) → (1, 5, 1, 0).
        Near([0, 3, 0, 0, 1, 5, 1, 0], f["cross-correlation (as Conv2d): layer-1 ReLU maps"].Library);
        // Layer 2: (1, −2, −4, 3)·(0, 3, 0, 0) + (2, 1, 1, 2)·(1, 5, 1, 0) = −6 + 8 = 2; P = σ(2 − 2) = ½.
        Assert.Equal(2, f["cross-correlation (as Conv2d): Z⁽²⁾_1,1"].Library[0]);
        Assert.Equal(0.5, f["cross-correlation (as Conv2d): P(y = 1)"].Library[0]);
        // Flipped: layer 1 unchanged (both K⁽¹⁾ are 180°-symmetric); K⁽²⁾_1,1 rotated = (3, −4, −2, 1): −12 + 8 = −4 → 0; P = σ(−2).
        Assert.Equal(Sig(-2), f["convolution (kernels flipped): P(y = 1)"].Library[0], 1e-15);
        // Q14, y = 0: ∂L/∂θ = P − y = ½; ∂L/∂Z_pre = ½; ∂K⁽²⁾_1,1[1,1] = ½·A₁[1,1] = 0, ∂K⁽²⁾_2,1[1,1] = ½·A₂[1,1] = ½;
        // ∂pre₁ = ½·K⁽²⁾_1,1 masked by pre₁ > 0 (only (1,2)): (0, −1, 0, 0) → ∂K⁽¹⁾_1,1[1,1] = −1·V[1,2] = −3;
        // ∂pre₂ = ½·(2, 1, 1, 2) masked by (1, 1, 1, 0) = (1, ½, ½, 0) → ∂K⁽¹⁾_1,2[1,1] = 2 + 1.5 + 2 = 5.5.
        Assert.Equal(0.5, b["cross-correlation (as Conv2d): ∂L/∂θ"].Library[0], 1e-15);
        Assert.Equal(-3, b["cross-correlation (as Conv2d): ∂L/∂K⁽¹⁾_1,1[1,1] (the 2)"].Library[0], 1e-15);
        Assert.Equal(5.5, b["cross-correlation (as Conv2d): ∂L/∂K⁽¹⁾_1,2[1,1] (the 1)"].Library[0], 1e-15);
        Assert.Equal(0, b["cross-correlation (as Conv2d): ∂L/∂K⁽²⁾_1,1[1,1] (the 1)"].Library[0]);
        Assert.Equal(0.5, b["cross-correlation (as Conv2d): ∂L/∂K⁽²⁾_2,1[1,1] (the 2)"].Library[0], 1e-15);
        // Flipped: Z_pre < 0, so every kernel gradient is 0 and ∂L/∂θ = σ(−2).
        Assert.Equal(0, b["convolution (kernels flipped): ∂L/∂K⁽¹⁾_1,2[1,1] (the 1)"].Library[0]);
        Assert.Equal(Sig(-2), b["convolution (kernels flipped): ∂L/∂θ"].Library[0], 1e-15);
    }

    [Fact]
    public void Q15Rnn()
    {
        var e = RecurrentExercises.Q15();
        // t = 1: a = Ux = (0.05 + 0.01, 0.04 + 0.001) = (0.06, 0.041); o = 2·0.06 + 3·0.041 + 1 = 1.243.
        var h = e["h⁽ᵗ⁾, t = 1..5"].Library;
        Assert.Equal(0.06, h[0], 1e-15);
        Assert.Equal(0.041, h[1], 1e-15);
        // t = 2: a = W(0.06, 0.041) + U(0.7, 0.4) = (0.006 + 0.0123 + 0.35 + 0.04, 0.018 + 0.0041 + 0.28 + 0.004) = (0.4083, 0.3061).
        Assert.Equal(0.4083, h[2], 1e-15);
        Assert.Equal(0.3061, h[3], 1e-15);
        var y = e["ŷ⁽ᵗ⁾ = σ(Vh⁽ᵗ⁾ + c), t = 1..5"].Library;
        Assert.Equal(Sig(1.243), y[0], 1e-15);
        Assert.Equal(Sig(2 * 0.4083 + 3 * 0.3061 + 1), y[1], 1e-15);
    }

    [Fact]
    public void Q17GoodfellowLstm()
    {
        var e = RecurrentExercises.Q17();
        // t = 1 (h = s = 0): f = σ(0.25·0.7) = σ(0.175), g = σ(0.1 + 0.21), input = σ(1 + 0.007), q = σ(0.2 + 0.28);
        // s = g·input, h = ReLU(s)·q, output = σ(5h − 1).
        double f = Sig(0.175), g = Sig(0.31), inp = Sig(1.007), q = Sig(0.48), s = g * inp, h = s * q;
        Assert.Equal(s, e["s (cell), t = 1..3"].Library[0], 1e-15);
        Assert.Equal(Sig(5 * h - 1), e["output σ(5h − 1), t = 1..3"].Library[0], 1e-15);
        // The fused LstmCell with a sigmoid candidate is the same cell: same outputs.
        Near(e["output σ(5h − 1), t = 1..3"].Library, e["library fused LstmCell (σ cell input, ReLU(s)·q): output, t = 1..3"].Library, 1e-15);
        // t = 2 (x = 0.5): the gates see h⁽¹⁾; s⁽²⁾ = f⁽²⁾s⁽¹⁾ + g⁽²⁾·input⁽²⁾.
        double f2 = Sig(0.25 * 0.5 + 0.3 * h), g2 = Sig(0.1 + 0.15 - 0.3 * h), i2 = Sig(1 + 0.005 + 0.1 * h), q2 = Sig(0.2 + 0.2 + 0.3 * h);
        double s2 = f2 * s + g2 * i2;
        Assert.Equal(s2, e["s (cell), t = 1..3"].Library[1], 1e-15);
        Assert.Equal(s2 * q2, e["h = ReLU(s)·q, t = 1..3"].Library[1], 1e-15);
        // Same input at t = 1 and t = 3, different state ⇒ different output.
        var o = e["output σ(5h − 1), t = 1..3"].Library;
        Assert.True(Math.Abs(o[0] - o[2]) > 0.1);
        _ = f;
    }

    [Fact]
    public void IftQ6ToQ8()
    {
        var q6 = ConvolutionExercises.IftQ6();
        // full: (1, 2·1 + 1·0, 3 + 0 + 2, 4 + 0 + 4, 3·2 + 4·0, 4·2); same: centre of length 4 from index 1; valid: complete overlaps.
        Near([1, 2, 5, 8, 6, 8], q6["full (with flipping)"].Library);
        Near([2, 5, 8, 6], q6["same (with flipping, NumPy's centring)"].Library);
        Near([5, 8], q6["valid (with flipping)"].Library);
        var q7 = ShapeExercises.IftQ7();
        // (256 − 8)/2 + 1 = 125 → ⌊120/5⌋ + 1 = 25 → 25 + 2 − 4 + 1 = 24; 24·24·128 = 73728; 128·64·4·4 = 131072.
        Assert.Equal(73728, q7["Q7.1 output dimensionality"].Library[0]);
        Assert.Equal(131072, q7["Q7.2 parameters of the last layer"].Library[0]);
        var q8 = ShapeExercises.IftQ8();
        Assert.Equal([3.0], q8["1(a) k = 8, d = 0 (library d = 1), s = 2: padding p"].Library);       // 56 + 2p ∈ [62, 63]
        Assert.Equal([3.0], q8["1(b) d = 6 read as library d = 7 (seed convention), s = 2, k = 2: p"].Library);   // extent 8
        Assert.Equal([4.0], q8["2(a) non-overlapping pooling 32 → 8: k = s"].Library);
        Assert.Equal([7.0], q8["2(b) k = 8, s = 4: output size (shape 64 × o × o)"].Library);          // ⌊24/4⌋ + 1
        Assert.Equal([5.0], q8["3(a) p = 0, d = 0 (library 1), s = 1: kernel k"].Library);             // 8 − k + 1 = 4
        Assert.Equal([5.0], q8["3(b) d = 1 (library 2, seed convention), p = 2, s = 1: kernel k"].Library);  // 12 − 2(k − 1) = 4
        Assert.Equal([9.0], q8["3(b) d = 1 taken literally (library 1), p = 2, s = 1: kernel k"].Library);   // 12 − k + 1 = 4
        Assert.Equal([7.0], q8["3(c) p = 1, d = 0 (library 1), s = 1: kernel k"].Library);             // 10 − k + 1 = 4
    }

    [Fact]
    public void P4ConvolutionAndPooling()
    {
        var e = ConvolutionExercises.P4();
        Assert.Equal(1, e["a) padding"].Library[0]);
        // F′[1,1] (correlation, zero padding 1): only the right column of Filter1 meets F: −2·F[1,2] − 1·F[2,2] = −4 − 1 = −5.
        var fc = e["a) F′ (cross-correlation, as Conv2d)"].Library;
        Assert.Equal(-5, fc[0]);
        Near(fc.Select(v => -v).ToArray(), e["a) F′ (convolution, Filter1 flipped)"].Library);   // the Sobel filter is odd under a flip
        // b) ⌊4/s⌋ + 1 = 5, 3, 2, 2: never 4.
        Assert.Equal(0, e["b) strides giving a 4×4 output (count)"].Library[0]);
        Assert.Equal(5, e["b) output size at stride 1"].Library[0]);
        // c) the top-left 2×2 block of F′ averaged: (F′[0,0] + F′[0,1] + F′[1,0] + F′[1,1])/4.
        Assert.Equal((fc[0] + fc[1] + fc[4] + fc[5]) / 4, e["c) AvgPool 2×2, stride 2, of F′ (cross-correlation)"].Library[0], 1e-15);
    }
}
