namespace Nabla;

/// <summary>Nonlinearity of an Elman RNN (PyTorch's nonlinearity="tanh"|"relu") or of an LSTM's cell output.</summary>
public enum RecurrentActivation
{
    Tanh,
    Relu,
}

public static class RecurrentActivations
{
    /// <summary>"tanh" or "relu" (PyTorch's spelling) → the enum; anything else is an ArgumentException.</summary>
    public static RecurrentActivation Parse(string nonlinearity) => nonlinearity.ToLowerInvariant() switch
    {
        "tanh" => RecurrentActivation.Tanh,
        "relu" => RecurrentActivation.Relu,
        _ => throw new ArgumentException($"RNN: unknown nonlinearity '{nonlinearity}' (expected 'tanh' or 'relu')"),
    };

    public static string Name(this RecurrentActivation a) => a == RecurrentActivation.Relu ? "relu" : "tanh";
}
