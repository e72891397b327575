using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A ResNet basic block (He et al. 2016): y = ReLU(BN₂(conv₂(ReLU(BN₁(conv₁(x))))) + shortcut(x)), both convolutions
/// 3×3 with padding 1 and no bias (BN's shift replaces it), conv₁ with the block's stride. The shortcut is the
/// identity when shape is kept, otherwise a 1×1 convolution with that stride followed by BN (projection shortcut).
/// Shape: [N, InChannels, H, W] → [N, OutChannels, ⌊(H − 1)/stride⌋ + 1, ⌊(W − 1)/stride⌋ + 1].
/// </summary>
public sealed class BasicBlock : Module
{
    public Conv2d Conv1 { get; }
    public BatchNorm2d Bn1 { get; }
    public Conv2d Conv2 { get; }
    public BatchNorm2d Bn2 { get; }
    /// <summary>The projection shortcut (1×1 conv + BN), null for the identity.</summary>
    public Sequential? Downsample { get; }

    public BasicBlock(int inChannels, int outChannels, int stride = 1, Generator? generator = null)
    {
        Conv1 = RegisterModule(nameof(Conv1), new Conv2d(inChannels, outChannels, 3, stride, 1, bias: false, generator: generator));
        Bn1 = RegisterModule(nameof(Bn1), new BatchNorm2d(outChannels));
        Conv2 = RegisterModule(nameof(Conv2), new Conv2d(outChannels, outChannels, 3, 1, 1, bias: false, generator: generator));
        Bn2 = RegisterModule(nameof(Bn2), new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels)
            Downsample = RegisterModule(nameof(Downsample), new Sequential(
                new Conv2d(inChannels, outChannels, 1, stride, bias: false, generator: generator), new BatchNorm2d(outChannels)));
    }

    public override Tensor Forward(Tensor input)
    {
        var y = Bn1.Invoke(Conv1.Invoke(input)).Relu();
        y = Bn2.Invoke(Conv2.Invoke(y));
        var shortcut = Downsample is null ? input : Downsample.Invoke(input);
        return (y + shortcut).Relu();
    }
}

/// <summary>Multiplies its input by a constant (ResNet-9's 0.125 logit scale, which stands in for a temperature).</summary>
public sealed class Scale(double factor) : Module
{
    public double Factor { get; } = factor;

    public override Tensor Forward(Tensor input) => input * Factor;

    protected override string ExtraRepr() => Factor.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Hyper-parameters of <see cref="ResNet9"/>: <see cref="Width"/> is the stem's channel count (64 in the
/// DAWNBench recipe; the stages use 2w, 4w, 8w).</summary>
public sealed record ResNet9Options(int InChannels = 3, int Classes = 10, int Width = 64, double LogitScale = 0.125)
{
    public ResNet9Options Validate()
    {
        if (InChannels <= 0 || Classes <= 0 || Width <= 0) throw new ArgumentException($"ResNet9: sizes must be positive ({this})");
        if (!(LogitScale > 0)) throw new ArgumentException($"ResNet9: LogitScale must be positive, got {LogitScale}");
        return this;
    }
}

/// <summary>
/// A small residual network for 32×32 CIFAR-10 images in the layout of the fast-training "ResNet-9" (Myrtle.ai /
/// D. Page's DAWNBench recipe), with <see cref="BasicBlock"/>s as the residual units:
/// prep conv3×3(w)-BN-ReLU (32²) → conv3×3(2w)-BN-ReLU-pool (16²) → BasicBlock(2w) → conv3×3(4w)-BN-ReLU-pool (8²)
/// → conv3×3(8w)-BN-ReLU-pool (4²) → BasicBlock(8w) → MaxPool2d(4) (1²) → flatten → Linear(8w, Classes) → ×LogitScale.
/// Convolutions have no bias (BatchNorm follows each). Shape: [N, InChannels, 32, 32] → [N, Classes].
/// </summary>
public static class ResNet9
{
    public static Sequential Create(ResNet9Options? options = null, Generator? generator = null)
    {
        var o = (options ?? new ResNet9Options()).Validate();
        int w = o.Width;
        return new Sequential(
            ConvBnRelu(o.InChannels, w, pool: false, generator),
            ConvBnRelu(w, 2 * w, pool: true, generator),
            new BasicBlock(2 * w, 2 * w, generator: generator),
            ConvBnRelu(2 * w, 4 * w, pool: true, generator),
            ConvBnRelu(4 * w, 8 * w, pool: true, generator),
            new BasicBlock(8 * w, 8 * w, generator: generator),
            new MaxPool2d(4),
            new Flatten(),
            new Linear(8 * w, o.Classes, generator: generator),
            new Scale(o.LogitScale));
    }

    private static Sequential ConvBnRelu(int inC, int outC, bool pool, Generator? generator)
    {
        var s = new Sequential(new Conv2d(inC, outC, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(outC), new ReLU());
        if (pool) s.Add(new MaxPool2d(2));
        return s;
    }
}
