using System.Globalization;
using Nabla.Autograd;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

public sealed partial class AutoencodersLab
{
    private const int Shown = 10;

    /// <summary>Reconstructions (clean and corrupted input), codes, filters and training curves.</summary>
    private static void Plot(LabContext ctx, List<Result> results, Tensor testX, Tensor corruptedTest, Tensor testY)
    {
        using var _ = GradMode.NoGrad();
        var x = testX.Narrow(0, 0, Shown);
        var xc = corruptedTest.Narrow(0, 0, Shown);
        var labels = testY.Narrow(0, 0, Shown).ToArray<int>();

        // Rows: input, then each variant's reconstruction; caption only in the first column.
        void Grid(string file, string title, List<(string Label, Tensor Images)> rows)
        {
            var images = rows.SelectMany(r => MnistTensors.Images(r.Images)).ToList();
            var captions = rows.SelectMany(r => Enumerable.Range(0, Shown).Select(k => k == 0 ? r.Label : "")).ToList();
            ImageGrid.SavePng(ctx.PathOf(file), images, 1, 28, 28,
                new ImageGridOptions { Columns = Shown, CellSize = 56, Scaling = ImageScaling.Clamp, Title = title, Captions = captions });
        }
        Grid("reconstructions.png", "Test digits (top) and reconstructions x̃ = V·σ(Wx + b) + c",
            [("input", x), .. results.Select(r => (r.Variant.Key, r.Model.Forward(x)))]);
        Grid("denoising.png", $"Corrupted test digits ({Corruption:P0} of pixels zeroed), clean digits, reconstructions from the corrupted input",
            [("corrupted", xc), ("clean", x), .. results.Select(r => (r.Variant.Key, r.Model.Forward(xc)))]);

        // Codes h of the same digits: 32 → 4×8 images, 1000 → 25×40.
        foreach (var group in results.GroupBy(r => r.Variant.Options.CodeSize))
        {
            int code = group.Key, rowsH = code == UnderCode ? 4 : 25, colsW = code / rowsH;
            var list = group.ToList();
            var images = list.SelectMany(r => MnistTensors.Images(r.Model.Encode(x))).ToList();
            var captions = list.SelectMany(r => labels.Select((l, k) => k == 0 ? $"{r.Variant.Key}: {l}" : l.ToString(CultureInfo.InvariantCulture))).ToList();
            string file = code == UnderCode ? "codes_undercomplete.png" : "codes_overcomplete.png";
            ImageGrid.SavePng(ctx.PathOf(file), images, 1, rowsH, colsW, new ImageGridOptions
            {
                Columns = Shown, CellSize = 80, Scaling = ImageScaling.Clamp, Captions = captions,
                Title = $"Codes h ∈ [0, 1]^{code} of the {Shown} test digits, shown as {rowsH}×{colsW} images (white = 1)",
            });
        }

        // Encoder filters: the first 32 rows of W as 28×28 images (each scaled to its own range).
        foreach (var r in results)
        {
            var w = r.Model.Encoder.Weight.Narrow(0, 0, Math.Min(32, r.Variant.Options.CodeSize));
            ImageGrid.SavePng(ctx.PathOf($"filters_{r.Variant.Key}.png"), MnistTensors.Images(w), 1, 28, 28,
                new ImageGridOptions { Columns = 8, CellSize = 56, Scaling = ImageScaling.PerImage, Title = $"Encoder filters (rows of W), {r.Variant.Label}" });
        }

        var chart = new LineChart { Title = "Training objective per epoch (batch mean)", XLabel = "epoch", YLabel = "Σ(x̃ − x)² + penalty", LogY = true, IntegerXTicks = true };
        foreach (var r in results) chart.Add(r.Variant.Label, r.TrainLoss);
        chart.SavePng(ctx.PathOf("training.png"));
    }

