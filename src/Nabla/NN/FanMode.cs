namespace Nabla.NN;

/// <summary>
/// Which fan the Kaiming initialisers scale by (PyTorch's <c>mode="fan_in"</c> / <c>"fan_out"</c>). For a weight
/// [out, in, k...], fan_in = in·Πk and fan_out = out·Πk (see <see cref="Init.Fans"/>).
/// </summary>
public enum FanMode
{
    /// <summary>Keep the variance of the forward activations (<c>"fan_in"</c>, PyTorch's default).</summary>
    FanIn,
    /// <summary>Keep the variance of the backward gradients (<c>"fan_out"</c>).</summary>
    FanOut,
}

/// <summary>PyTorch's strings for <see cref="FanMode"/>.</summary>
public static class FanModes
{
    private static readonly (FanMode, string, string[])[] Table = [(FanMode.FanIn, "fan_in", ["fanin"]), (FanMode.FanOut, "fan_out", ["fanout"])];

    /// <summary>Parses <c>"fan_in"</c> or <c>"fan_out"</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">any other string; the message lists the valid values</exception>
    public static FanMode Parse(string name) => OptionNames.Parse(name, "fan mode", Table);

    /// <summary>PyTorch's string for <paramref name="value"/> (the inverse of <see cref="Parse"/>).</summary>
    public static string Name(this FanMode value) => OptionNames.Name(value, Table);
}
