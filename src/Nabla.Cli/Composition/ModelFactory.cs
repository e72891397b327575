using Nabla.Models;
using Nabla.NN;

namespace Nabla.Cli.Composition;

/// <summary>Builds the models the CLI knows by name from resolved <see cref="TrainOptions"/>.</summary>
public static class ModelFactory
{
    /// <summary>The model names <c>nabla train</c> accepts.</summary>
    public static readonly string[] Names = ["mlp", "cnn", "resnet"];

    /// <summary>The --activation text (also the "activation" of config.json) as the library's enum; an unknown name
    /// is an ArgumentException listing the valid ones.</summary>
    public static ActivationFunction ActivationOf(TrainOptions o) => Activation.Parse(o.Activation!);

    /// <summary>The --init text (also the "init" of config.json): "default" (Linear's own U(±1/√fan_in)) → null, else
    /// an <see cref="InitScheme"/>; an unknown name is an ArgumentException listing the valid ones.</summary>
    public static InitScheme? InitOf(TrainOptions o) => o.Init is null or "default" ? null : InitSchemes.Parse(o.Init);

    /// <summary>Input [C, H, W] of the data set → the model (after <see cref="CheckSize"/>, so that an absurd width is a
    /// clear message rather than an overflow or an out-of-memory crash).</summary>
    public static Module Create(TrainOptions o, int[] inputShape, int classes, Generator? generator = null)
    {
        CheckSize(o, inputShape, classes);
        return Build(o, inputShape, classes, generator);
    }

    /// <summary>Refuses, before anything is allocated, an MLP whose weight matrices would exceed the largest tensor
    /// (2^31 − 1 elements) or whose parameters, gradients and optimizer state (4 copies of float32) would not fit in
    /// the memory this process may use.</summary>
    public static void CheckSize(TrainOptions o, int[] inputShape, int classes)
    {
        if (o.Model != "mlp") return;
        long input = inputShape.Aggregate(1L, (a, b) => a * b);
        var widths = new List<long> { input };
        widths.AddRange((o.Hidden ?? []).Select(h => (long)h));
        widths.Add(classes);
        long total = 0;
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            long w = widths[i] * widths[i + 1];
            if (w > int.MaxValue)
                throw new Nabla.Cli.Commands.UsageException($"--hidden {string.Join(",", o.Hidden ?? [])}: layer {i + 1} would have a {widths[i + 1]} x {widths[i]} weight " +
                    $"({w:N0} elements); a tensor holds at most {int.MaxValue:N0}");
            total += w + widths[i + 1];
        }
        long budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (budget > 0 && total * 4 * sizeof(float) > budget)
            throw new Nabla.Cli.Commands.UsageException($"--hidden {string.Join(",", o.Hidden ?? [])}: {total:N0} parameters need about {total * 16 / (1 << 20):N0} MiB " +
                $"(weights, gradients, optimizer state) but this process may use {budget / (1 << 20):N0} MiB");
    }

    private static Module Build(TrainOptions o, int[] inputShape, int classes, Generator? generator) => o.Model switch
    {
        "cnn" or "resnet" when inputShape.Length != 3 =>
            throw new ArgumentException($"{o.Model} needs images [C, H, W]; this data has features [{string.Join(", ", inputShape)}] (use mlp for tables)"),
        "mlp" => Mlp.Create(new MlpOptions(
            InputSize: inputShape.Aggregate(1, (a, b) => a * b), Hidden: o.Hidden, Classes: classes,
            Activation: ActivationOf(o), Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false, Init: InitOf(o)), generator),
        "cnn" => Cnn.Create(new CnnOptions(InChannels: inputShape[0], Height: inputShape[1], Width: inputShape[2], Classes: classes,
            Channels: o.Widths, Activation: ActivationOf(o), Dropout: o.Dropout ?? 0, BatchNorm: o.BatchNorm ?? false), generator),
        "resnet" => SmallResNet.Create(new SmallResNetOptions(InChannels: inputShape[0], Height: inputShape[1], Width: inputShape[2], Classes: classes,
            Widths: o.Widths), generator),
        _ => throw new Nabla.Cli.Commands.UsageException($"unknown model '{o.Model}'; choose from {string.Join(", ", Names)}"),
    };
}
