using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

/// <summary>A [Fact] skipped, with the reason and the install command shown, when espeak-ng is not on PATH
/// (.ci/run installs it).</summary>
public sealed class RequiresEspeakFactAttribute : FactAttribute
{
    public RequiresEspeakFactAttribute()
    {
        if (Espeak.Problem is string reason) Skip = reason;
    }
}

public class LogMelTests
{
    [Fact]
    public void Fft_matches_numpy_on_eight_points()
    {
        // numpy.fft.fft([0.5, -1.25, 2.0, 0.75, -0.5, 3.0, -2.25, 1.0])
        double[] re = [0.5, -1.25, 2.0, 0.75, -0.5, 3.0, -2.25, 1.0], im = new double[8];
        LogMel.Fft(re, im);
        double[] nre = [3.25, -1.8284271247461903, 0.25, 3.8284271247461903, -3.75, 3.8284271247461903, 0.25, -1.8284271247461903];
        double[] nim = [0.0, -1.0680194846605358, 0.0, 7.431980515339465, 0.0, -7.431980515339465, 0.0, 1.0680194846605358];
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal(nre[k], re[k], 12);
            Assert.Equal(nim[k], im[k], 12);
        }
        Assert.Throws<ArgumentException>(() => LogMel.Fft(new double[6], new double[6]));
    }

    [Fact]
    public void Fft_equals_the_dft_sum_on_512_points()
    {
        var g = new Generator(5);
        double[] x = Enumerable.Range(0, 512).Select(_ => g.NextGaussian()).ToArray(), y = Enumerable.Range(0, 512).Select(_ => g.NextGaussian()).ToArray();
        double[] re = (double[])x.Clone(), im = (double[])y.Clone();
        LogMel.Fft(re, im);
        foreach (int k in new[] { 0, 1, 7, 100, 255, 256, 257, 511 })
        {
            double sr = 0, si = 0;
            for (int n = 0; n < 512; n++)
            {
                double a = -2 * Math.PI * k * n / 512;
                sr += x[n] * Math.Cos(a) - y[n] * Math.Sin(a);
                si += x[n] * Math.Sin(a) + y[n] * Math.Cos(a);
            }
            Assert.Equal(sr, re[k], 9);
            Assert.Equal(si, im[k], 9);
        }
    }

    [Fact]
    public void Mel_scale_and_filterbank_match_the_htk_formula_computed_with_numpy()
    {
        Assert.Equal(2595 * Math.Log10(2), LogMel.HzToMel(700), 12);
        Assert.Equal(1234.5, LogMel.MelToHz(LogMel.HzToMel(1234.5)), 9);
        // numpy, torchaudio.functional.melscale_fbanks' algorithm (mel_scale="htk", norm=None): 33 bins, 6 mels, 0–8 kHz, sr 16 kHz.
        var fb = LogMel.MelFilterbank(33, 0, 8000, 6, 16000);
        var expected = new Dictionary<int, double[]>
        {
            [1] = [0.8241840682744861, 0, 0, 0, 0, 0],
            [3] = [0, 0.9809080049127972, 0.019091995087202877, 0, 0, 0],
            [5] = [0, 0.17856063034184405, 0.8214393696581559, 0, 0, 0],
            [8] = [0, 0, 0.2849091643554756, 0.7150908356445244, 0, 0],
            [12] = [0, 0, 0, 0.4176851943144497, 0.5823148056855503, 0],
            [20] = [0, 0, 0, 0, 0.20151389428421118, 0.7984861057157888],
            [31] = [0, 0, 0, 0, 0, 0.09504929284967199],
        };
        foreach (var (k, row) in expected)
            for (int m = 0; m < 6; m++) Assert.Equal(row[m], fb[k, m], 12);
    }

    [Fact]
    public void Log_mel_of_a_test_signal_matches_numpy()
    {
        // numpy: periodic Hann, |rfft|², the filterbank above, ln(· + 1e-6); 200 float32 samples, n_fft 64, hop 24.
        var sig = Enumerable.Range(0, 200).Select(n => (float)(0.3 * Math.Sin(2 * Math.PI * 1000 * n / 16000) + 0.1 * Math.Cos(2 * Math.PI * 3000 * n / 16000 + 0.2)
                                                           + 0.05 * Math.Sin(0.37 * n * n / 200.0))).ToArray();
        var lm = new LogMel(16000, 64, 24, 6);
        Assert.Equal(6, lm.Frames(200));
        var s = lm.Compute(sig);
        var expected = new Dictionary<int, double[]>
        {
            [0] = [-0.4064793959409386, 3.0245159183769843, 2.678309793673608, 0.4724611533220865, 0.8047265442889773, -13.807801064849551],
            [3] = [-5.037555124471506, 2.9404953850692896, 2.614632507683507, 0.4733002876246607, 0.8047269155627129, -13.809125621974866],
            [5] = [-10.18679802337269, 3.014005297467003, 2.6826134950047953, 0.546297839369448, 0.8047136694130058, -13.761833389779863],
        };
        foreach (var (t, col) in expected)
            for (int m = 0; m < 6; m++) Assert.Equal(col[m], s[m * 6 + t], 3);   // float32 output
        Assert.Equal(0, lm.Frames(63));
        Assert.Throws<ArgumentException>(() => new LogMel(16000, 100, 10, 6));
        Assert.Throws<ArgumentException>(() => new LogMel(16000, 64, 10, 6, fMin: 0, fMax: 9000));
    }
}

