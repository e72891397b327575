
namespace Nabla.NN;

/// <summary>
/// Weight initialisers that fill a tensor in place (like <c>torch.nn.init</c>). Fans of a weight [out, in, k...]:
/// fan_in = in·Πk, fan_out = out·Πk.
/// </summary>
public static class Init
{
    public static (int FanIn, int FanOut) Fans(Tensor w)
    {
        if (w.Rank < 2) throw new ArgumentException($"Init: fan in/out need a tensor of rank >= 2, got shape {ShapeUtil.Format(w.Shape)}");
        int receptive = 1;
        for (int d = 2; d < w.Rank; d++) receptive *= w.Size(d);
        return (w.Size(1) * receptive, w.Size(0) * receptive);
    }

    public static Tensor Zeros_(Tensor t) => t.Fill_(0);

    public static Tensor Constant_(Tensor t, double value) => t.Fill_(value);

    /// <summary>w ~ N(mean, std²).</summary>
    public static Tensor Normal_(Tensor t, double mean = 0, double std = 1, Generator? generator = null) =>
        t.CopyFrom_(Tensor.Randn(t.Shape.ToArray(), mean, std, t.DType, generator));

    /// <summary>w ~ U(low, high).</summary>
    public static Tensor Uniform_(Tensor t, double low = 0, double high = 1, Generator? generator = null) =>
        t.CopyFrom_(Tensor.Rand(t.Shape.ToArray(), low, high, t.DType, generator));

    /// <summary>Glorot/Xavier uniform: w ~ U(−d, d), d = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = Fans(t);
        double d = gain * Math.Sqrt(6.0 / (fi + fo));
        return Uniform_(t, -d, d, generator);
    }

    /// <summary>Glorot/Xavier normal: w ~ N(0, σ²), σ = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = Fans(t);
        return Normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
    }

    /// <summary>Recommended gain for a nonlinearity ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu").</summary>
    public static double CalculateGain(string nonlinearity, double param = 0.01) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2),
        "leaky_relu" => Math.Sqrt(2 / (1 + param * param)),
        "selu" => 0.75,
        _ => throw new ArgumentException($"CalculateGain: unknown nonlinearity '{nonlinearity}'"),
    };

    /// <summary>He/Kaiming uniform: w ~ U(−b, b), b = gain·√(3/fan), gain = CalculateGain(nonlinearity, a);
    /// fan = fan_in (mode "fan_in") or fan_out.</summary>
    public static Tensor KaimingUniform_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(t, mode));
        double b = Math.Sqrt(3) * std;
        return Uniform_(t, -b, b, generator);
    }

    /// <summary>He/Kaiming normal: w ~ N(0, σ²), σ = gain/√fan.</summary>
    public static Tensor KaimingNormal_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal_(t, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(t, mode)), generator);

    private static int Fan(Tensor t, string mode)
    {
        var (fi, fo) = Fans(t);
        return mode switch
        {
            "fan_in" => fi,
            "fan_out" => fo,
            _ => throw new ArgumentException($"Init: mode must be 'fan_in' or 'fan_out', got '{mode}'"),
        };
    }

    /// <summary>Applies a named scheme ("zeros", "normal", "uniform", "xavier_uniform"/"glorot", "xavier_normal",
    /// "kaiming_uniform"/"he", "kaiming_normal") — what the CLI's --init maps onto.</summary>
    public static Tensor Apply_(Tensor t, string scheme, Generator? generator = null) => scheme.ToLowerInvariant() switch
    {
        "zeros" or "zero" => Zeros_(t),
        "normal" => Normal_(t, 0, 1, generator),
        "uniform" => Uniform_(t, -1, 1, generator),
        "xavier_uniform" or "glorot" or "glorot_uniform" or "xavier" => XavierUniform_(t, 1, generator),
        "xavier_normal" or "glorot_normal" => XavierNormal_(t, 1, generator),
        "kaiming_uniform" or "he" or "he_uniform" => KaimingUniform_(t, 0, "fan_in", "relu", generator),
        "kaiming_normal" or "he_normal" => KaimingNormal_(t, 0, "fan_in", "relu", generator),
        _ => throw new ArgumentException($"Init: unknown scheme '{scheme}' (zeros, normal, uniform, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal)"),
    };
}
