using Nabla.Course;

namespace Nabla.Labs;

/// <summary>Settings of the <c>backprop-by-hand</c> lab (quick: a few thousand images, seconds).</summary>
public sealed record BackpropByHandSettings
{
    [Setting("training images (first of the 50,000 of the standard split)", Min = 100, Max = 50_000)]
    public int TrainSize { get; init; } = 50_000;

    [Setting("validation images (of the 10,000 held out from the training file)", Min = 100, Max = 10_000)]
    public int ValidationSize { get; init; } = 10_000;

    [Setting("test images, scored once at the end", Min = 100, Max = 10_000)]
    public int TestSize { get; init; } = 10_000;

    [Setting("epochs of every network", Min = 1, Max = 200)]
    public int Epochs { get; init; } = 10;

    [Setting("mini-batch size", Min = 1, Max = 10_000)]
    public int BatchSize { get; init; } = 64;

    [Setting("IFT6135 net: SGD learning rate", Key = "lr", Min = 0)]
    public double LearningRate { get; init; } = 0.05;

    [Setting("IFT6135 net: hidden sizes h1,h2", Min = 1)]
    public int[] Hidden { get; init; } = [512, 512];

    [Setting("24789 net: hidden sizes (the template's own are not in the seed text)")]
    public int[] TemplateHidden { get; init; } = [512, 256];

    [Setting("24789 net: hidden activation")]
    public HandActivation TemplateActivation { get; init; } = HandActivation.Sigmoid;

    [Setting("24789 net: SGD learning rate", Key = "template-lr", Min = 0)]
    public double TemplateLearningRate { get; init; } = 0.5;

    [Setting("24789 net: the initialisation tried beside the template's standard normal")]
    public HandMlpInit TemplateAltInit { get; init; } = HandMlpInit.Glorot;

    [Setting("gradient check: rows of the real mini-batch", Min = 1, Max = 1000)]
    public int CheckBatch { get; init; } = 64;

    [Setting("gradient check: entries per parameter tensor compared with finite differences", Min = 1, Max = 100_000)]
    public int CheckEntries { get; init; } = 40;

    [Setting("float64 control: first steps repeated in float64 by each network and its twin", Min = 1, Max = 100_000)]
    public int ControlSteps { get; init; } = 300;
}
