namespace Nabla.NN;

/// <summary>The activation modules that <see cref="Activation.Create"/> builds (the hidden-layer activation of
/// <see cref="Models.MlpOptions"/>, <see cref="Models.CnnOptions"/> and <see cref="Models.AutoencoderOptions"/>).</summary>
public enum ActivationFunction
{
    /// <summary><see cref="NN.ReLU"/> (<c>"relu"</c>).</summary>
    ReLU,
    /// <summary><see cref="NN.Sigmoid"/> (<c>"sigmoid"</c>).</summary>
    Sigmoid,
    /// <summary><see cref="NN.Tanh"/> (<c>"tanh"</c>).</summary>
    Tanh,
    /// <summary><see cref="NN.LeakyReLU"/> with slope 0.01 (<c>"leaky_relu"</c>).</summary>
    LeakyReLU,
    /// <summary><see cref="NN.ELU"/> with α = 1 (<c>"elu"</c>).</summary>
    ELU,
    /// <summary><see cref="NN.Softplus"/> with β = 1 (<c>"softplus"</c>).</summary>
    Softplus,
    /// <summary><see cref="NN.GELU"/>, exact (<c>"gelu"</c>).</summary>
    GELU,
    /// <summary><see cref="NN.GELU"/> with <see cref="GeluApproximation.Sigmoid"/> (<c>"gelu_sigmoid"</c>).</summary>
    GELUSigmoid,
    /// <summary><see cref="NN.GELU"/> with <see cref="GeluApproximation.Tanh"/> (<c>"gelu_tanh"</c>).</summary>
    GELUTanh,
    /// <summary><see cref="NN.Identity"/> (<c>"identity"</c>; aliases linear, none).</summary>
    Identity,
}

/// <summary>Activation modules from an <see cref="ActivationFunction"/>, and its text form for command lines and
/// configuration files.</summary>
public static class Activation
{
    private static readonly (ActivationFunction, string, string[])[] Table =
    [
        (ActivationFunction.ReLU, "relu", []), (ActivationFunction.Sigmoid, "sigmoid", []), (ActivationFunction.Tanh, "tanh", []),
        (ActivationFunction.LeakyReLU, "leaky_relu", ["leakyrelu"]), (ActivationFunction.ELU, "elu", []),
        (ActivationFunction.Softplus, "softplus", []), (ActivationFunction.GELU, "gelu", []),
        (ActivationFunction.GELUSigmoid, "gelu_sigmoid", []), (ActivationFunction.GELUTanh, "gelu_tanh", []),
        (ActivationFunction.Identity, "identity", ["linear", "none"]),
    ];

    /// <summary>The canonical names, in declaration order (the CLI's <c>--activation</c> values).</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(r => r.Item2).ToArray();

    /// <summary>Parses a canonical name or alias, case-insensitively (so a module's type name such as
    /// <c>"LeakyReLU"</c> also parses).</summary>
    /// <exception cref="ArgumentException">any other string; the message lists the valid values</exception>
    public static ActivationFunction Parse(string name) => OptionNames.Parse(name, "activation", Table);

    /// <summary>The canonical name of <paramref name="value"/> (the inverse of <see cref="Parse"/>).</summary>
    public static string Name(this ActivationFunction value) => OptionNames.Name(value, Table);

    /// <summary>A new module computing <paramref name="function"/> with PyTorch's default hyper-parameters.</summary>
    public static Module Create(ActivationFunction function) => function switch
    {
        ActivationFunction.ReLU => new ReLU(),
        ActivationFunction.Sigmoid => new Sigmoid(),
        ActivationFunction.Tanh => new Tanh(),
        ActivationFunction.LeakyReLU => new LeakyReLU(),
        ActivationFunction.ELU => new ELU(),
        ActivationFunction.Softplus => new Softplus(),
        ActivationFunction.GELU => new GELU(),
        ActivationFunction.GELUSigmoid => new GELU(GeluApproximation.Sigmoid),
        ActivationFunction.GELUTanh => new GELU(GeluApproximation.Tanh),
        ActivationFunction.Identity => new Identity(),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "not a defined ActivationFunction"),
    };

    /// <summary><see cref="Create"/>(<see cref="Parse"/>(name)): the module for a command-line or config-file name.</summary>
    /// <exception cref="ArgumentException">an unknown name; the message lists the valid values</exception>
    public static Module FromName(string name) => Create(Parse(name));
}
