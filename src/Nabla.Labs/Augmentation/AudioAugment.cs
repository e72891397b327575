
namespace Nabla.Labs;

/// <summary>The audio augmentations of one training pass, each off when its amount is 0: speed/pitch change by
/// resampling with a factor r ~ U[1 − <see cref="Stretch"/>, 1 + <see cref="Stretch"/>]; a random time shift (the word
/// placed anywhere in the fixed window instead of in its centre); white background noise at an SNR ~ U[<see cref="SnrMinDb"/>,
/// <see cref="SnrMaxDb"/>] dB with probability <see cref="NoiseProbability"/>; SpecAugment-style masks of up to
/// <see cref="FreqMask"/> mel bins and up to <see cref="TimeMask"/> frames.</summary>
public sealed record AudioAugmentation(double Stretch, bool Shift, double NoiseProbability, double SnrMinDb, double SnrMaxDb, int FreqMask, int TimeMask)
{
    /// <summary>No augmentation at all.</summary>
    public static AudioAugmentation None { get; } = new(0, false, 0, 0, 0, 0, 0);

    public bool IsNone => Stretch == 0 && !Shift && NoiseProbability == 0 && FreqMask == 0 && TimeMask == 0;
}

/// <summary>Waveform and spectrogram operations of the audio part (all randomness from the caller's generator).</summary>
public static class AudioAugment
{
    /// <summary>Resamples by linear interpolation: y[i] = x(i·<paramref name="factor"/>), length ⌊(len − 1)/factor⌋ + 1.
    /// Played at the original rate, factor &gt; 1 is faster and higher-pitched (both by the factor).</summary>
    public static float[] Resample(ReadOnlySpan<float> x, double factor)
    {
        if (!(factor > 0)) throw new ArgumentOutOfRangeException(nameof(factor), $"Resample: factor must be positive, got {factor}");
        if (x.Length == 0) return [];
        int n = (int)Math.Floor((x.Length - 1) / factor) + 1;
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = i * factor;
            int j = (int)t;
            double f = t - j;
            y[i] = j + 1 < x.Length ? (float)((1 - f) * x[j] + f * x[j + 1]) : x[j];
        }
        return y;
    }

    /// <summary>Copies <paramref name="x"/> into a zero window of <paramref name="length"/> samples starting at
    /// <paramref name="offset"/> (negative: the start of x is cut; past the end: the end is cut).</summary>
    public static float[] Place(ReadOnlySpan<float> x, int length, int offset)
    {
        var y = new float[length];
        for (int i = Math.Max(0, -offset); i < x.Length && i + offset < length; i++) y[i + offset] = x[i];
        return y;
    }

    /// <summary>The centred offset of a clip of <paramref name="clip"/> samples in a window of <paramref name="length"/>.</summary>
    public static int CentreOffset(int clip, int length) => (length - clip) / 2;

    /// <summary>Adds white Gaussian noise of power <paramref name="signalPower"/> / 10^(snr/10) to <paramref name="x"/>
    /// (the signal power is the word's mean square, not the padded window's).</summary>
    public static void AddNoise(Span<float> x, double snrDb, double signalPower, Generator g)
    {
        double sigma = Math.Sqrt(signalPower / Math.Pow(10, snrDb / 10));
        for (int i = 0; i < x.Length; i++) x[i] += (float)(sigma * g.NextGaussian());
    }

    /// <summary>Mean square of <paramref name="x"/>.</summary>
    public static double Power(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += (double)v * v;
        return x.Length == 0 ? 0 : s / x.Length;
    }

    /// <summary>SpecAugment masks on a [mels, frames] row-major spectrogram: a band of f ~ U{0..maxF} mel bins starting at
    /// f0 ~ U{0..mels − f} and a span of t ~ U{0..maxT} frames starting at t0 ~ U{0..frames − t} are set to
    /// <paramref name="fill"/>.</summary>
    public static void Mask(Span<float> spec, int mels, int frames, int maxF, int maxT, float fill, Generator g)
    {
        if (spec.Length != mels * frames) throw new ArgumentException($"Mask: {spec.Length} values are not {mels} × {frames}");
        if (maxF > 0)
        {
            int f = g.NextInt(Math.Min(maxF, mels) + 1), f0 = g.NextInt(mels - f + 1);
            for (int m = f0; m < f0 + f; m++) spec.Slice(m * frames, frames).Fill(fill);
        }
        if (maxT > 0)
        {
            int t = g.NextInt(Math.Min(maxT, frames) + 1), t0 = g.NextInt(frames - t + 1);
            for (int m = 0; m < mels; m++) spec.Slice(m * frames + t0, t).Fill(fill);
        }
    }
}

