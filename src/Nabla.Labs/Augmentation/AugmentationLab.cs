using System.Diagnostics;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>Sizes and augmentations of the augmentation lab (part 1: MNIST images; part 2: synthesised spoken digits).</summary>
public sealed record AugmentationSettings
{
    [Setting("run part 1 (MNIST images; needs the MNIST files)")] public bool Images { get; init; }
    [Setting("(1) training images (the first of the 50k training part)", Min = 10, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("(1) validation images (the first of the 10k held out)", Min = 10, Max = 10_000)] public int ValidationImages { get; init; }
    [Setting("(1) epochs of each image CNN", Min = 1, Max = 500)] public int ImageEpochs { get; init; }
    [Setting("(1) random shift: pad every side by this many pixels and crop 28×28 back (RandomCrop)", Min = 0, Max = 10)] public int ShiftPixels { get; init; }
    [Setting("(1) random zoom: smallest area fraction of RandomResizedCrop (1 = off)", Min = 0.1, Max = 1)] public double CropScaleMin { get; init; }

    [Setting("run part 2 (spoken digits; needs espeak-ng)")] public bool Audio { get; init; }
    [Setting("(2) espeak-ng accents (-v language); every accent is said by every variant")] public string[] Accents { get; init; } = [];
    [Setting("(2) voice variants of the training speakers")] public string[] TrainVariants { get; init; } = [];
    [Setting("(2) voice variants of the validation speakers (unseen in training)")] public string[] ValidationVariants { get; init; } = [];
    [Setting("(2) speaking rates (-s, words per minute)", Min = 80, Max = 450)] public int[] Speeds { get; init; } = [];
    [Setting("(2) pitches (-p, 0–99)", Min = 0, Max = 99)] public int[] Pitches { get; init; } = [];
    [Setting("(2) epochs of each audio CNN", Min = 1, Max = 500)] public int AudioEpochs { get; init; }
    [Setting("(2) channels of every Conv1d layer", Min = 2, Max = 512)] public int Channels { get; init; }
    [Setting("(2) mel bins (the Conv1d input channels)", Min = 4, Max = 128)] public int Mels { get; init; }
    [Setting("(2) window every word is placed in, seconds", Min = 0.1, Max = 5)] public double WindowSeconds { get; init; }
    [Setting("(2) speed/pitch change: resampling factor drawn from 1 ± this", Min = 0, Max = 0.5)] public double Stretch { get; init; }
    [Setting("(2) probability of adding white background noise", Min = 0, Max = 1)] public double NoiseProbability { get; init; }
    [Setting("(2) lowest signal-to-noise ratio of the noise, dB", Min = -20, Max = 60)] public double SnrMinDb { get; init; }
    [Setting("(2) highest signal-to-noise ratio of the noise, dB", Min = -20, Max = 60)] public double SnrMaxDb { get; init; }
    [Setting("(2) SpecAugment: widest frequency mask, mel bins", Min = 0, Max = 128)] public int FreqMask { get; init; }
    [Setting("(2) SpecAugment: widest time mask, frames", Min = 0, Max = 500)] public int TimeMask { get; init; }
    [Setting("(2) also train with each augmentation alone (digits) and without the speed/pitch change (gender)")] public bool Ablation { get; init; }

    [Setting("mini-batch size of every run", Min = 1, Max = 4096)] public int BatchSize { get; init; }
    [Setting("Adam learning rate of every run", Min = 1e-6, Max = 1)] public double LearningRate { get; init; }
}

/// <summary>One training run: what it learned, with which augmentation, and its per-epoch curves.</summary>
public sealed record AugmentationRun(string Task, string Label, string Key, bool Augmented, EpochCurves Curves)
{
    /// <summary>Validation error − training error (clean training set, eval mode) after the last epoch.</summary>
    public double FinalGap => Curves.ValidError[^1] - Curves.TrainError[^1];

    public double FinalValidError => Curves.ValidError[^1];

    public double FinalTrainError => Curves.TrainError[^1];

    /// <summary>Gap per epoch.</summary>
    public double[] Gap => Curves.ValidError.Zip(Curves.TrainError, (v, t) => v - t).ToArray();
}

/// <summary>Part 1: the image CNN with and without augmentation.</summary>
public sealed record ImageStudy(int TrainCount, int ValidationCount, long Parameters, string Augmentation, AugmentationRun Plain, AugmentationRun Augmented);

/// <summary>Part 2: the data set that was synthesised and the audio runs.</summary>
public sealed record AudioStudy(int TrainClips, int ValidationClips, int TrainSpeakers, int ValidationSpeakers, int SampleRate,
    double MeanSeconds, double MaxSeconds, int Frames, long DigitParameters, IReadOnlyList<AugmentationRun> Runs, string Folder)
{
    public AugmentationRun Run(string key) => Runs.Single(r => r.Key == key);

    public AugmentationRun? Find(string key) => Runs.SingleOrDefault(r => r.Key == key);
}

/// <summary>What the lab measured (a part that was switched off is null).</summary>
public sealed record AugmentationResult(ImageStudy? Images, AudioStudy? Audio, double Seconds);

/// <summary>
/// Workbook Q7 (data augmentation as a regulariser; Jane's small set of speech recordings to be classified by speaker
/// gender) answered by experiment. Part 1: a small CNN on 1,000 MNIST images with and without random shifts and zooms,
/// training and validation error per epoch. Part 2: a spoken-digit set synthesised with espeak-ng (several accents,
/// voice variants, rates and pitches), read as WAV, turned into log-mel features and classified by a 1-d CNN with and
/// without audio augmentation (time shift, background noise, speed/pitch change by resampling, SpecAugment masks),
/// validated on voices never heard in training; the same network also learns Q7's own task, the speaker's gender.
/// </summary>
public sealed partial class AugmentationLab : Lab<AugmentationSettings, AugmentationResult>
{
    public override string Name => "augmentation";