public class AudioAugmentTests
{
    [Fact]
    public void Resample_interpolates_linearly()
    {
        float[] ramp = [0, 1, 2, 3, 4, 5, 6];
        Assert.Equal([0f, 2, 4, 6], AudioAugment.Resample(ramp, 2));
        Assert.Equal([0f, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4, 4.5f, 5, 5.5f, 6], AudioAugment.Resample(ramp, 0.5));
        Assert.Equal([0f, 1.5f, 3, 4.5f, 6], AudioAugment.Resample(ramp, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioAugment.Resample(ramp, 0));
    }

    [Fact]
    public void Resampling_a_tone_moves_its_frequency_by_the_factor()
    {
        // 1 kHz at 16 kHz, resampled by 1.25 → 1.25 kHz: the spectrum's peak moves from bin 32 to bin 40 of a 512-point FFT.
        var tone = Enumerable.Range(0, 4000).Select(n => (float)Math.Sin(2 * Math.PI * 1000 * n / 16000)).ToArray();
        Assert.Equal(32, PeakBin(tone));
        Assert.Equal(40, PeakBin(AudioAugment.Resample(tone, 1.25)));

        static int PeakBin(float[] x)
        {
            var w = LogMel.HannWindow(512);
            double[] re = Enumerable.Range(0, 512).Select(i => x[i] * w[i]).ToArray(), im = new double[512];
            LogMel.Fft(re, im);
            return Enumerable.Range(0, 257).MaxBy(k => re[k] * re[k] + im[k] * im[k]);
        }
    }

    [Fact]
    public void Place_pads_and_cuts()
    {
        float[] x = [1, 2, 3];
        Assert.Equal([0f, 1, 2, 3, 0], AudioAugment.Place(x, 5, 1));
        Assert.Equal([2f, 3, 0, 0], AudioAugment.Place(x, 4, -1));
        Assert.Equal([0f, 0, 0, 1], AudioAugment.Place(x, 4, 3));
        Assert.Equal(1, AudioAugment.CentreOffset(3, 5));
    }

    [Fact]
    public void Noise_has_the_requested_snr()
    {
        var x = new float[200_000];
        AudioAugment.AddNoise(x, snrDb: 10, signalPower: 0.5, new Generator(3));
        Assert.Equal(0.05, AudioAugment.Power(x), 3);   // 0.5 / 10^(10/10)
    }

    [Fact]
    public void Masks_cover_at_most_the_widths_asked_and_fill_whole_bands()
    {
        var g = new Generator(9);
        int widest = 0;
        for (int trial = 0; trial < 50; trial++)
        {
            var s = Enumerable.Repeat(1f, 8 * 20).ToArray();
            AudioAugment.Mask(s, 8, 20, maxF: 3, maxT: 5, fill: 0, g);
            var rowsMasked = Enumerable.Range(0, 8).Count(m => s.AsSpan(m * 20, 20).ToArray().All(v => v == 0));
            var colsMasked = Enumerable.Range(0, 20).Count(t => Enumerable.Range(0, 8).All(m => s[m * 20 + t] == 0));
            Assert.InRange(rowsMasked, 0, 3);
            Assert.InRange(colsMasked, 0, 5);
            // Every zero lies in a fully masked row or column.
            for (int m = 0; m < 8; m++)
                for (int t = 0; t < 20; t++)
                    if (s[m * 20 + t] == 0)
                        Assert.True(s.AsSpan(m * 20, 20).ToArray().All(v => v == 0) || Enumerable.Range(0, 8).All(r => s[r * 20 + t] == 0));
            widest = Math.Max(widest, colsMasked);
        }
        Assert.Equal(5, widest);   // the full width is reached in 50 draws
        Assert.Throws<ArgumentException>(() => AudioAugment.Mask(new float[10], 3, 4, 1, 1, 0, g));
    }

    [Fact]
    public void Trim_drops_leading_and_trailing_silence()
    {
        Assert.Equal([0.5f, 0, -1f], SpokenDigits.Trim([0, 0.001f, 0.5f, 0, -1f, 0.01f, 0]));
        Assert.Equal([0f, 0], SpokenDigits.Trim([0, 0]));
    }
}

public class AugmentationSaysTests
{
    [Fact]
    public void Gap_and_validation_sentences_follow_the_numbers()
    {
        Assert.Contains("narrows the final train/validation gap from 5.00 % to 2.00 %", AugmentationLab.GapSays(0.05, 0.02));
        Assert.Contains("widens", AugmentationLab.GapSays(0.02, 0.05));
        Assert.Contains("about where it was", AugmentationLab.GapSays(0.05, 0.045));
        // 3 of 360 clips against none: a 1.1-point change of the gap is within two standard errors (1.4 points).
        Assert.Contains("about where it was", AugmentationLab.GapSays(0.0083, -0.0028, 0.0083, 360));
        Assert.Contains("narrows", AugmentationLab.GapSays(0.0636, 0.0406, 0.0636, 5000));
        Assert.Contains("falls from 10.00 % to 5.00 %", AugmentationLab.ValidSays(0.10, 0.05, 1000));
        Assert.Contains("rises", AugmentationLab.ValidSays(0.05, 0.10, 1000));
        Assert.Contains("no clear difference", AugmentationLab.ValidSays(0.10, 0.09, 100));
        Assert.Contains("fits its training set almost perfectly", AugmentationLab.FitSays(0, 0.03));
        Assert.Contains("stays higher", AugmentationLab.FitSays(0, 0.03));
        Assert.DoesNotContain("stays higher", AugmentationLab.FitSays(0.1, 0.1));
        Assert.DoesNotContain("memorise", AugmentationLab.FitSays(0.8, 0.9));   // neither run fitted: nothing was memorised
    }

