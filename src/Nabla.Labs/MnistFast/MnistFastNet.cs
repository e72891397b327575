using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// The small CNNs of <c>mnist-fast</c>: blocks of (3×3 conv "same", no bias, BatchNorm, ReLU) × convs, then 2×2 max
/// pooling, one block per width; then Flatten and Linear(width·s², 10). With <c>poolFirst</c> a one-conv block pools
/// right after its conv (conv, pool, BN, ReLU): BN and ReLU then run on a quarter of the pixels, and the block computes
/// a different function (max before the normalisation), not the same one faster.
/// Shape: [N, 1, 28, 28] → [N, w₁, 14, 14] → [N, w₂, 7, 7] → [N, w₃, 3, 3] → [N, 10].
/// </summary>
public static class MnistFastNet
{
    /// <summary>The network for <paramref name="widths"/> with <paramref name="convs"/> conv layers per block.</summary>
    public static Sequential Create(IReadOnlyList<int> widths, int convs, Generator generator, bool poolFirst = false)
    {
        if (poolFirst && convs != 1) throw new ArgumentException($"MnistFastNet: pooling first needs one conv per block, got {convs}");
        var layers = new List<Module>();
        int inChannels = 1;
        foreach (int w in widths)
        {
            for (int i = 0; i < convs; i++)
            {
                layers.Add(new Conv2d(inChannels, w, 3, padding: 1, bias: false, generator: generator));
                if (poolFirst) layers.Add(new MaxPool2d(2));
                layers.Add(new BatchNorm2d(w));
                layers.Add(new ReLU());
                inChannels = w;
            }
            if (!poolFirst) layers.Add(new MaxPool2d(2));
        }
        int side = SideAfter(widths.Count);
        layers.Add(new Flatten());
        layers.Add(new Linear(inChannels * side * side, 10, generator: generator));
        return new Sequential(layers);
    }

    /// <summary>The feature map's side after <paramref name="blocks"/> 2×2 poolings of 28 pixels (⌊s/2⌋ each).</summary>
    public static int SideAfter(int blocks)
    {
        int side = 28;
        for (int b = 0; b < blocks; b++) side /= 2;
        return side;
    }

    /// <summary>Multiply–accumulates of one forward pass for one image (convs and the linear layer; BN, ReLU and
    /// pooling are not counted).</summary>
    public static long ForwardMacs(IReadOnlyList<int> widths, int convs)
    {
        long macs = 0;
        int inChannels = 1, side = 28;
        foreach (int w in widths)
        {
            for (int i = 0; i < convs; i++)
            {
                macs += (long)inChannels * w * 9 * side * side;
                inChannels = w;
            }
            side /= 2;
        }
        return macs + (long)inChannels * side * side * 10;
    }

    /// <summary>"conv3×3(16)-BN-ReLU-pool → conv3×3(32)-BN-ReLU-pool → Linear(1568, 10)".</summary>
    public static string Describe(IReadOnlyList<int> widths, int convs, bool poolFirst = false)
    {
        var blocks = widths.Select(w => poolFirst ? $"conv3×3({w})-pool-BN-ReLU" : string.Join("-", Enumerable.Repeat($"conv3×3({w})-BN-ReLU", convs)) + "-pool");
        int side = SideAfter(widths.Count);
        return string.Join(" → ", blocks) + $" → Linear({widths[^1] * side * side}, 10)";
    }
}