    private LabReport Write(LabContext ctx, Settings s, int nTrain, int nTest, List<Result> results, double wallSeconds)
    {
        var report = new LabReport(Name, "Autoencoders on MNIST: undercomplete, overcomplete, sparse, denoising, contractive");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Every model is one hidden layer: code h = σ(W·x + b) (sigmoid encoder), reconstruction x̃ = V·h + c (linear
            decoder), x = MNIST pixels/255 ∈ [0, 1]^784. The objective per image is the squared error Σ_i (x̃_i − x_i)²,
            plus, for the sparse autoencoder, λ·Σ_j |h_j| (λ = {SparseWeight}), and for the contractive one
            λ·‖∂h/∂x‖_F² (λ = {ContractiveWeight}), computed in closed form: ∂h_j/∂x_i = h_j(1 − h_j)·W_ji, so
            ‖∂h/∂x‖_F² = Σ_j (h_j(1 − h_j))²·Σ_i W_ji². The denoising autoencoder sees x̂ = x with each pixel zeroed with
            probability p = {Corruption} (masking noise, redrawn every batch) and is scored against the clean x.
            Training: Adam (lr {s.LearningRate}), batch {s.BatchSize}, {s.Epochs} epochs on the first {nTrain:N0} MNIST
            training images (a subset, to keep five models within a few minutes on a shared 2-core machine), PyTorch-default
            initialisation; evaluation on {nTest:N0} test images.
            """));
        report.Heading("Results on the test set");
        report.Table(["model", "code size", "test Σ(x̃ − x)²", "from corrupted input", "mean h", "h < 0.05", "‖∂h/∂x‖_F²", "train time (s)"],
            results.Select(r => (IReadOnlyList<object>)[r.Variant.Label, r.Variant.Options.CodeSize, r.TestError, r.CorruptedError,
                r.MeanCode, $"{r.NearZero:P1}", r.Jacobian, Math.Round(r.Seconds)]));
        report.Paragraph("""
            Columns: mean over test images of the per-image squared reconstruction error with the clean input, and with a
            fixed corrupted copy of the test set (same 30 % masking for every model) still compared with the clean image;
            the mean code activation, the fraction of code entries below 0.05, and the mean squared Frobenius norm of the
            encoder Jacobian (the contractive penalty, computed for every model).
            """);
        report.Figure("reconstructions.png", "Ten test digits and each model's reconstruction");
        report.Figure("denoising.png", "Reconstructions from corrupted inputs: only the denoising autoencoder was trained for this");
        report.Figure("codes_undercomplete.png", "Codes of the undercomplete autoencoder");
        report.Figure("codes_overcomplete.png", "Codes of the overcomplete variants (one row per model)");
        foreach (var r in results) report.Figure($"filters_{r.Variant.Key}.png", $"First 32 encoder filters, {r.Variant.Label}");
        report.Figure("training.png", "Training objective per epoch (includes the penalty for the sparse and contractive models)");

        var by = results.ToDictionary(r => r.Variant.Key);
        report.Heading("Discussion");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            The undercomplete autoencoder must squeeze 784 pixels through 32 numbers and reconstructs with error
            {by["under"].TestError:F2} per image; the plain overcomplete one (1000 > 784 code units) reaches
            {by["over"].TestError:F2}, because nothing stops it from approaching the identity — which is exactly why it
            needs a regulariser to learn anything useful. The regularisers trade reconstruction for structure: the sparse
            penalty drives most code entries towards 0 (mean h {by["sparse"].MeanCode:F3} vs {by["over"].MeanCode:F3} for the
            plain overcomplete model; {by["sparse"].NearZero:P0} of entries below 0.05) at error {by["sparse"].TestError:F2};
            the contractive penalty shrinks the encoder's sensitivity ‖∂h/∂x‖_F² from {by["over"].Jacobian:F1} to
            {by["contractive"].Jacobian:F1} at error {by["contractive"].TestError:F2}. Given inputs with {Corruption:P0} of the
            pixels zeroed, the denoising autoencoder reconstructs the clean digit with error {by["denoising"].CorruptedError:F2},
            against {by["over"].CorruptedError:F2} for the plain overcomplete model, which copies much of the holes
            (see denoising.png): it learned something close to the identity rather than the structure of digits. On clean
            inputs the denoising model is worse ({by["denoising"].TestError:F2}) than on corrupted ones, because it was
            trained to expect about 30 % fewer lit pixels and so over-brightens an intact digit. The codes and filters
            show the same story: the sparse model's codes are mostly black (few active units per digit), and in our full
            run its encoder filters were curved, stroke-like patterns, while the plain overcomplete model's filters
            still looked like high-frequency noise — with 1000 free units, any set of filters that spans the data lets
            the decoder undo it. The denoising filters fall in between.
            {(ctx.Quick ? "Quick mode (1,000 images, 2 epochs) is far from converged; the full run's numbers are the ones to read." : "")}
            Wall time {wallSeconds:F0} s.
            """));
        foreach (var r in results)
        {
            report.Metric($"{r.Variant.Key}_test_error", r.TestError);
            report.Metric($"{r.Variant.Key}_corrupted_error", r.CorruptedError);
            report.Metric($"{r.Variant.Key}_mean_code", r.MeanCode);
            report.Metric($"{r.Variant.Key}_jacobian", r.Jacobian);
        }
        report.Metric("wall_seconds", wallSeconds);
        return report;
    }
}
