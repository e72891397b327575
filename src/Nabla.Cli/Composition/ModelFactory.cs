using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Composition;

/// <summary>Builds the models the CLI knows by name from resolved <see cref="TrainOptions"/>.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["mlp", "cnn", "resnet"];

    /// <summary>Input [C, H, W] of the data set → the model.</summary>
    public static Module Create(TrainOptions o, int[] inputShape, int classes, Generator? generator = null) => o.Model switch
    {
        "cnn" or "resnet" when inputShape.Length != 3 =>
            throw new ArgumentException($"{o.Model} needs images [C, H, W]; this data has features [{string.Join(", ", inputShape)}] (use mlp for tables)"),
        "mlp" => Mlp.Create(new MlpOptions(
            InputSize: inputShape.Aggregate(1, (a, b) => a * b), Hidden: o.Hidden, Classes: classes,
            Activation: o.Activation!, Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false, Init: o.Init!), generator),
        "cnn" => Cnn.Create(new CnnOptions(InChannels: inputShape[0], Height: inputShape[1], Width: inputShape[2], Classes: classes,
            Channels: o.Widths, Activation: o.Activation!, Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false), generator),
        "resnet" => SmallResNet.Create(new SmallResNetOptions(InChannels: inputShape[0], Height: inputShape[1], Width: inputShape[2], Classes: classes,
            Widths: o.Widths), generator),
        _ => throw new ArgumentException($"unknown model '{o.Model}'; choose from {string.Join(", ", Names)}"),
    };
}
