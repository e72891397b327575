using System.Globalization;
using Nabla.Models;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class AutoencodersLab
{
    private const int Shown = 10;

    /// <summary>Rows × columns for showing a code of <paramref name="size"/> units as an image: the largest divisor not
    /// above √size (32 → 4×8, 1000 → 25×40).</summary>
    public static (int Rows, int Cols) CodeGrid(int size)
    {
        int rows = Enumerable.Range(1, (int)Math.Sqrt(size)).Last(d => size % d == 0);
        return (rows, size / rows);
    }

    /// <summary>Reconstructions (clean and corrupted input), codes and encoder filters: drawn in the experiment because they
    /// need the trained models.</summary>
    private static void DrawModels(LabKit kit, AutoencodersSettings s, IReadOnlyList<AutoencoderVariant> variants, List<Autoencoder> models,
        Tensor testX, Tensor corruptedTest, Tensor testY)
    {
        using var _ = GradMode.NoGrad();
        var x = testX.Narrow(0, 0, Shown);
        var xc = corruptedTest.Narrow(0, 0, Shown);
        var labels = testY.Narrow(0, 0, Shown).ToArray<int>();
        var pairs = variants.Zip(models).ToList();

        // Rows: input, then each variant's reconstruction; caption only in the first column.
        void Grid(string file, string title, List<(string Label, Tensor Images)> rows)
        {
            var images = rows.SelectMany(r => LabKit.Images(r.Images)).ToList();
            var captions = rows.SelectMany(r => Enumerable.Range(0, Shown).Select(k => k == 0 ? r.Label : "")).ToList();
            ImageGrid.SavePng(kit.PathOf(file), images, 1, 28, 28,
                new ImageGridOptions { Columns = Shown, CellSize = 56, Scaling = ImageScaling.Clamp, Title = title, Captions = captions });
        }
        Grid("reconstructions.png", "Test digits (top) and reconstructions x̃ = V·σ(Wx + b) + c",
            [("input", x), .. pairs.Select(p => (p.First.Key, p.Second.Forward(x)))]);
        Grid("denoising.png", $"Corrupted test digits ({s.Corruption:P0} of pixels zeroed), clean digits, reconstructions from the corrupted input",
            [("corrupted", xc), ("clean", x), .. pairs.Select(p => (p.First.Key, p.Second.Forward(xc)))]);

        // Codes h of the same digits, one image per code.
        foreach (var group in pairs.GroupBy(p => p.First.Options.CodeSize))
        {
            int code = group.Key;
            var (rowsH, colsW) = CodeGrid(code);
            var list = group.ToList();
            var images = list.SelectMany(p => LabKit.Images(p.Second.Encode(x))).ToList();
            var captions = list.SelectMany(p => labels.Select((l, k) => k == 0 ? $"{p.First.Key}: {l}" : l.ToString(CultureInfo.InvariantCulture))).ToList();
            string file = code == s.UnderCode ? "codes_undercomplete.png" : "codes_overcomplete.png";
            ImageGrid.SavePng(kit.PathOf(file), images, 1, rowsH, colsW, new ImageGridOptions
            {
                Columns = Shown, CellSize = 80, Scaling = ImageScaling.Clamp, Captions = captions,
                Title = $"Codes h ∈ [0, 1]^{code} of the {Shown} test digits, shown as {rowsH}×{colsW} images (white = 1)",
            });
        }

        // Encoder filters: the first 32 rows of W as 28×28 images (each scaled to its own range).
        foreach (var (variant, model) in pairs)
        {
            var w = model.Encoder.Weight.Narrow(0, 0, Math.Min(32, variant.Options.CodeSize));
            ImageGrid.SavePng(kit.PathOf($"filters_{variant.Key}.png"), LabKit.Images(w), 1, 28, 28,
                new ImageGridOptions { Columns = 8, CellSize = 56, Scaling = ImageScaling.PerImage, Title = $"Encoder filters (rows of W), {variant.Label}" });
        }
    }

    public override void Report(LabReport report, AutoencodersSettings s, AutoencodersResult r)
    {
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Every model is one hidden layer: code h = σ(W·x + b) (sigmoid encoder), reconstruction x̃ = V·h + c (linear
            decoder), x = MNIST pixels/255 ∈ [0, 1]^784. The objective per image is the squared error Σ_i (x̃_i − x_i)²,
            plus, for the sparse autoencoder, λ·Σ_j |h_j| (λ = {s.SparseWeight}), and for the contractive one
            λ·‖∂h/∂x‖_F² (λ = {s.ContractiveWeight}), computed in closed form: ∂h_j/∂x_i = h_j(1 − h_j)·W_ji, so
            ‖∂h/∂x‖_F² = Σ_j (h_j(1 − h_j))²·Σ_i W_ji². The denoising autoencoder sees x̂ = x with each pixel zeroed with
            probability p = {s.Corruption} (masking noise, redrawn every batch) and is scored against the clean x.
            Training: Adam (lr {s.LearningRate}), batch {s.BatchSize}, {s.Epochs} epochs on the first {r.TrainCount:N0} MNIST
            training images (a subset, to keep five models within a few minutes on a shared 2-core machine), PyTorch-default
            initialisation; evaluation on {r.TestCount:N0} test images.
            **Supervised or unsupervised (Workbook Q18a)?** Unsupervised: the training images' labels are never loaded — the target of
            every objective is the input x itself (self-supervision) — and the test labels serve only as captions of the figures.
            """));
        report.Heading("Results on the test set");
        report.Table(["model", "code size", "test Σ(x̃ − x)²", "from corrupted input", "mean h", "h < 0.05", "‖∂h/∂x‖_F²", "train time (s)"],
            r.Runs.Select(x => (IReadOnlyList<object>)[x.Variant.Label, x.Variant.Options.CodeSize, x.TestError, x.CorruptedError,
                x.MeanCode, $"{x.NearZero:P1}", x.Jacobian, Math.Round(x.Seconds)]));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Columns: mean over test images of the per-image squared reconstruction error with the clean input, and with a
            fixed corrupted copy of the test set (same {s.Corruption:P0} masking for every model) still compared with the clean image;
            the mean code activation, the fraction of code entries below 0.05, and the mean squared Frobenius norm of the
            encoder Jacobian (the contractive penalty, computed for every model).
            """));
        report.Figure("reconstructions.png", "Ten test digits and each model's reconstruction");
        report.Figure("denoising.png", "Reconstructions from corrupted inputs: only the denoising autoencoder was trained for this");
        report.Figure("codes_undercomplete.png", "Codes of the undercomplete autoencoder");
        report.Figure("codes_overcomplete.png", "Codes of the overcomplete variants (one row per model)");
        foreach (var x in r.Runs) report.Figure($"filters_{x.Variant.Key}.png", $"First 32 encoder filters, {x.Variant.Label}");
        var chart = new LineChart { Title = "Training objective per epoch (batch mean)", XLabel = "epoch", YLabel = "Σ(x̃ − x)² + penalty", LogY = true, IntegerXTicks = true };
        foreach (var x in r.Runs) chart.Add(x.Variant.Label, x.TrainLoss);
        chart.SavePng(report.PathOf("training.png"));
        report.Figure("training.png", "Training objective per epoch (includes the penalty for the sparse and contractive models)");

        AutoencoderRun under = r["under"], over = r["over"], sparse = r["sparse"], denoising = r["denoising"], contractive = r["contractive"];
        report.Heading("Discussion");
        report.Paragraph(string.Join(" ",
            UnderOverSays(under.TestError, over.TestError),
            TradeSays(over.TestError, sparse.TestError, contractive.TestError),
            SparseSays(sparse.MeanCode, over.MeanCode, sparse.NearZero, sparse.TestError) + ";",
            ContractiveSays(contractive.Jacobian, over.Jacobian, contractive.TestError) + ".",
            DenoisingSays(denoising.CorruptedError, over.CorruptedError, s.Corruption),
            CleanVsCorruptedSays(denoising.TestError, denoising.CorruptedError),
            SparseCodesSays(sparse.NearZero),
            "In the filter images, stroke-like patterns mean the units learned parts of digits; high-frequency noise means they did " +
            $"not need to — with {s.OverCode} free units, any set of filters that spans the data lets the decoder undo it.",
            $"Wall time {r.WallSeconds:F0} s."));
        foreach (var x in r.Runs)
        {
            report.Metric($"{x.Variant.Key}_test_error", x.TestError);
            report.Metric($"{x.Variant.Key}_corrupted_error", x.CorruptedError);
            report.Metric($"{x.Variant.Key}_mean_code", x.MeanCode);
            report.Metric($"{x.Variant.Key}_jacobian", x.Jacobian);
        }
        report.Metric("wall_seconds", r.WallSeconds);
    }

    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Relative margin below which two errors (or Jacobian norms, mean codes) count as the same.</summary>
    public const double Margin = 0.02;

    /// <summary>a is lower than b by more than <see cref="Margin"/> of b.</summary>
    private static bool Lower(double a, double b) => a < b * (1 - Margin);

    /// <summary>Whether both regularised overcomplete models reconstruct worse than the plain one (they pay for their structure).</summary>
    public static string TradeSays(double overError, double sparseError, double contractiveError) =>
        sparseError >= overError && contractiveError >= overError
            ? "The regularisers trade reconstruction for structure (both reconstruct worse than the plain overcomplete model):"
            : "The regularisers do not all cost reconstruction here (one reconstructs at least as well as the plain overcomplete model):";

    /// <summary>Whether the plain overcomplete model reconstructs better than the undercomplete one (as its extra units allow).</summary>
    public static string UnderOverSays(double underError, double overError) => Lower(overError, underError)
        ? $"The undercomplete autoencoder must squeeze 784 pixels through its few code units and reconstructs with error {F2(underError)} " +
          $"per image; the plain overcomplete one reaches {F2(overError)}, because nothing stops it from approaching the identity — " +
          "which is exactly why it needs a regulariser to learn anything useful."
        : $"The plain overcomplete model does not reconstruct better than the undercomplete one in this run ({F2(overError)} against " +
          $"{F2(underError)} per image): it has not (yet) used its extra units to approach the identity.";

    /// <summary>Whether the sparse penalty lowered the mean code below the plain overcomplete model's.</summary>
    public static string SparseSays(double sparseMean, double overMean, double sparseNearZero, double sparseError) => Lower(sparseMean, overMean)
        ? string.Create(CultureInfo.InvariantCulture,
            $"the sparse penalty drives code entries towards 0 (mean h {sparseMean:F3} vs {overMean:F3} for the plain overcomplete model; {sparseNearZero:P0} of entries below 0.05) at error {sparseError:F2}")
        : string.Create(CultureInfo.InvariantCulture,
            $"the sparse penalty did not lower the mean code here (mean h {sparseMean:F3} vs {overMean:F3} for the plain overcomplete model) at error {sparseError:F2}");

    /// <summary>Whether the contractive penalty lowered the encoder's Jacobian norm below the plain overcomplete model's.</summary>
    public static string ContractiveSays(double contractiveJacobian, double overJacobian, double contractiveError) => Lower(contractiveJacobian, overJacobian)
        ? string.Create(CultureInfo.InvariantCulture, $"the contractive penalty shrinks the encoder's sensitivity ‖∂h/∂x‖_F² from {overJacobian:F1} to {contractiveJacobian:F1} at error {contractiveError:F2}")
        : string.Create(CultureInfo.InvariantCulture, $"the contractive penalty did not shrink the encoder's sensitivity ‖∂h/∂x‖_F² here ({contractiveJacobian:F1} against {overJacobian:F1}) at error {contractiveError:F2}");

    /// <summary>Whether the denoising model restores corrupted inputs better than the plain overcomplete one.</summary>
    public static string DenoisingSays(double denoisingCorrupted, double overCorrupted, double corruption)
    {
        string p = corruption.ToString("P0", CultureInfo.InvariantCulture), d = F2(denoisingCorrupted), o = F2(overCorrupted);
        return Lower(denoisingCorrupted, overCorrupted)
            ? $"Given inputs with {p} of the pixels zeroed, the denoising autoencoder reconstructs the clean digit with error {d}, " +
              $"against {o} for the plain overcomplete model, which copies much of the holes (see denoising.png): it learned something " +
              "close to the identity rather than the structure of digits."
            : $"Given inputs with {p} of the pixels zeroed, the denoising autoencoder ({d}) does no better (by more than 2 %) than the plain " +
              $"overcomplete model ({o}) at restoring the clean digit in this run.";
    }

    /// <summary>Whether the denoising model does worse on clean inputs than on the corrupted ones it was trained on.</summary>
    public static string CleanVsCorruptedSays(double clean, double corrupted) => Lower(corrupted, clean)
        ? $"On clean inputs the denoising model is worse ({F2(clean)}) than on corrupted ones ({F2(corrupted)}), because it was trained to expect " +
          "fewer lit pixels and so over-brightens an intact digit."
        : Lower(clean, corrupted)
            ? $"On clean inputs the denoising model does better ({F2(clean)}) than on corrupted ones ({F2(corrupted)})."
            : $"On clean inputs the denoising model does about as well ({F2(clean)}) as on corrupted ones ({F2(corrupted)}).";

    /// <summary>Whether most of the sparse model's code entries are near 0 (its code images mostly black).</summary>
    public static string SparseCodesSays(double nearZero) => nearZero > 0.5
        ? string.Create(CultureInfo.InvariantCulture, $"The sparse model's code images are mostly black ({nearZero:P0} of entries below 0.05: few active units per digit).")
        : string.Create(CultureInfo.InvariantCulture, $"The sparse model's codes are not mostly near 0 ({nearZero:P0} of entries below 0.05).");
}
