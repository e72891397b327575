using Nabla.NN;

namespace Nabla.Models;

/// <summary>Hyper-parameters of <see cref="Mlp"/>. <see cref="Init"/> names an <see cref="NN.Init.Apply_"/> scheme for
/// the weights ("default" keeps Linear's U(±1/√fan_in)); biases start at zero.</summary>
public sealed record MlpOptions(
    int InputSize = 784,
    int[]? Hidden = null,
    int Classes = 10,
    string Activation = "relu",
    double Dropout = 0,
    bool BatchNorm = false,
    string Init = "default")
{
    public int[] HiddenSizes => Hidden ?? [512, 512];

    public MlpOptions Validate()
    {
        if (InputSize <= 0 || Classes <= 0 || HiddenSizes.Any(h => h <= 0))
            throw new ArgumentException($"MLP: sizes must be positive (input {InputSize}, hidden [{string.Join(", ", HiddenSizes)}], classes {Classes})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"MLP: dropout must be in [0, 1), got {Dropout}");
        NN.Activation.FromName(Activation);
        return this;
    }
}

/// <summary>
/// A multilayer perceptron: Flatten → [Linear → (BatchNorm1d) → activation → (Dropout)] per hidden layer → Linear
/// (logits). Shape: [N, *] with InputSize elements per example → [N, Classes].
/// </summary>
public static class Mlp
{
    public static Sequential Create(MlpOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new MlpOptions()).Validate();
        var net = new Sequential(new Flatten());
        int width = o.InputSize;
        foreach (int h in o.HiddenSizes)
        {
            net.Add(MakeLinear(width, h, o.Init, generator));
            if (o.BatchNorm) net.Add(new BatchNorm1d(h));
            net.Add(NN.Activation.FromName(o.Activation));
            if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
            width = h;
        }
        net.Add(MakeLinear(width, o.Classes, o.Init, generator));
        return net;
    }

    private static Linear MakeLinear(int inFeatures, int outFeatures, string init, Generator? generator)
    {
        var l = new Linear(inFeatures, outFeatures, generator: generator);
        if (init != "default") NN.Init.Apply_(l.Weight, init, generator);
        return l;
    }
}
