using Nabla.Models;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>The settings of <c>cifar10-resnet9</c>: the shared ones plus the network's width.</summary>
public sealed record Cifar10ResNet9Settings : Cifar10Settings
{
    [Setting("ResNet-9 width: channels of the prep layer (the stages use 2, 4 and 8 times it)", Min = 1, Max = 512)]
    public int Width { get; init; } = 32;
}

/// <summary>
/// The faster recipe: the fast-training ResNet-9 layout (<see cref="ResNet9"/>, here at width 32: 32-64-128-256
/// channels, a quarter of the DAWNBench network's FLOPs) with the ingredients of those recipes — cutout 8, label
/// smoothing 0.2, the 0.125 logit scale — on the same data, optimiser and one-cycle schedule as the former VGG11-BN recipe (the wide row of cifar10-vgg11), over 45
/// epochs instead of 30 (at 30 it reached 89.86 %, at 45 90.27 % on the JPEG copy).
/// </summary>
public sealed class Cifar10ResNet9Lab : Cifar10Lab<Cifar10ResNet9Settings>
{
    public override string Name => "cifar10-resnet9";

    public override string Description => "ResNet-9 (fast-recipe layout) on CIFAR-10 (JPEG copy): crop+flip+cutout, label smoothing, one-cycle, curves, test accuracy";

    public override string Title => "ResNet-9 on CIFAR-10";

    public override string ModelName(Cifar10ResNet9Settings s) => $"ResNet-9 (width {s.Width})";

    /// <summary>The run the README quotes (90.27 %): 45,000 images, 45 epochs, width 32, cutout 8, label smoothing 0.2.</summary>
    public override Cifar10ResNet9Settings Full => new() { Epochs = 45, Width = 32, Cutout = 8, LabelSmoothing = 0.2 };

    public override Cifar10ResNet9Settings Quick => Full with { Train = 384, Valid = 256, Test = 500, Epochs = 1 };

    protected override Sequential CreateModel(Cifar10ResNet9Settings s, Generator generator) => ResNet9.Create(new ResNet9Options(Width: s.Width), generator);

    protected override string ModelDescription(Cifar10ResNet9Settings s)
    {
        int w = s.Width;
        return $"`ResNet9.Create(new ResNet9Options(Width: {w}))`, the layout of the fast CIFAR-10 training recipes (Myrtle.ai / D. Page): prep conv3×3({w})-BN-ReLU → " +
               $"conv3×3({2 * w})-BN-ReLU-pool → residual block({2 * w}) → conv3×3({4 * w})-BN-ReLU-pool → conv3×3({8 * w})-BN-ReLU-pool → residual block({8 * w}) → " +
               $"global max-pool → Linear({8 * w}, 10) → ×0.125";
    }
}
