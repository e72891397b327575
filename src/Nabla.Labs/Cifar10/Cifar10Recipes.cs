using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>The settings of <c>cifar10-vgg11</c> (VGG11 has no width knob).</summary>
public sealed record Cifar10Vgg11Settings : Cifar10Settings;

/// <summary>The settings of <c>cifar10-resnet9</c>: the shared ones plus the network's width.</summary>
public sealed record Cifar10ResNet9Settings : Cifar10Settings
{
    [Setting("ResNet-9 width: channels of the prep layer (the stages use 2, 4 and 8 times it)", Min = 1, Max = 512)]
    public int Width { get; init; } = 32;
}

/// <summary>
/// VGG11 with batch normalisation on CIFAR-10 (the JPEG copy under the data root): per-channel standardisation,
/// random crop 32 with padding 4 + horizontal flip, SGD with Nesterov momentum 0.9, weight decay 5e-4, batch 128, a
/// one-cycle learning rate (peak 0.1) stepped per batch over 30 epochs; 45k/5k train/validation split, one test pass
/// at the end.
/// </summary>
public sealed class Cifar10Vgg11Lab : Cifar10Lab<Cifar10Vgg11Settings>
{
    public override string Name => "cifar10-vgg11";

    public override string Description => "VGG11-BN on CIFAR-10 (JPEG copy): crop+flip, SGD Nesterov + one-cycle, curves, test accuracy, confusion, kernels, mistakes";

    public override string Title => "VGG11-BN on CIFAR-10";

    public override string ModelName(Cifar10Vgg11Settings s) => "VGG11-BN";

    /// <summary>The run the README quotes (87.81 %): 45,000 images, 30 epochs, no cutout, no label smoothing.</summary>
    public override Cifar10Vgg11Settings Full => new() { Epochs = 30, Cutout = 0, LabelSmoothing = 0 };

    public override Cifar10Vgg11Settings Quick => Full with { Train = 384, Valid = 256, Test = 500, Epochs = 1 };

    protected override Sequential CreateModel(Cifar10Vgg11Settings s, Generator generator) => Vgg.Vgg11(generator: generator);

    protected override string ModelDescription(Cifar10Vgg11Settings s) =>
        "`Vgg.Vgg11()`: eight 3×3 convolutions (64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M), each followed by BatchNorm2d and ReLU, five 2×2 max-poolings, flatten (512) → Linear(512, 10)";
}

/// <summary>
/// The faster recipe: the fast-training ResNet-9 layout (<see cref="ResNet9"/>, here at width 32: 32-64-128-256
/// channels, a quarter of the DAWNBench network's FLOPs) with the ingredients of those recipes — cutout 8, label
/// smoothing 0.2, the 0.125 logit scale — on the same data, optimiser and one-cycle schedule as the VGG11 lab, over 45
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