    [Fact]
    public void Ablation_and_pitch_sentences_follow_the_numbers()
    {
        Assert.Equal("", AugmentationLab.AblationSays([], 0.2, 500));
        string a = AugmentationLab.AblationSays([("time shift only", 0.10), ("background noise only", 0.19), ("masks only", 0.05)], 0.2, 500);
        Assert.Contains("the masks only (5.00 %", a);
        Assert.Contains("2 of 3 single augmentations", a);
        Assert.Contains("the time shift only and masks only (tied) (0.00 %", AugmentationLab.AblationSays([("time shift only", 0), ("noise only", 0.01), ("masks only", 0)], 0.01, 300));
        Assert.Equal("", AugmentationLab.PitchSays(0.1, null, 100));
        Assert.Contains("does better (2.00 %", AugmentationLab.PitchSays(0.2, 0.02, 500));
        Assert.Contains("does worse", AugmentationLab.PitchSays(0.02, 0.2, 500));
        Assert.Contains("no clear difference", AugmentationLab.PitchSays(0.10, 0.11, 100));
    }

    [Fact]
    public void Audio_settings_are_checked_before_anything_runs()
    {
        var lab = new AugmentationLab();
        var e = Assert.Throws<InvalidOperationException>(() => AugmentationLab.CheckAudio(lab.Quick, Espeak.ProblemWith("/nonexistent-folder/espeak-ng")));
        Assert.Contains("apt-get install -y espeak-ng", e.Message);
        Assert.Contains("--set audio=false", e.Message);
        var overlap = lab.Quick with { ValidationVariants = ["m5", "F1"] };
        Assert.Contains("f1", Assert.Throws<ArgumentException>(() => AugmentationLab.CheckAudio(overlap, null)).Message);
        Assert.Throws<ArgumentException>(() => AugmentationLab.CheckAudio(lab.Quick with { Speeds = [] }, null));
        Assert.Contains("snr-min-db", Assert.Throws<ArgumentException>(() => AugmentationLab.CheckAudio(lab.Quick with { SnrMinDb = 40 }, null)).Message);
        AugmentationLab.CheckAudio(lab.Full, null);
        Assert.Empty(lab.Full.TrainVariants.Intersect(lab.Full.ValidationVariants));
        // Both genders on both sides of the split.
        foreach (var side in new[] { lab.Full.TrainVariants, lab.Full.ValidationVariants, lab.Quick.TrainVariants, lab.Quick.ValidationVariants })
        {
            Assert.Contains(side, v => SpokenDigits.FemaleVariants.Contains(v));
            Assert.Contains(side, v => !SpokenDigits.FemaleVariants.Contains(v));
        }
        Assert.Equal(["digit_none", "digit_all", "gender_none", "gender_all"], AugmentationLab.AudioPlan(lab.Quick).Select(p => p.Key));
        Assert.Equal(9, AugmentationLab.AudioPlan(lab.Full).Count);
        Assert.True(AugmentationLab.AudioPlan(lab.Full).Single(p => p.Key == "gender_nostretch").Augmentation is { Stretch: 0, Shift: true });
    }