    public override string Description => "augmentation as a regulariser: MNIST CNN with/without shifts; spoken digits (espeak-ng) by a 1-d CNN with/without audio augmentation";

    public override string Title => "Data augmentation as a regulariser (Workbook Q7): images and synthesised speech";

    public override AugmentationSettings Quick => new()
    {
        Images = true, TrainImages = 200, ValidationImages = 200, ImageEpochs = 2, ShiftPixels = 3, CropScaleMin = 0.8,
        Audio = true, Accents = ["en-us"], TrainVariants = ["m1", "f1", "m3", "f3"], ValidationVariants = ["m5", "f5"],
        Speeds = [175], Pitches = [50], AudioEpochs = 2, Channels = 8, Mels = 20, WindowSeconds = 1.0,
        Stretch = 0.12, NoiseProbability = 0.5, SnrMinDb = 10, SnrMaxDb = 30, FreqMask = 4, TimeMask = 10, Ablation = false,
        BatchSize = 32, LearningRate = 1e-3,
    };

    public override AugmentationSettings Full => new()
    {
        Images = true, TrainImages = 1000, ValidationImages = 5000, ImageEpochs = 40, ShiftPixels = 3, CropScaleMin = 0.8,
        Audio = true, Accents = ["en-us", "en-gb", "en-gb-scotland"],
        TrainVariants = ["m1", "m2", "m3", "m4", "adam", "john", "f1", "f2", "f3", "f4", "Alicia", "Annie"],
        ValidationVariants = ["m5", "m6", "max", "f5", "Andrea", "belinda"],
        Speeds = [140, 190], Pitches = [50], AudioEpochs = 20, Channels = 48, Mels = 40, WindowSeconds = 1.0,
        Stretch = 0.12, NoiseProbability = 0.5, SnrMinDb = 10, SnrMaxDb = 30, FreqMask = 6, TimeMask = 15, Ablation = true,
        BatchSize = 32, LearningRate = 1e-3,
    };

    public override AugmentationResult Experiment(AugmentationSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        if (!s.Images && !s.Audio) throw new ArgumentException("lab 'augmentation': both parts are switched off (--set images=false and audio=false)");
        // Fail before any training when the audio part cannot run.
        if (s.Audio) CheckAudio(s, Espeak.Problem);
        var images = s.Images ? RunImages(s, kit) : null;
        var audio = s.Audio ? RunAudio(s, kit) : null;
        return new AugmentationResult(images, audio, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Throws when part 2 cannot run: espeak-ng missing (<paramref name="espeakProblem"/>, with the install hint),
    /// an empty list of accents, variants, rates or pitches, or a variant among both the training and the validation voices.</summary>
    public static void CheckAudio(AugmentationSettings s, string? espeakProblem)
    {
        if (espeakProblem is not null)
            throw new InvalidOperationException($"lab 'augmentation', part 2: {espeakProblem} (or skip the part with --set audio=false)");
        if (s.TrainVariants.Length == 0 || s.ValidationVariants.Length == 0 || s.Accents.Length == 0 || s.Speeds.Length == 0 || s.Pitches.Length == 0)
            throw new ArgumentException("lab 'augmentation', part 2: accents, train-variants, validation-variants, speeds and pitches must each name at least one value");
        if (s.SnrMinDb > s.SnrMaxDb)
            throw new ArgumentException($"lab 'augmentation', part 2: snr-min-db ({s.SnrMinDb}) is above snr-max-db ({s.SnrMaxDb})");
        var overlap = s.TrainVariants.Intersect(s.ValidationVariants, StringComparer.OrdinalIgnoreCase).ToList();
        if (overlap.Count > 0)
            throw new ArgumentException($"lab 'augmentation', part 2: variant(s) {string.Join(", ", overlap)} are among both the training and the validation voices; the split must be by speaker");
    }

    /// <summary>The image CNN: two 3×3 same-padded conv+ReLU+2×2-maxpool stages (16, 32 channels), a 64-unit hidden layer,
    /// 10 logits (no dropout or batch norm, so augmentation is the only regulariser).</summary>
    public static Sequential ImageCnn(Generator g) => new(
        new Conv2d(1, 16, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(32 * 7 * 7, 64, generator: g), new ReLU(), new Linear(64, 10, generator: g));

    /// <summary>The 1-d CNN over time: the mel bins are the input channels; Conv1d k5 → BN → ReLU, Conv1d k5 stride 2 →
    /// BN → ReLU, Conv1d k3 stride 2 → BN → ReLU, the mean over time, a linear layer to <paramref name="classes"/> logits.
    /// Input [N, mels, frames].</summary>
    public static Sequential AudioCnn(int mels, int channels, int classes, Generator g) => new(
        new Conv1d(mels, channels, 5, padding: 2, generator: g), new BatchNorm1d(channels), new ReLU(),
        new Conv1d(channels, channels, 5, stride: 2, padding: 2, generator: g), new BatchNorm1d(channels), new ReLU(),
        new Conv1d(channels, channels, 3, stride: 2, padding: 1, generator: g), new BatchNorm1d(channels), new ReLU(),
        new TimeMean(), new Linear(channels, classes, generator: g));
}

/// <summary>Global average pooling over the last dim: [N, C, L] → [N, C].</summary>
public sealed class TimeMean : Module
{
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 3) throw new ArgumentException($"TimeMean: expected [N, C, L], got [{string.Join(", ", input.Shape.ToArray())}]");
        return input.Mean(2);
    }
}
