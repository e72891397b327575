using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>
/// Hyper-parameters of <see cref="Vgg"/>. <see cref="Plan"/> lists output channels of 3×3 convolutions (padding 1)
/// and "M" for MaxPool2d(2); the default is VGG11 ("configuration A" of Simonyan &amp; Zisserman). An empty
/// <see cref="ClassifierHidden"/> gives the CIFAR-style head flatten → Linear(flat, Classes) (what the vgg11-train
/// benchmark uses); otherwise Linear → ReLU → (Dropout) per hidden width, then Linear to the classes.
/// </summary>
public sealed record VggOptions(
    int InChannels = 3,
    int ImageSize = 32,
    int Classes = 10,
    string[]? Plan = null,
    bool BatchNorm = true,
    bool ConvBias = true,
    int[]? ClassifierHidden = null,
    double Dropout = 0)
{
    public static readonly string[] Vgg11Plan = ["64", "M", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M"];

    public string[] LayerPlan => Plan ?? Vgg11Plan;

    public int[] Hidden => ClassifierHidden ?? [];

    public VggOptions Validate()
    {
        if (InChannels <= 0 || ImageSize <= 0 || Classes <= 0 || Hidden.Any(h => h <= 0))
            throw new ArgumentException($"VGG: sizes must be positive ({this})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"VGG: dropout must be in [0, 1), got {Dropout}");
        foreach (var v in LayerPlan)
            if (v != "M" && (!int.TryParse(v, out int c) || c <= 0))
                throw new ArgumentException($"VGG: plan entries are positive channel counts or \"M\", got \"{v}\"");
        int pools = LayerPlan.Count(v => v == "M");
        if (ImageSize >> pools < 1) throw new ArgumentException($"VGG: a {ImageSize}×{ImageSize} input is too small for {pools} poolings");
        return this;
    }
}

/// <summary>
/// VGG: [conv3×3(p = 1) → (BatchNorm2d) → ReLU]… with MaxPool2d(2) at each "M" of the plan, then flatten → classifier.
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
            net.Add(new ReLU());
            c = outC;
        }
        net.Add(new Flatten());
        int width = c * side * side;
        foreach (int h in o.Hidden)
        {
            if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
            net.Add(new Linear(width, h, generator: generator));
            net.Add(new ReLU());
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
}
