using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>One audio run to make: the task (digit or gender), its row label and key, and the augmentation.</summary>
public sealed record AudioRunSpec(string Task, string Label, string Key, AudioAugmentation Augmentation);

public sealed partial class AugmentationLab
{
    /// <summary>STFT of the audio part: 512-sample windows (23 ms at 22,050 Hz) every 220 samples (10 ms).</summary>
    public const int NFft = 512, Hop = 220;

    /// <summary>Highest mel frequency, Hz.</summary>
    public const double FMax = 8000;

    /// <summary>Floor of the log-mel energies: ln(e + 0.01). Synthesised speech has digital silence (energy 0); with the
    /// default 1e-6 floor any added noise would change the pauses by ten log units, which no real recording with its own
    /// noise floor shows.</summary>
    public const double LogFloor = 1e-2;

    /// <summary>The runs of part 2: per task without and with every augmentation; with <paramref name="ablation"/> also
    /// each augmentation alone (digits) and all but the speed/pitch change (gender: a pitch change can cross the boundary
    /// between a low female and a high male voice, so it may not preserve the label).</summary>
    public static List<AudioRunSpec> AudioPlan(AugmentationSettings s)
    {
        var all = new AudioAugmentation(s.Stretch, true, s.NoiseProbability, s.SnrMinDb, s.SnrMaxDb, s.FreqMask, s.TimeMask);
        var none = AudioAugmentation.None;
        var plan = new List<AudioRunSpec>
        {
            new("digit", "none", "digit_none", none),
            new("digit", "all four", "digit_all", all),
        };
        if (s.Ablation)
        {
            plan.Add(new("digit", "time shift only", "digit_shift", none with { Shift = true }));
            plan.Add(new("digit", "background noise only", "digit_noise", none with { NoiseProbability = s.NoiseProbability, SnrMinDb = s.SnrMinDb, SnrMaxDb = s.SnrMaxDb }));
            plan.Add(new("digit", "speed/pitch change only", "digit_stretch", none with { Stretch = s.Stretch }));
            plan.Add(new("digit", "SpecAugment masks only", "digit_masks", none with { FreqMask = s.FreqMask, TimeMask = s.TimeMask }));
        }
        plan.Add(new("gender", "none", "gender_none", none));
        plan.Add(new("gender", "all four", "gender_all", all));
        if (s.Ablation) plan.Add(new("gender", "all but speed/pitch change", "gender_nostretch", all with { Stretch = 0 }));
        return plan;
    }

    private static AudioStudy RunAudio(AugmentationSettings s, LabKit kit)
    {
        string folder = kit.PathOf("spoken-digits");
        var train = SpokenDigits.Synthesize(folder, s.Accents, s.TrainVariants, s.Speeds, s.Pitches, kit.Out);
        var valid = SpokenDigits.Synthesize(folder, s.Accents, s.ValidationVariants, s.Speeds, s.Pitches, kit.Out);
        int rate = train[0].SampleRate;
        if (train.Concat(valid).Any(c => c.SampleRate != rate))
            throw new InvalidOperationException($"part 2: the synthesised clips do not share one sample rate ({rate} Hz expected)");
        var features = new AudioFeatures(new LogMel(rate, NFft, Hop, s.Mels, 0, Math.Min(FMax, rate / 2.0), LogFloor), (int)Math.Round(s.WindowSeconds * rate));
        features.Fit(train);
        var seconds = train.Concat(valid).Select(c => (double)c.Samples.Length / rate).ToList();
        kit.Out.WriteLine($"part 2: {train.Count} training clips ({train.Select(c => c.Speaker).Distinct().Count()} voices), {valid.Count} validation clips " +
                          $"({valid.Select(c => c.Speaker).Distinct().Count()} unseen voices); words {seconds.Average():F2} s on average, at most {seconds.Max():F2} s; " +
                          $"features {s.Mels} × {features.Frames}");
        var clean = new Dictionary<string, (Tensor X, Tensor Y)>();
        (Tensor X, Tensor Y) Clean(IReadOnlyList<SpokenClip> clips, string task, string which)
        {
            string key = $"{which}/{task}";
            if (!clean.TryGetValue(key, out var t)) clean[key] = t = AudioTensors(clips, Enumerable.Range(0, clips.Count).ToArray(), task, features, AudioAugmentation.None, null);
            return t;
        }

        var runs = new List<AugmentationRun>();
        long digitParameters = 0;
        foreach (var spec in AudioPlan(s))
        {
            int classes = spec.Task == "digit" ? 10 : 2;
            var model = AudioCnn(s.Mels, s.Channels, classes, kit.Generator(201));   // the same initial weights in every run of a task
            if (spec.Task == "digit") digitParameters = model.ParameterCount();
            var opt = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
            var fit = Clean(train, spec.Task, "train");
            var val = Clean(valid, spec.Task, "valid");
            IEnumerable<(Tensor, Tensor)> Epoch(int epoch)
            {
                var g = new Generator(kit.Seed * 1_000_003 + 7919 * (ulong)(epoch + 1) + 202);
                var order = g.Permutation(train.Count);
                for (int b = 0; b < order.Length; b += s.BatchSize)
                {
                    var idx = order.AsSpan(b, Math.Min(s.BatchSize, order.Length - b)).ToArray();
                    yield return spec.Augmentation.IsNone
                        ? (fit.X.IndexSelect(0, Tensor.FromArray(idx, idx.Length)), fit.Y.IndexSelect(0, Tensor.FromArray(idx, idx.Length)))
                        : AudioTensors(train, idx, spec.Task, features, spec.Augmentation, g);
                }
            }
            var curves = CnnTraining.Fit(model, opt, null, Epoch, s.AudioEpochs, kit.Seed + 203, fit, val, kit.Out, spec.Key);
            runs.Add(new AugmentationRun(spec.Task, spec.Label, spec.Key, !spec.Augmentation.IsNone, curves));
        }
        return new AudioStudy(train.Count, valid.Count, train.Select(c => c.Speaker).Distinct().Count(), valid.Select(c => c.Speaker).Distinct().Count(),
            rate, seconds.Average(), seconds.Max(), features.Frames, digitParameters, runs, folder);
    }

    /// <summary>Features [n, mels, frames] and labels [n] (the digit, or 1 = female) of the clips at <paramref name="idx"/>.</summary>
    public static (Tensor X, Tensor Y) AudioTensors(IReadOnlyList<SpokenClip> clips, int[] idx, string task, AudioFeatures features,
        AudioAugmentation aug, Generator? g)
    {
        int size = features.Size;
        var x = new float[idx.Length * size];
        var y = new int[idx.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            var c = clips[idx[i]];
            features.Make(c, aug, g, x.AsSpan(i * size, size));
            y[i] = task == "digit" ? c.Digit : c.Female ? 1 : 0;
        }
        return (Tensor.FromArray(x, idx.Length, features.LogMel.NMels, features.Frames), Tensor.FromArray(y, idx.Length));
    }
}