/// <summary>
/// Waveform → model input of the audio part: the word (optionally resampled) placed in a window of
/// <see cref="WindowSamples"/>, optional noise, <see cref="LogMel"/>, per-mel-bin standardisation with the training
/// clips' statistics, optional masks (filled with 0 = the bin's training mean). Output [NMels, Frames].
/// </summary>
public sealed class AudioFeatures(LogMel logMel, int windowSamples)
{
    private float[] _mean = [], _std = [];

    public LogMel LogMel { get; } = logMel;
    public int WindowSamples { get; } = windowSamples;
    public int Frames => LogMel.Frames(WindowSamples);
    public int Size => LogMel.NMels * Frames;

    /// <summary>Per-bin mean and std of the clean, centred training clips' log-mels (must be called before <see cref="Make"/>).</summary>
    public void Fit(IReadOnlyList<SpokenClip> train)
    {
        int mels = LogMel.NMels, frames = Frames;
        var sum = new double[mels];
        var sq = new double[mels];
        foreach (var c in train)
        {
            var s = LogMel.Compute(AudioAugment.Place(c.Samples, WindowSamples, AudioAugment.CentreOffset(c.Samples.Length, WindowSamples)));
            for (int m = 0; m < mels; m++)
                for (int t = 0; t < frames; t++)
                {
                    double v = s[m * frames + t];
                    sum[m] += v;
                    sq[m] += v * v;
                }
        }
        double n = (double)train.Count * frames;
        _mean = sum.Select(v => (float)(v / n)).ToArray();
        _std = sum.Zip(sq, (s, q) => (float)Math.Sqrt(Math.Max(q / n - s / n * (s / n), 1e-8))).ToArray();
    }

    /// <summary>The features of <paramref name="clip"/> into <paramref name="output"/> (length <see cref="Size"/>),
    /// augmented as <paramref name="aug"/> says (<paramref name="g"/> may be null for <see cref="AudioAugmentation.None"/>).</summary>
    public void Make(SpokenClip clip, AudioAugmentation aug, Generator? g, Span<float> output)
    {
        if (_mean.Length == 0) throw new InvalidOperationException("AudioFeatures.Fit must run before Make");
        if (!aug.IsNone) ArgumentNullException.ThrowIfNull(g);
        var word = aug.Stretch > 0 ? AudioAugment.Resample(clip.Samples, 1 + aug.Stretch * (2 * g!.NextDouble() - 1)) : clip.Samples;
        int offset = aug.Shift && word.Length < WindowSamples ? g!.NextInt(WindowSamples - word.Length + 1) : AudioAugment.CentreOffset(word.Length, WindowSamples);
        var x = AudioAugment.Place(word, WindowSamples, offset);
        if (aug.NoiseProbability > 0 && g!.NextDouble() < aug.NoiseProbability)
            AudioAugment.AddNoise(x, aug.SnrMinDb + (aug.SnrMaxDb - aug.SnrMinDb) * g.NextDouble(), AudioAugment.Power(word), g);
        var s = LogMel.Compute(x);
        int mels = LogMel.NMels, frames = Frames;
        for (int m = 0; m < mels; m++)
            for (int t = 0; t < frames; t++) s[m * frames + t] = (s[m * frames + t] - _mean[m]) / _std[m];
        if (aug.FreqMask > 0 || aug.TimeMask > 0) AudioAugment.Mask(s, mels, frames, aug.FreqMask, aug.TimeMask, 0, g!);
        s.CopyTo(output);
    }
}
