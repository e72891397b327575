using Nabla.NN;

namespace Nabla.Models;

/// <summary>Hyper-parameters of <see cref="SmallResNet"/>: <see cref="Widths"/> are the stages' channel counts (each
/// stage after the first halves H and W), <see cref="BlocksPerStage"/> the <see cref="BasicBlock"/>s in each.</summary>
public sealed record SmallResNetOptions(int InChannels = 3, int Height = 32, int Width = 32, int Classes = 10, int[]? Widths = null, int BlocksPerStage = 1)
{
    /// <summary>The stage widths used: <see cref="Widths"/> or (16, 32, 64), CIFAR ResNet-20's plan.</summary>
    public int[] StageWidths => Widths ?? [16, 32, 64];

    /// <summary>Checks every size; the message names the bad one.</summary>
    public SmallResNetOptions Validate()
    {
        if (InChannels <= 0 || Height <= 0 || Width <= 0 || Classes <= 0 || BlocksPerStage <= 0)
            throw new ArgumentException($"SmallResNet: sizes must be positive ({this})");
        if (StageWidths.Length == 0 || StageWidths.Any(w => w <= 0))
            throw new ArgumentException($"SmallResNet: stage widths must be positive and at least one, got [{string.Join(", ", StageWidths)}]");
        return this;
    }
}

/// <summary>
/// A small residual network for images of any size (He et al. 2016, the CIFAR variant): stem conv3×3(w₀)-BN-ReLU →
/// per stage s: BasicBlock(w_s, stride 2 except the first stage) × BlocksPerStage → global average pool → flatten →
/// Linear(w_last, Classes). Unlike <see cref="ResNet9"/> the head pools over whatever H × W remains, so 16×16 or
/// 64×64 inputs work as well as 32×32.
/// Shape: [N, InChannels, Height, Width] → [N, Classes].
/// </summary>
public static class SmallResNet
{
    public static Sequential Create(SmallResNetOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new SmallResNetOptions()).Validate();
        var w = o.StageWidths;
        var net = new Sequential(
            new Conv2d(o.InChannels, w[0], 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(w[0]), new ReLU());
        int c = w[0], h = o.Height, wd = o.Width;
        for (int s = 0; s < w.Length; s++)
            for (int b = 0; b < o.BlocksPerStage; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                net.Add(new BasicBlock(c, w[s], stride, generator));
                c = w[s];
                h = (h - 1) / stride + 1;   // 3×3 conv, padding 1
                wd = (wd - 1) / stride + 1;
            }
        net.Add(new AvgPool2d((h, wd)));   // global average pool: [N, c, h, wd] → [N, c, 1, 1]
        net.Add(new Flatten());
        net.Add(new Linear(c, o.Classes, generator: generator));
        return net;
    }
}
