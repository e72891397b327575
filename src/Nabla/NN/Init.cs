
namespace Nabla.NN;

/// <summary>
/// Weight initialisers that fill a tensor in place (like <c>torch.nn.init</c>) and return it. Fans of a weight
/// [out, in, k...]: fan_in = in·Πk, fan_out = out·Πk. Random draws come from <c>generator</c> (null = the global one).
/// </summary>
public static class Init
{
    /// <summary>(fan_in, fan_out) of a weight [out, in, k...]: (in·Πk, out·Πk) (PyTorch's <c>_calculate_fan_in_and_fan_out</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="w"/> has rank below 2</exception>
    public static (int FanIn, int FanOut) Fans(Tensor w)
    {
        if (w.Rank < 2) throw new ArgumentException($"Init: fan in/out need a tensor of rank >= 2, got shape {ShapeUtil.Format(w.Shape)}");
        int receptive = 1;
        for (int d = 2; d < w.Rank; d++) receptive *= w.Size(d);
        return (w.Size(1) * receptive, w.Size(0) * receptive);
    }

    /// <summary>w = 0 (<c>nn.init.zeros_</c>).</summary>
    public static Tensor Zeros_(Tensor t) => t.Fill_(0);

    /// <summary>w = <paramref name="value"/> (<c>nn.init.constant_</c>).</summary>
    public static Tensor Constant_(Tensor t, double value) => t.Fill_(value);

    /// <summary>w ~ N(mean, std²) (<c>nn.init.normal_</c>, same defaults).</summary>
    public static Tensor Normal_(Tensor t, double mean = 0, double std = 1, Generator? generator = null) =>
        t.CopyFrom_(Tensor.Randn(t.Shape.ToArray(), mean, std, t.DType, generator));

    /// <summary>w ~ U(low, high) (<c>nn.init.uniform_</c>, same defaults).</summary>
    public static Tensor Uniform_(Tensor t, double low = 0, double high = 1, Generator? generator = null) =>
        t.CopyFrom_(Tensor.Rand(t.Shape.ToArray(), low, high, t.DType, generator));

    /// <summary>Glorot/Xavier uniform: w ~ U(−d, d), d = gain·√(6/(fan_in + fan_out)) (<c>nn.init.xavier_uniform_</c>).</summary>
    public static Tensor XavierUniform_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = Fans(t);
        double d = gain * Math.Sqrt(6.0 / (fi + fo));
        return Uniform_(t, -d, d, generator);
    }

    /// <summary>Glorot/Xavier normal: w ~ N(0, σ²), σ = gain·√(2/(fan_in + fan_out)) (<c>nn.init.xavier_normal_</c>).</summary>
    public static Tensor XavierNormal_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = Fans(t);
        return Normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
    }

    /// <summary>Recommended gain for a nonlinearity (<c>nn.init.calculate_gain</c>): 1 for linear, conv and sigmoid,
    /// 5/3 for tanh, √2 for ReLU, √(2/(1 + param²)) for leaky ReLU with negative slope <paramref name="param"/>
    /// (PyTorch's default 0.01), 3/4 for SELU.</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double param = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv1d or Nonlinearity.Conv2d or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.ReLU => Math.Sqrt(2),
        Nonlinearity.LeakyReLU => Math.Sqrt(2 / (1 + param * param)),
        Nonlinearity.SELU => 0.75,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "CalculateGain: not a defined Nonlinearity"),
    };

    /// <summary>He/Kaiming uniform: w ~ U(−b, b), b = gain·√(3/fan), gain = CalculateGain(nonlinearity, a), fan by
    /// <paramref name="mode"/> (<c>nn.init.kaiming_uniform_</c>, same defaults: a = 0, fan_in, leaky ReLU).</summary>
    /// <param name="t">the weight, rank ≥ 2</param>
    /// <param name="a">negative slope of the leaky ReLU that follows (used only with <see cref="Nonlinearity.LeakyReLU"/>)</param>
    /// <param name="mode">which fan keeps its variance</param>
    /// <param name="nonlinearity">the activation after this layer</param>
    /// <param name="generator">random source; null = the global generator</param>
    public static Tensor KaimingUniform_(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(t, mode));
        double b = Math.Sqrt(3) * std;
        return Uniform_(t, -b, b, generator);
    }

    /// <summary>He/Kaiming normal: w ~ N(0, σ²), σ = gain/√fan (<c>nn.init.kaiming_normal_</c>, same defaults).</summary>
    /// <param name="t">the weight, rank ≥ 2</param>
    /// <param name="a">negative slope of the leaky ReLU that follows (used only with <see cref="Nonlinearity.LeakyReLU"/>)</param>
    /// <param name="mode">which fan keeps its variance</param>
    /// <param name="nonlinearity">the activation after this layer</param>
    /// <param name="generator">random source; null = the global generator</param>
    public static Tensor KaimingNormal_(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null) =>
        Normal_(t, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(t, mode)), generator);

    private static int Fan(Tensor t, FanMode mode)
    {
        var (fi, fo) = Fans(t);
        return mode switch
        {
            FanMode.FanIn => fi,
            FanMode.FanOut => fo,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Init: not a defined FanMode"),
        };
    }

    /// <summary>
    /// Identity filters (<c>nn.init.dirac_</c> with groups 1): w[d, d, centre…] = 1 for d &lt; min(out, in), 0 elsewhere, the
    /// centre being k/2 (integer division) along each kernel dim; a convolution with "same" padding then copies its first
    /// min(out, in) input channels. Works on a view (e.g. <c>w.Narrow(0, 0, in)</c>, as airbench initialises only the
    /// first in-channel filters of a widening conv).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="t"/> has rank below 3 or above 5</exception>
    public static Tensor Dirac_(Tensor t)
    {
        if (t.Rank is < 3 or > 5) throw new ArgumentException($"Init.Dirac_: needs a weight [out, in, k…] of rank 3 to 5, got shape {ShapeUtil.Format(t.Shape)}");
        var shape = t.Shape.ToArray();
        var identity = Tensor.Zeros(shape, t.DType);
        var index = new int[shape.Length];
        for (int k = 2; k < shape.Length; k++) index[k] = shape[k] / 2;
        for (int d = 0; d < Math.Min(shape[0], shape[1]); d++)
        {
            index[0] = index[1] = d;
            identity.SetAt(1, index);
        }
        return t.CopyFrom_(identity);
    }

    /// <summary>Applies a scheme: zeros, N(0, 1), U(−1, 1), Xavier (gain 1) or Kaiming for ReLU with fan_in — what the
    /// CLI's <c>--init</c> maps onto (parse its text with <see cref="InitSchemes.Parse"/>).</summary>
    public static Tensor Apply_(Tensor t, InitScheme scheme, Generator? generator = null) => scheme switch
    {
        InitScheme.Zeros => Zeros_(t),
        InitScheme.Normal => Normal_(t, 0, 1, generator),
        InitScheme.Uniform => Uniform_(t, -1, 1, generator),
        InitScheme.XavierUniform => XavierUniform_(t, 1, generator),
        InitScheme.XavierNormal => XavierNormal_(t, 1, generator),
        InitScheme.KaimingUniform => KaimingUniform_(t, 0, FanMode.FanIn, Nonlinearity.ReLU, generator),
        InitScheme.KaimingNormal => KaimingNormal_(t, 0, FanMode.FanIn, Nonlinearity.ReLU, generator),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Init: not a defined InitScheme"),
    };
}