    [Fact]
    public void Audio_cnn_maps_mels_by_frames_to_logits()
    {
        var model = AugmentationLab.AudioCnn(20, 8, 10, new Generator(1));
        var y = model.Forward(Tensor.Randn([3, 20, 98], generator: new Generator(2)));
        Assert.Equal([3, 10], y.Shape.ToArray());
        Assert.Throws<ArgumentException>(() => new TimeMean().Forward(Tensor.Zeros([2, 3])));
    }
}

public class AugmentationLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-aug-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_image_part_writes_curves_and_gap()
    {
        var r = new AugmentationLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["audio"] = "false" }));
        foreach (var f in new[] { "report.md", "results.json", "image_curves.png", "image_gap.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var m = r.Metrics;
        Assert.InRange(m["image_plain_valid_error"], 0, 1);
        Assert.Equal(m["image_plain_valid_error"] - m["image_plain_train_error"], m["image_plain_gap"], 12);
        Assert.False(m.ContainsKey("digit_none_valid_error"));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("Part 1", md);
        Assert.DoesNotContain("Part 2", md);
        Assert.Contains("No horizontal flip", md);
    }

    [RequiresEspeakFact]
    public void Quick_audio_part_synthesises_reads_and_trains_on_unseen_voices()
    {
        var r = new AugmentationLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["images"] = "false" }));
        foreach (var f in new[] { "report.md", "audio_digit_curves.png", "audio_gap.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        // 4 training voices and 2 validation voices × 10 words × 1 rate × 1 pitch, each a WAV file that the library reads.
        var wavs = Directory.GetFiles(Path.Combine(_dir, "spoken-digits"), "*.wav");
        Assert.Equal(60, wavs.Length);
        Assert.All(wavs.Take(3), w => Assert.Equal(22050, Nabla.IO.Wav.Read(w).SampleRate));
        var m = r.Metrics;
        Assert.Equal(40, m["audio_train_clips"]);
        Assert.Equal(20, m["audio_valid_clips"]);
        foreach (var key in new[] { "digit_none", "digit_all", "gender_none", "gender_all" })
            Assert.InRange(m[$"{key}_valid_error"], 0, 1);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("Part 2", md);
        Assert.Contains("Answer to Q7", md);
        Assert.DoesNotContain("Part 1", md);
    }
}
