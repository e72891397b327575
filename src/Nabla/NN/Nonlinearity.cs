namespace Nabla.NN;

/// <summary>
/// The nonlinearity whose recommended gain <see cref="Init.CalculateGain"/> returns (PyTorch's
/// <c>torch.nn.init.calculate_gain(nonlinearity)</c>, whose strings are the <see cref="Nonlinearities.Name"/> of each value).
/// </summary>
public enum Nonlinearity
{
    /// <summary>Identity (<c>"linear"</c>): gain 1.</summary>
    Linear,
    /// <summary>A 1-d convolution without activation (<c>"conv1d"</c>): gain 1.</summary>
    Conv1d,
    /// <summary>A 2-d convolution without activation (<c>"conv2d"</c>): gain 1.</summary>
    Conv2d,
    /// <summary>Logistic sigmoid (<c>"sigmoid"</c>): gain 1.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent (<c>"tanh"</c>): gain 5/3.</summary>
    Tanh,
    /// <summary>Rectified linear unit (<c>"relu"</c>): gain √2.</summary>
    ReLU,
    /// <summary>Leaky ReLU with negative slope a (<c>"leaky_relu"</c>): gain √(2/(1 + a²)).</summary>
    LeakyReLU,
    /// <summary>Scaled ELU (<c>"selu"</c>): gain 3/4.</summary>
    SELU,
}

/// <summary>PyTorch's strings for <see cref="Nonlinearity"/>, for configuration files and command lines.</summary>
public static class Nonlinearities
{
    private static readonly (Nonlinearity, string, string[])[] Table =
    [
        (Nonlinearity.Linear, "linear", ["identity"]), (Nonlinearity.Conv1d, "conv1d", []), (Nonlinearity.Conv2d, "conv2d", []),
        (Nonlinearity.Sigmoid, "sigmoid", []), (Nonlinearity.Tanh, "tanh", []), (Nonlinearity.ReLU, "relu", []),
        (Nonlinearity.LeakyReLU, "leaky_relu", ["leakyrelu"]), (Nonlinearity.SELU, "selu", []),
    ];

    /// <summary>Parses PyTorch's spelling (<c>"linear"</c>, <c>"conv1d"</c>, <c>"conv2d"</c>, <c>"sigmoid"</c>,
    /// <c>"tanh"</c>, <c>"relu"</c>, <c>"leaky_relu"</c>, <c>"selu"</c>; case-insensitive).</summary>
    /// <exception cref="ArgumentException">any other string; the message lists the valid values</exception>
    public static Nonlinearity Parse(string name) => OptionNames.Parse(name, "nonlinearity", Table);

    /// <summary>PyTorch's string for <paramref name="value"/> (the inverse of <see cref="Parse"/>).</summary>
    public static string Name(this Nonlinearity value) => OptionNames.Name(value, Table);
}
