namespace Nabla;

/// <summary>The form of GELU computed (PyTorch's <c>approximate="none"</c> / <c>"tanh"</c>, plus the course's sigmoid form).</summary>
public enum GeluApproximation
{
    /// <summary>Exact: y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) (<c>"none"</c>).</summary>
    None,
    /// <summary>y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (<c>"tanh"</c>).</summary>
    Tanh,
    /// <summary>y = x·σ(1.702x) (<c>"sigmoid"</c>; not in PyTorch).</summary>
    Sigmoid,
}

/// <summary>The text forms of <see cref="GeluApproximation"/> (PyTorch's and ONNX's <c>approximate</c> attribute).</summary>
public static class GeluApproximations
{
    /// <summary>Parses <c>"none"</c>, <c>"tanh"</c> or <c>"sigmoid"</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">any other string; the message lists the valid values</exception>
    public static GeluApproximation Parse(string name) => name?.ToLowerInvariant() switch
    {
        "none" => GeluApproximation.None,
        "tanh" => GeluApproximation.Tanh,
        "sigmoid" => GeluApproximation.Sigmoid,
        _ => throw new ArgumentException($"unknown GELU approximation '{name}'; valid values: none, tanh, sigmoid", nameof(name)),
    };

    /// <summary>The text form of <paramref name="value"/> (the inverse of <see cref="Parse"/>).</summary>
    public static string Name(this GeluApproximation value) => value switch
    {
        GeluApproximation.None => "none",
        GeluApproximation.Tanh => "tanh",
        GeluApproximation.Sigmoid => "sigmoid",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "not a defined GeluApproximation"),
    };
}
