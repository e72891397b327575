using Nabla.NN;

namespace Nabla.Models;

/// <summary>Hyper-parameters of <see cref="Mlp"/>. <see cref="Init"/> is the <see cref="NN.Init.Apply_"/> scheme for
/// the weights, null keeping Linear's default U(±1/√fan_in); biases start at zero either way.</summary>
/// <param name="InputSize">features per example after flattening (784 = 28×28 MNIST)</param>
/// <param name="Hidden">widths of the hidden layers; null = [512, 512]</param>
/// <param name="Classes">output width (logits)</param>
/// <param name="Activation">hidden-layer activation</param>
/// <param name="Dropout">dropout probability after each hidden activation, in [0, 1); 0 = none</param>
/// <param name="BatchNorm">BatchNorm1d after each hidden Linear</param>
/// <param name="Init">weight initialisation; null = Linear's default</param>
public sealed record MlpOptions(
    int InputSize = 784,
    int[]? Hidden = null,
    int Classes = 10,
    ActivationFunction Activation = ActivationFunction.ReLU,
    double Dropout = 0,
    bool BatchNorm = false,
    InitScheme? Init = null)
{
    /// <summary><see cref="Hidden"/>, or the default [512, 512] when it is null.</summary>
    public int[] HiddenSizes => Hidden ?? [512, 512];

    /// <summary>Returns this after checking sizes are positive and dropout is in [0, 1).</summary>
    /// <exception cref="ArgumentException">a size ≤ 0 or a dropout outside [0, 1)</exception>
    public MlpOptions Validate()
    {
        if (InputSize <= 0 || Classes <= 0 || HiddenSizes.Any(h => h <= 0))
            throw new ArgumentException($"MLP: sizes must be positive (input {InputSize}, hidden [{string.Join(", ", HiddenSizes)}], classes {Classes})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"MLP: dropout must be in [0, 1), got {Dropout}");
        if (!Enum.IsDefined(Activation)) throw new ArgumentException($"MLP: activation {(int)Activation} is not a defined ActivationFunction");
        if (Init is { } init && !Enum.IsDefined(init)) throw new ArgumentException($"MLP: init {(int)init} is not a defined InitScheme");
        return this;
    }
}

/// <summary>
/// A multilayer perceptron: Flatten → [Linear → (BatchNorm1d) → activation → (Dropout)] per hidden layer → Linear
/// (logits). Shape: [N, *] with InputSize elements per example → [N, Classes].
/// </summary>
public static class Mlp
{
    /// <summary>Builds the network of <paramref name="options"/> (null = the defaults: 784 → 512 → 512 → 10, ReLU).</summary>
    /// <param name="options">hyper-parameters, validated here</param>
    /// <param name="generator">random source of the initial weights; null = the global generator</param>
    /// <exception cref="ArgumentException">invalid options</exception>
    public static Sequential Create(MlpOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new MlpOptions()).Validate();
        var net = new Sequential(new Flatten());
        int width = o.InputSize;
        foreach (int h in o.HiddenSizes)
        {
            net.Add(MakeLinear(width, h, o.Init, generator));
            if (o.BatchNorm) net.Add(new BatchNorm1d(h));
            net.Add(NN.Activation.Create(o.Activation));
            if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
            width = h;
        }
        net.Add(MakeLinear(width, o.Classes, o.Init, generator));
        return net;
    }

    private static Linear MakeLinear(int inFeatures, int outFeatures, InitScheme? init, Generator? generator)
    {
        var l = new Linear(inFeatures, outFeatures, generator: generator);
        if (init is { } scheme) NN.Init.Apply_(l.Weight, scheme, generator);
        return l;
    }
}
