using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Composition;

/// <summary>Builds the models the CLI knows by name from resolved <see cref="TrainOptions"/>.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["mlp", "cnn"];

    /// <summary>Input [C, H, W] of the data set → the model.</summary>
    public static Module Create(TrainOptions o, int[] inputShape, int classes, Generator? generator = null) => o.Model switch
    {
        "mlp" => Mlp.Create(new MlpOptions(
            InputSize: inputShape.Aggregate(1, (a, b) => a * b), Hidden: o.Hidden, Classes: classes,
            Activation: o.Activation!, Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false, Init: o.Init!), generator),
        "cnn" => Cnn.Create(new CnnOptions(InChannels: inputShape[0], Height: inputShape[1], Width: inputShape[2], Classes: classes,
            Activation: o.Activation!, Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false), generator),
        _ => throw new ArgumentException($"unknown model '{o.Model}'; choose from {string.Join(", ", Names)}"),
    };
}
