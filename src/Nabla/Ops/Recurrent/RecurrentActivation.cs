namespace Nabla;

/// <summary>Nonlinearity of an Elman RNN (PyTorch's nonlinearity="tanh"|"relu") or of an LSTM's cell output.</summary>
public enum RecurrentActivation
{
    /// <summary>tanh (the default).</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
}

/// <summary>Text ↔ <see cref="RecurrentActivation"/> at the CLI and settings boundary (PyTorch's spelling).</summary>
public static class RecurrentActivations
{
    /// <summary>"tanh" or "relu" (PyTorch's spelling) → the enum; anything else is an ArgumentException.</summary>
    public static RecurrentActivation Parse(string nonlinearity) => nonlinearity.ToLowerInvariant() switch
    {
        "tanh" => RecurrentActivation.Tanh,
        "relu" => RecurrentActivation.Relu,
        _ => throw new ArgumentException($"RNN: unknown nonlinearity '{nonlinearity}' (expected 'tanh' or 'relu')"),
    };

    /// <summary>PyTorch's spelling of <paramref name="a"/>: "tanh" or "relu".</summary>
    public static string Name(this RecurrentActivation a) => a == RecurrentActivation.Relu ? "relu" : "tanh";
}
