namespace Nabla.Labs;

/// <summary>
/// Log-mel features of a waveform, written out: frames of <see cref="NFft"/> samples every <see cref="Hop"/> samples
/// (no centring padding: frames = 1 + (len − NFft)/Hop), a periodic Hann window w[n] = ½ − ½cos(2πn/NFft), the power
/// spectrum |X[k]|² of a radix-2 FFT (k = 0..NFft/2), an HTK-mel triangular filterbank (mel = 2595·log10(1 + f/700),
/// filters of peak 1 without area normalisation, as torchaudio's <c>melscale_fbanks(norm=None, mel_scale="htk")</c>)
/// and ln(mel energy + floor) (1e-6 unless given). Output [NMels, frames], row-major by mel bin.
/// </summary>
public sealed class LogMel
{
    /// <summary>The default floor added before the logarithm (a silent frame gives ln 1e-6 ≈ −13.8).</summary>
    public const double DefaultFloor = 1e-6;

    private readonly double[] _window;
    private readonly double[,] _filters;   // [freq bin, mel]
    private readonly int[] _first, _last;  // the non-zero bins of each filter

    public LogMel(int sampleRate, int nFft, int hop, int nMels, double fMin = 0, double? fMax = null, double floor = DefaultFloor)
    {
        if (!(floor > 0)) throw new ArgumentException($"LogMel: the log floor must be positive, got {floor}");
        Floor = floor;
        if (nFft < 2 || (nFft & (nFft - 1)) != 0) throw new ArgumentException($"LogMel: n_fft must be a power of two ≥ 2, got {nFft}");
        if (hop < 1 || nMels < 1 || sampleRate < 1) throw new ArgumentException($"LogMel: hop ({hop}), mel bins ({nMels}) and sample rate ({sampleRate}) must be positive");
        double top = fMax ?? sampleRate / 2.0;
        if (!(fMin >= 0 && fMin < top && top <= sampleRate / 2.0))
            throw new ArgumentException($"LogMel: need 0 ≤ f_min < f_max ≤ sample rate/2, got f_min {fMin}, f_max {top}, sample rate {sampleRate}");
        (SampleRate, NFft, Hop, NMels) = (sampleRate, nFft, hop, nMels);
        _window = HannWindow(nFft);
        _filters = MelFilterbank(nFft / 2 + 1, fMin, top, nMels, sampleRate);
        _first = new int[nMels];
        _last = new int[nMels];
        for (int m = 0; m < nMels; m++)
        {
            _first[m] = 0;
            _last[m] = -1;
            for (int k = 0; k <= nFft / 2; k++)
                if (_filters[k, m] > 0)
                {
                    if (_last[m] < 0) _first[m] = k;
                    _last[m] = k;
                }
        }
    }

    public int SampleRate { get; }
    public int NFft { get; }
    public int Hop { get; }
    public int NMels { get; }

    /// <summary>Added to every mel energy before the logarithm: ln(e + Floor).</summary>
    public double Floor { get; }

    /// <summary>Frames of a signal of <paramref name="samples"/> samples (0 when shorter than one window).</summary>
    public int Frames(int samples) => samples < NFft ? 0 : 1 + (samples - NFft) / Hop;

    /// <summary>ln(mel energies + <see cref="Floor"/>) of <paramref name="signal"/>, [NMels, Frames] row-major.</summary>
    public float[] Compute(ReadOnlySpan<float> signal)
    {
        int frames = Frames(signal.Length), bins = NFft / 2 + 1;
        var output = new float[NMels * frames];
        var re = new double[NFft];
        var im = new double[NFft];
        var power = new double[bins];
        for (int t = 0; t < frames; t++)
        {
            for (int n = 0; n < NFft; n++)
            {
                re[n] = signal[t * Hop + n] * _window[n];
                im[n] = 0;
            }
            Fft(re, im);
            for (int k = 0; k < bins; k++) power[k] = re[k] * re[k] + im[k] * im[k];
            for (int m = 0; m < NMels; m++)
            {
                double e = 0;
                for (int k = _first[m]; k <= _last[m]; k++) e += _filters[k, m] * power[k];
                output[m * frames + t] = (float)Math.Log(e + Floor);
            }
        }
        return output;
    }

    /// <summary>The filterbank as [frequency bin, mel] (a copy).</summary>
    public double[,] Filters => (double[,])_filters.Clone();

    /// <summary>HTK mel of a frequency in Hz: 2595·log10(1 + f/700).</summary>
    public static double HzToMel(double hz) => 2595 * Math.Log10(1 + hz / 700);

    /// <summary>The inverse of <see cref="HzToMel"/>: 700·(10^(mel/2595) − 1).</summary>
    public static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>Periodic Hann window of length <paramref name="n"/> (torch.hann_window's default).</summary>
    public static double[] HannWindow(int n)
    {
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
        return w;
    }

    /// <summary>
    /// Triangular filters [nFreqs, nMels]: bin k has frequency k·(sr/2)/(nFreqs − 1); nMels + 2 points equally spaced
    /// in mel between f_min and f_max give the left edge, peak and right edge of each filter;
    /// weight = max(0, min((f − left)/(peak − left), (right − f)/(right − peak))).
    /// </summary>
    public static double[,] MelFilterbank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate)
    {
        var pts = new double[nMels + 2];
        double m0 = HzToMel(fMin), m1 = HzToMel(fMax);
        for (int i = 0; i < pts.Length; i++) pts[i] = MelToHz(m0 + (m1 - m0) * i / (nMels + 1));
        var fb = new double[nFreqs, nMels];
        for (int k = 0; k < nFreqs; k++)
        {
            double f = nFreqs == 1 ? 0 : sampleRate / 2.0 * k / (nFreqs - 1);
            for (int m = 0; m < nMels; m++)
            {
                double down = (f - pts[m]) / (pts[m + 1] - pts[m]), up = (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1]);
                fb[k, m] = Math.Max(0, Math.Min(down, up));
            }
        }
        return fb;
    }

    /// <summary>In-place iterative radix-2 Cooley–Tukey DFT: X[k] = Σ_n x[n]·e^(−2πikn/N) (numpy.fft.fft's sign and
    /// scale). The length must be a power of two.</summary>
    public static void Fft(double[] re, double[] im)
    {
        int n = re.Length;
        if (im.Length != n || n == 0 || (n & (n - 1)) != 0) throw new ArgumentException($"Fft: lengths {re.Length} and {im.Length} must be equal powers of two");
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        var cos = new double[n / 2];
        var sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++)
        {
            cos[k] = Math.Cos(-2 * Math.PI * k / n);
            sin[k] = Math.Sin(-2 * Math.PI * k / n);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            int step = n / len;   // e^(−2πik/len) = twiddle[k·n/len]
            for (int i = 0; i < n; i += len)
                for (int k = 0; k < len / 2; k++)
                {
                    double c = cos[k * step], s = sin[k * step];
                    int a = i + k, b = a + len / 2;
                    double xr = re[b] * c - im[b] * s, xi = re[b] * s + im[b] * c;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
        }
    }
}
