namespace Nabla.NN;

/// <summary>A weight initialisation applied by <see cref="Init.Apply_(Tensor, InitScheme, Generator?)"/>
/// (the values of the CLI's <c>--init</c>).</summary>
public enum InitScheme
{
    /// <summary>w = 0 (<c>"zeros"</c>).</summary>
    Zeros,
    /// <summary>w ~ N(0, 1) (<c>"normal"</c>).</summary>
    Normal,
    /// <summary>w ~ U(−1, 1) (<c>"uniform"</c>).</summary>
    Uniform,
    /// <summary>Glorot uniform, gain 1 (<c>"xavier_uniform"</c>; aliases glorot, glorot_uniform, xavier).</summary>
    XavierUniform,
    /// <summary>Glorot normal, gain 1 (<c>"xavier_normal"</c>; alias glorot_normal).</summary>
    XavierNormal,
    /// <summary>He uniform for ReLU, fan_in (<c>"kaiming_uniform"</c>; aliases he, he_uniform).</summary>
    KaimingUniform,
    /// <summary>He normal for ReLU, fan_in (<c>"kaiming_normal"</c>; alias he_normal).</summary>
    KaimingNormal,
}

/// <summary>The text forms of <see cref="InitScheme"/> (the CLI's <c>--init</c> and the <c>config.json</c> it writes).</summary>
public static class InitSchemes
{
    private static readonly (InitScheme, string, string[])[] Table =
    [
        (InitScheme.Zeros, "zeros", ["zero"]), (InitScheme.Normal, "normal", []), (InitScheme.Uniform, "uniform", []),
        (InitScheme.XavierUniform, "xavier_uniform", ["glorot", "glorot_uniform", "xavier"]),
        (InitScheme.XavierNormal, "xavier_normal", ["glorot_normal"]),
        (InitScheme.KaimingUniform, "kaiming_uniform", ["he", "he_uniform"]),
        (InitScheme.KaimingNormal, "kaiming_normal", ["he_normal"]),
    ];

    /// <summary>The canonical names, in declaration order (for help texts).</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(r => r.Item2).ToArray();

    /// <summary>Parses a canonical name or alias (case-insensitive).</summary>
    /// <exception cref="ArgumentException">any other string; the message lists the valid values</exception>
    public static InitScheme Parse(string name) => OptionNames.Parse(name, "init scheme", Table);

    /// <summary>The canonical name of <paramref name="value"/> (the inverse of <see cref="Parse"/>).</summary>
    public static string Name(this InitScheme value) => OptionNames.Name(value, Table);
}
