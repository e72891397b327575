using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// Hyper-parameters of <see cref="Vgg"/>. <see cref="Plan"/> lists output channels of 3×3 convolutions (padding 1)
/// and "M" for MaxPool2d(2); the default is VGG11 ("configuration A" of Simonyan &amp; Zisserman). An empty
/// <see cref="ClassifierHidden"/> gives the CIFAR-style head flatten → Linear(flat, Classes) (what the vgg11-train
/// benchmark uses); otherwise Linear → activation → (Dropout) per hidden width, then Linear to the classes.
/// <see cref="Activation"/> is the non-linearity after every convolution and hidden linear layer (ReLU by default).
/// </summary>
public sealed record VggOptions(
    int InChannels = 3,
    int ImageSize = 32,
    int Classes = 10,
    string[]? Plan = null,
    bool BatchNorm = true,
    bool ConvBias = true,
    int[]? ClassifierHidden = null,
    double Dropout = 0,
    VggActivation Activation = VggActivation.ReLU)
{
    public static readonly string[] Vgg11Plan = ["64", "M", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M"];

    /// <summary>VGG11's layout at one eighth of the width (8-16-32-32-64-64-64-64 channels, poolings after convolutions
    /// 1, 2, 4, 6 and 8): the narrow VGG11 of the EECS 498 (UMich, 2019) homework template <c>vgg.py</c>.</summary>
    public static readonly string[] NarrowVgg11Plan = ["8", "M", "16", "M", "32", "32", "M", "64", "64", "M", "64", "64", "M"];

    public string[] LayerPlan => Plan ?? Vgg11Plan;

    public int[] Hidden => ClassifierHidden ?? [];

    public VggOptions Validate()
    {
        if (InChannels <= 0 || ImageSize <= 0 || Classes <= 0 || Hidden.Any(h => h <= 0))
            throw new ArgumentException($"VGG: sizes must be positive ({this})");
        if (!Enum.IsDefined(Activation)) throw new ArgumentException($"VGG: unknown activation {Activation}");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"VGG: dropout must be in [0, 1), got {Dropout}");
        foreach (var v in LayerPlan)
            if (v != "M" && (!int.TryParse(v, out int c) || c <= 0))
                throw new ArgumentException($"VGG: plan entries are positive channel counts or \"M\", got \"{v}\"");
        int pools = LayerPlan.Count(v => v == "M");
        if (ImageSize >> pools < 1) throw new ArgumentException($"VGG: a {ImageSize}×{ImageSize} input is too small for {pools} poolings");
        return this;
    }
}

/// <summary>The non-linearity of a <see cref="Vgg"/> network.</summary>
public enum VggActivation
{
    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>x for x &gt; 0, exp(x) − 1 otherwise (α = 1).</summary>
    ELU,

    /// <summary>x·Φ(x) (exact, erf form).</summary>
    GELU,
}

/// <summary>
/// VGG: [conv3×3(p = 1) → (BatchNorm2d) → activation]… with MaxPool2d(2) at each "M" of the plan, then flatten → classifier.
/// Each pooling halves the side (⌊s/2⌋), so the flat width is C_last·(⌊ImageSize/2^pools⌋)². Shape:
/// [N, InChannels, ImageSize, ImageSize] → [N, Classes]. Layers are children "0", "1", ... of one Sequential, like
/// PyTorch's <c>nn.Sequential(*layers)</c> in the benchmark reference, so state-dict keys match it.
/// </summary>
public static class Vgg
{
    public static Sequential Create(VggOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new VggOptions()).Validate();
        var net = new Sequential();
        int c = o.InChannels, side = o.ImageSize;
        foreach (var v in o.LayerPlan)
        {
            if (v == "M")
            {
                net.Add(new MaxPool2d(2));
                side /= 2;
                continue;
            }
            int outC = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
            net.Add(new Conv2d(c, outC, 3, padding: 1, bias: o.ConvBias, generator: generator));
            if (o.BatchNorm) net.Add(new BatchNorm2d(outC));
            net.Add(NonLinearity(o.Activation));
            c = outC;
        }
        net.Add(new Flatten());
        int width = c * side * side;
        foreach (int h in o.Hidden)
        {
            if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
            net.Add(new Linear(width, h, generator: generator));
            net.Add(NonLinearity(o.Activation));
            width = h;
        }
        if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
        net.Add(new Linear(width, o.Classes, generator: generator));
        return net;
    }

    /// <summary>VGG11 with batch normalisation for 3×32×32 images (CIFAR-10): plan 64, M, 128, M, 256, 256, M, 512,
    /// 512, M, 512, 512, M → 512 → Linear(512, classes).</summary>
    public static Sequential Vgg11(int classes = 10, double dropout = 0, Generator? generator = null) =>
        Create(new VggOptions(Classes: classes, Dropout: dropout), generator);

    /// <summary>The narrow VGG11 of the EECS 498 homework for 3×32×32 images: <see cref="VggOptions.NarrowVgg11Plan"/>
    /// (8, M, 16, M, 32, 32, M, 64, 64, M, 64, 64, M), 3×3 convolutions with padding 1, no batch normalisation, then
    /// flatten (64) → Linear(64, 64) → activation → Linear(64, classes); 149,370 parameters for 10 classes.</summary>
    public static Sequential Vgg11Narrow(int classes = 10, VggActivation activation = VggActivation.ReLU, Generator? generator = null) =>
        Create(new VggOptions(Classes: classes, Plan: VggOptions.NarrowVgg11Plan, BatchNorm: false, ClassifierHidden: [64], Activation: activation), generator);

    private static Module NonLinearity(VggActivation a) => a switch
    {
        VggActivation.ELU => new ELU(),
        VggActivation.GELU => new GELU(),
        _ => new ReLU(),
    };
}
