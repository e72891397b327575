using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class AugmentationLab
{
    public override void Report(LabReport report, AugmentationSettings s, AugmentationResult r)
    {
        report.Paragraph("""
            Workbook Q7: *Jane has a small data set of speech ".wav" files and wants a model that reads them and classifies the
            speaker as male or female. Suggest data augmentation methods that might help, and explain why augmentation helps
            with regularization.* Augmentation adds, every epoch, label-preserving variants of the training examples: the model
            cannot memorise the exact samples, and it is shown the variations (position, loudness, background, speaking rate,
            voice) that it must ignore at test time — a prior about invariances, paid for in data instead of in a penalty
            term. The lab measures this twice: on images (part 1) and on speech (part 2), each time the same network from the
            same initial weights, trained with and without augmentation, and the *gap* = validation error − training error
            (the training error measured on the clean training set in eval mode after every epoch) as the overfitting gauge.
            """);
        if (r.Images is { } im) ReportImages(report, s, im);
        if (r.Audio is { } au) ReportAudio(report, s, au);
        report.Paragraph($"Wall time of the whole run: {r.Seconds:F0} s.");
    }

    private static void ReportImages(LabReport report, AugmentationSettings s, ImageStudy d)
    {
        report.Heading("Part 1: a small CNN on 1,000-image MNIST");
        report.Paragraph($"""
            **Data.** The first {d.TrainCount:N0} images of MNIST's 50k training part, standardised; validation: the first
            {d.ValidationCount:N0} of the 10k held out at the end of the training file. **Model.** conv3×3(16)–ReLU–maxpool,
            conv3×3(32)–ReLU–maxpool, linear 1568→64–ReLU→10 ({d.Parameters:N0} parameters, no dropout or batch norm);
            Adam (learning rate {s.LearningRate}), batches of {s.BatchSize}, {s.ImageEpochs} epochs, both runs from the same
            initial weights and data order. **Augmentation** (drawn afresh per image and epoch by the data loader, library
            transforms): {d.Augmentation}. No horizontal flip: a mirrored 2 or 7 is not a digit, so flipping would not preserve
            the label (on CIFAR-10, where a mirrored cat is still a cat, the flip is the standard first augmentation; for speech,
            reversing time does not preserve the word either).
            """);
        ImageTable(report, [d.Plain, d.Augmented]);
        CurvesFigure(report, "image_curves.png", "MNIST, 1,000 training images: error per epoch", [d.Plain, d.Augmented],
            "Training (clean images, eval mode) and validation error per epoch, without and with augmentation.");
        GapFigure(report, "image_gap.png", "MNIST: validation − training error", [d.Plain, d.Augmented]);
        report.Paragraph($"""
            {GapSays(d.Plain.FinalGap, d.Augmented.FinalGap, d.Plain.FinalValidError, d.ValidationCount)} {ValidSays(d.Plain.FinalValidError, d.Augmented.FinalValidError, d.ValidationCount)}
            {FitSays(d.Plain.FinalTrainError, d.Augmented.FinalTrainError)}
            """);
        report.Metric("image_plain_valid_error", d.Plain.FinalValidError).Metric("image_augmented_valid_error", d.Augmented.FinalValidError)
              .Metric("image_plain_gap", d.Plain.FinalGap).Metric("image_augmented_gap", d.Augmented.FinalGap)
              .Metric("image_plain_train_error", d.Plain.FinalTrainError).Metric("image_augmented_train_error", d.Augmented.FinalTrainError);
    }

    private static void ImageTable(LabReport report, IReadOnlyList<AugmentationRun> runs) =>
        report.Table(["task", "augmentation", "final training error", "final validation error", "gap", "best validation error (epoch)"],
            runs.Select(x => (IReadOnlyList<object>)[x.Task, x.Label, Pct(x.FinalTrainError), Pct(x.FinalValidError), Pct(x.FinalGap),
                $"{Pct(x.Curves.ValidError[x.Curves.BestEpoch - 1])} ({x.Curves.BestEpoch})"]));

    private static void ReportAudio(LabReport report, AugmentationSettings s, AudioStudy d)
    {
        report.Heading("Part 2: spoken digits synthesised with espeak-ng, a 1-d CNN on log-mel features");
        report.Paragraph($"""
            **Data.** The words zero … nine, synthesised with `espeak-ng -v ACCENT+VARIANT -s RATE -p PITCH -w file.wav WORD`
            for accents {string.Join(", ", s.Accents.Select(a => $"`{a}`"))}, rates {string.Join(", ", s.Speeds)} words/min and
            pitches {string.Join(", ", s.Pitches)}. A *voice* (speaker) is an accent with a voice variant. Training voices use the
            variants {string.Join(", ", s.TrainVariants)} ({d.TrainSpeakers} voices, {d.TrainClips:N0} clips); validation voices
            use the variants {string.Join(", ", s.ValidationVariants)} ({d.ValidationSpeakers} voices, {d.ValidationClips:N0} clips),
            none of which is heard in training: the split is by speaker, as it must be when the question is whether the model
            works for new people. The WAV files (16-bit PCM mono, {d.SampleRate:N0} Hz) are read with `Nabla.IO.Wav`, silence is
            trimmed (words last {d.MeanSeconds:F2} s on average, at most {d.MaxSeconds:F2} s) and every word is centred in a
            {s.WindowSeconds:0.##} s window. **Features.** Log-mel spectrogram: periodic Hann windows of {NFft} samples every
            {Hop} samples, |FFT|², {s.Mels} triangular HTK-mel filters from 0 to {Math.Min(FMax, d.SampleRate / 2.0):N0} Hz,
            ln(· + {LogFloor}) (a floor that hides the difference between digital silence and faint noise), each mel bin standardised with the clean training clips' mean and std: {s.Mels} × {d.Frames} per word.
            **Model.** A 1-d CNN over time with the mel bins as input channels: Conv1d k5 ({s.Channels}) → BN → ReLU → Conv1d k5
            stride 2 → BN → ReLU → Conv1d k3 stride 2 → BN → ReLU → mean over time → linear ({d.DigitParameters:N0} parameters for
            10 classes); Adam ({s.LearningRate}), batches of {s.BatchSize}, {s.AudioEpochs} epochs, every run from the same
            initial weights. **Augmentation**, drawn afresh per clip and epoch: *speed/pitch change* — resampling by a factor
            r ~ U[{1 - s.Stretch:0.###}, {1 + s.Stretch:0.###}] (linear interpolation; played at the original rate the word is r
            times faster and r times higher); *time shift* — the word placed at a uniformly random position of the window instead
            of its centre; *background noise* — with probability {s.NoiseProbability}, white Gaussian noise at an SNR drawn from
            {s.SnrMinDb}–{s.SnrMaxDb} dB (relative to the word's power); *SpecAugment* — one band of up to {s.FreqMask} mel bins and
            one span of up to {s.TimeMask} frames set to the mean (0 after standardisation). Validation clips are never augmented.
            """);
        var digit = d.Runs.Where(x => x.Task == "digit").ToList();
        var gender = d.Runs.Where(x => x.Task == "gender").ToList();
        report.Paragraph("**Which word (10 classes), validated on unseen voices.**");
        ImageTable(report, digit);
        CurvesFigure(report, "audio_digit_curves.png", "Spoken digits: error per epoch", [d.Run("digit_none"), d.Run("digit_all")],
            "Spoken digits: training (clean clips, eval mode) and validation (unseen voices) error per epoch, without and with all four augmentations.");
        GapFigure(report, "audio_gap.png", "Spoken digits and gender: validation − training error",
            [d.Run("digit_none"), d.Run("digit_all"), d.Run("gender_none"), d.Run("gender_all")]);
        var dn = d.Run("digit_none");
        var da = d.Run("digit_all");
        report.Paragraph($"""
            {GapSays(dn.FinalGap, da.FinalGap, dn.FinalValidError, d.ValidationClips)} {ValidSays(dn.FinalValidError, da.FinalValidError, d.ValidationClips)}
            {FitSays(dn.FinalTrainError, da.FinalTrainError)}
            {AblationSays(digit.Where(x => x.Key is not ("digit_none" or "digit_all")).Select(x => (x.Label, x.FinalValidError)).ToList(), dn.FinalValidError, d.ValidationClips)}
            """);
        report.Paragraph("**Jane's task: the speaker's gender (espeak-ng's own M/F label of each variant), validated on unseen voices.**");
        ImageTable(report, gender);
        var gn = d.Run("gender_none");
        var ga = d.Run("gender_all");
        report.Paragraph($"""
            {GapSays(gn.FinalGap, ga.FinalGap, gn.FinalValidError, d.ValidationClips)} {ValidSays(gn.FinalValidError, ga.FinalValidError, d.ValidationClips)}
            {PitchSays(ga.FinalValidError, d.Find("gender_nostretch")?.FinalValidError, d.ValidationClips)}
            With {s.ValidationVariants.Length} validation variants the gender error moves in steps of whole voices: treat it as a
            coarse measurement.
            """);
        report.Paragraph("""
            **Answer to Q7.** Useful label-preserving augmentations for Jane: random time shifts and crops of the recording;
            added background noise and room reverberation at random SNRs (recordings differ in microphone and place);
            random gain; small speed changes (time stretch without pitch change); SpecAugment masks on the spectrogram; mixing
            two clips of the same class. A pitch shift must be small for her task: pitch is itself the main cue of a speaker's
            gender, so a large shift can turn one label into the other — augmentations must leave the label unchanged. They
            regularise because they enlarge the training set with the variations the model must be invariant to, so the
            network cannot reach zero training error by memorising the few clips it has, and the gap between training and
            validation error should shrink — the sentences under each table say whether it did here.
            """);
        foreach (var x in d.Runs)
            report.Metric($"{x.Key}_valid_error", x.FinalValidError).Metric($"{x.Key}_gap", x.FinalGap).Metric($"{x.Key}_train_error", x.FinalTrainError);
        report.Metric("audio_train_clips", d.TrainClips).Metric("audio_valid_clips", d.ValidationClips);
    }

    private static void CurvesFigure(LabReport report, string file, string title, IReadOnlyList<AugmentationRun> runs, string caption)
    {
        var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = "error (%)", IntegerXTicks = true };
        foreach (var x in runs)
        {
            chart.Add($"{x.Task}, {x.Label}: training", x.Curves.TrainError.Select(v => 100 * v).ToArray());
            chart.Add($"{x.Task}, {x.Label}: validation", x.Curves.ValidError.Select(v => 100 * v).ToArray());
        }
        chart.SavePng(report.PathOf(file));
        report.Figure(file, caption);
    }

    private static void GapFigure(LabReport report, string file, string title, IReadOnlyList<AugmentationRun> runs)
    {
        var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = "validation − training error (percentage points)", IntegerXTicks = true };
        foreach (var x in runs) chart.Add($"{x.Task}, {x.Label}", x.Gap.Select(v => 100 * v).ToArray());
        chart.SavePng(report.PathOf(file));
        report.Figure(file, "The train/validation gap per epoch (the overfitting that augmentation is meant to reduce).");
    }

    private static string Pct(double v) => CnnLabTraining.Pct(v);

    /// <summary>What augmentation did to the final gap: narrowed, widened, or left it within the tolerance — one
    /// percentage point, or two standard errors of the difference of two validation errors near <paramref name="plainValid"/>
    /// on <paramref name="n"/> items when that is larger (a change of a clip or two is not a finding).</summary>
    public static string GapSays(double plainGap, double augGap, double plainValid = 0, int n = int.MaxValue)
    {
        if (double.IsNaN(plainGap) || double.IsNaN(augGap)) return "The gaps cannot be compared (a value is missing).";
        double se = CnnLabTraining.StandardError(plainValid, n);
        double tol = Math.Max(0.01, double.IsNaN(se) ? 0 : 2 * Math.Sqrt(2) * se);
        if (Math.Abs(plainGap - augGap) <= tol)
            return $"Augmentation leaves the final train/validation gap about where it was ({Pct(plainGap)} without, {Pct(augGap)} with; within {100 * tol:0.#} percentage point{(tol > 0.0105 ? "s" : "")}).";
        return augGap < plainGap
            ? $"Augmentation narrows the final train/validation gap from {Pct(plainGap)} to {Pct(augGap)}: it acts as a regulariser."
            : $"Augmentation widens the final train/validation gap from {Pct(plainGap)} to {Pct(augGap)}: here it does not regularise.";
    }

    /// <summary>Whether the validation error moved by more than two standard errors (binomial, n validation items each).</summary>
    public static string ValidSays(double plain, double aug, int n)
    {
        if (double.IsNaN(plain) || double.IsNaN(aug)) return "The validation errors cannot be compared (a value is missing).";
        if (!CnnLabTraining.ClearlyDifferent(plain, n, aug, n))
            return $"The validation error changes from {Pct(plain)} to {Pct(aug)}, within two standard errors on {n:N0} items: no clear difference.";
        return aug < plain
            ? $"The validation error falls from {Pct(plain)} to {Pct(aug)} (more than two standard errors on {n:N0} items)."
            : $"The validation error rises from {Pct(plain)} to {Pct(aug)} (more than two standard errors on {n:N0} items).";
    }

    /// <summary>Whether the unaugmented network fitted its training set and what augmentation did to that (the
    /// memorisation sentence only when the plain run did fit, training error ≤ 0.5 %, and the augmented one did not).</summary>
    public static string FitSays(double plainTrain, double augTrain)
    {
        string a = plainTrain <= 0.005
            ? $"Without augmentation the network fits its training set almost perfectly (training error {Pct(plainTrain)})"
            : $"Without augmentation the training error ends at {Pct(plainTrain)}";
        string b = plainTrain <= 0.005 && augTrain > plainTrain + 0.005
            ? $"; with augmentation it stays higher ({Pct(augTrain)}): the model can no longer memorise the exact examples."
            : $"; with augmentation it ends at {Pct(augTrain)}.";
        return a + b;
    }

    /// <summary>The best single augmentation and whether it alone clearly beats no augmentation (empty without ablation rows).</summary>
    public static string AblationSays(IReadOnlyList<(string Label, double ValidError)> singles, double none, int n)
    {
        var valid = singles.Where(x => !double.IsNaN(x.ValidError)).ToList();
        if (valid.Count == 0) return "";
        double e = valid.Min(x => x.ValidError);
        var bests = valid.Where(x => x.ValidError == e).Select(x => x.Label).ToList();
        string best = bests.Count == 1 ? bests[0] : $"{string.Join(", ", bests.SkipLast(1))} and {bests[^1]} (tied)";
        int helping = valid.Count(x => x.ValidError < none && CnnLabTraining.ClearlyDifferent(x.ValidError, n, none, n));
        return $"Alone, the most useful augmentation is the {best} ({Pct(e)} validation error against {Pct(none)} with none); " +
               $"{helping} of {valid.Count} single augmentations lower the validation error by more than two standard errors.";
    }

    /// <summary>Gender: all augmentations with and without the speed/pitch change (empty when that run was not made).</summary>
    public static string PitchSays(double withStretch, double? withoutStretch, int n)
    {
        if (withoutStretch is not double w || double.IsNaN(w) || double.IsNaN(withStretch)) return "";
        if (!CnnLabTraining.ClearlyDifferent(withStretch, n, w, n))
            return $"Dropping the speed/pitch change from the gender run ({Pct(w)} validation error, against {Pct(withStretch)} with it) makes no clear difference: at this size the resampling keeps the label.";
        return w < withStretch
            ? $"Without the speed/pitch change the gender run does better ({Pct(w)} validation error, against {Pct(withStretch)} with it): changing the pitch blurs the very cue of the label."
            : $"The gender run does worse without the speed/pitch change ({Pct(w)} validation error, against {Pct(withStretch)} with it): at this size the pitch change still preserves the label and helps.";
    }
}
