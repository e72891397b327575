using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// airbench94's network (Keller Jordan, 2024) at any widths: a frozen 2×2 patch-whitening conv (3 → 24 channels, bias
/// trainable early), GELU, three conv groups, 3×3 max pool, Linear(w₃, 10) without bias, logits × scale.
/// Shape: [N, 3, 32, 32] → whiten [N, 24, 31, 31] → group 1 [N, w₁, 15, 15] → group 2 [N, w₂, 7, 7] → group 3 [N, w₃, 3, 3]
/// → pool [N, w₃, 1, 1] → [N, 10].
/// </summary>
public static class Cifar10FastNet
{
    /// <summary>Output channels of the whitening conv: the 12 filters of 2×2×3 patches and their negatives.</summary>
    public const int WhitenChannels = 24;

    /// <summary>The network with random weights: the whitening conv's weight is zero until
    /// <see cref="SetWhitening"/> fills it (it never trains), its bias U(±1/√12) as PyTorch starts it; every 3×3 conv starts as identity on its first
    /// in-channels outputs (Dirac), the rest PyTorch's default uniform; BatchNorm scales are fixed at 1.</summary>
    public static Sequential Create(IReadOnlyList<int> widths, double bnMomentum, double logitScale, Generator generator)
    {
        var whiten = new Conv2d(3, WhitenChannels, 2, padding: 0, bias: true, generator: generator);
        using (GradMode.NoGrad())
        {
            whiten.Weight.Fill_(0);
            // airbench's whitening conv is a torch Conv2d, whose bias starts at U(±1/√fan-in) (Nabla's conv bias starts at 0)
            Init.Uniform_(whiten.Bias!, -1 / Math.Sqrt(3 * 2 * 2), 1 / Math.Sqrt(3 * 2 * 2), generator);
        }
        whiten.Weight.RequiresGrad_(false);
        return new Sequential(
            whiten,
            new GELU(),
            new ConvGroup(WhitenChannels, widths[0], bnMomentum, generator),
            new ConvGroup(widths[0], widths[1], bnMomentum, generator),
            new ConvGroup(widths[1], widths[2], bnMomentum, generator),
            new MaxPool2d(3),
            new Flatten(),
            new Linear(widths[2], 10, bias: false, generator: generator),
            new ScaleBy(logitScale));
    }

    /// <summary>airbench94_muon's head: the output layer's default initialisation rescaled to unit standard deviation
    /// (the logits are then divided by the width instead of 9).</summary>
    public static void UnitStdHead(Sequential net)
    {
        var w = net.Children.Select(c => c.Module).OfType<Linear>().Single().Weight;
        var v = w.ToDoubleArray();
        double mean = v.Average(), std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        using (GradMode.NoGrad()) w.CopyFrom_(w * (1 / std));
    }

    /// <summary>The whitening conv (the first layer).</summary>
    public static Conv2d Whitening(Sequential net) => (Conv2d)net.Children[0].Module;

    /// <summary>Copies the filters of <see cref="Nabla.NN.PatchWhitening.Weights"/> from <paramref name="images"/> into the
    /// first layer (its bias stays as it is).</summary>
    public static void SetWhitening(Sequential net, Tensor images, double eps)
    {
        var w = PatchWhitening.Weights(images, 2, eps);
        using (GradMode.NoGrad()) Whitening(net).Weight.CopyFrom_(w);
    }

    /// <summary>Multiply–accumulates of one forward pass for one image (convs and the linear layer).</summary>
    public static long ForwardMacs(IReadOnlyList<int> widths)
    {
        long macs = (long)WhitenChannels * 3 * 4 * 31 * 31;
        int cin = WhitenChannels, side = 31;
        foreach (int w in widths)
        {
            macs += (long)cin * w * 9 * side * side;        // conv1 before the pool
            side /= 2;
            macs += (long)w * w * 9 * side * side;          // conv2 after it
            cin = w;
        }
        return macs + (long)cin * 10;
    }

    /// <summary>"whiten 2×2 (24) → [conv(64)-pool-BN-GELU-conv(64)-BN-GELU] × … → pool 3 → Linear(256, 10) × 1/9".</summary>
    public static string Describe(IReadOnlyList<int> widths, double logitScale) =>
        $"whiten 2×2 ({WhitenChannels}, frozen)-GELU → " + string.Join(" → ", widths.Select(w => $"[conv3×3({w})-pool-BN-GELU-conv3×3({w})-BN-GELU]")) +
        $" → maxpool 3 → Linear({widths[^1]}, 10) × {logitScale.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// airbench's conv group: conv 3×3 "same" (no bias), 2×2 max pool, BatchNorm, GELU, conv 3×3, BatchNorm, GELU. The
/// convs start as identity on their first in-channels outputs (Dirac; an implicit residual); BatchNorm has a fixed
/// scale of 1 and a learned bias, ε = 1e-12.
/// Shape: [N, Cin, H, W] → [N, Cout, ⌊H/2⌋, ⌊W/2⌋].
/// </summary>
public sealed class ConvGroup : Module
{
    /// <summary>First conv (Cin → Cout), before the pool.</summary>
    public Conv2d Conv1 { get; }
    /// <summary>Second conv (Cout → Cout).</summary>
    public Conv2d Conv2 { get; }
    /// <summary>BatchNorm after the pool.</summary>
    public BatchNorm2d Norm1 { get; }
    /// <summary>BatchNorm after the second conv.</summary>
    public BatchNorm2d Norm2 { get; }

    /// <summary>A group from <paramref name="channelsIn"/> to <paramref name="channelsOut"/>; <paramref name="bnMomentum"/>
    /// in airbench's convention (r ← m·r + (1 − m)·batch).</summary>
    public ConvGroup(int channelsIn, int channelsOut, double bnMomentum, Generator generator)
    {
        Conv1 = RegisterModule(nameof(Conv1), new Conv2d(channelsIn, channelsOut, 3, padding: 1, bias: false, generator: generator));
        Norm1 = RegisterModule(nameof(Norm1), new BatchNorm2d(channelsOut, eps: 1e-12, momentum: 1 - bnMomentum));
        Conv2 = RegisterModule(nameof(Conv2), new Conv2d(channelsOut, channelsOut, 3, padding: 1, bias: false, generator: generator));
        Norm2 = RegisterModule(nameof(Norm2), new BatchNorm2d(channelsOut, eps: 1e-12, momentum: 1 - bnMomentum));
        using (GradMode.NoGrad())
        {
            Init.Dirac_(Conv1.Weight.Narrow(0, 0, Math.Min(channelsIn, channelsOut)));
            Init.Dirac_(Conv2.Weight);
        }
        Norm1.Weight!.RequiresGrad_(false);
        Norm2.Weight!.RequiresGrad_(false);
        _stages = new Sequential(Conv1, new MaxPool2d(2), Norm1, new GELU(), Conv2, Norm2, new GELU());
    }

    /// <summary>The same modules as one chain (not registered, so the state-dict keys stay conv1.*, norm1.*, …): its
    /// no-grad forward normalises and activates in place and recycles the activations between the stages
    /// (the test-time-augmentation passes).</summary>
    private readonly Sequential _stages;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _stages.Forward(input);
}

/// <summary>y = x·<see cref="Factor"/> (airbench's <c>Mul</c>): a fixed temperature on the logits.</summary>
public sealed class ScaleBy(double factor) : Module
{
    /// <summary>The constant factor.</summary>
    public double Factor { get; } = factor;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input * Factor;

    /// <inheritdoc/>
    protected override string ExtraRepr() => Factor.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
