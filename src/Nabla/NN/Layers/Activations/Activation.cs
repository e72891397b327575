namespace Nabla.NN;

/// <summary>Activation modules by name, for command lines and configuration files.</summary>
public static class Activation
{
    public static readonly string[] Names = ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "softplus", "gelu", "gelu_sigmoid", "gelu_tanh", "identity"];

    public static Module FromName(string name) => name.ToLowerInvariant() switch
    {
        "relu" => new ReLU(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "leaky_relu" or "leakyrelu" => new LeakyReLU(),
        "elu" => new ELU(),
        "softplus" => new Softplus(),
        "gelu" => new GELU(),
        "gelu_sigmoid" => new GELU("sigmoid"),
        "gelu_tanh" => new GELU("tanh"),
        "identity" or "linear" or "none" => new Identity(),
        _ => throw new ArgumentException($"unknown activation '{name}'; choose from {string.Join(", ", Names)}"),
    };
}
