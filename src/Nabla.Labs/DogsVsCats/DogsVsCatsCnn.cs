using Nabla.NN;

namespace Nabla.Labs;

/// <summary>Hyper-parameters of <see cref="DogsVsCatsCnn"/>: square RGB input of side <see cref="ImageSize"/>
/// (a multiple of 2^stages, e.g. 64 or 128), channel plan per stage, hidden width of the head, dropout in the head.</summary>
public sealed record DogsVsCatsCnnOptions(int ImageSize = 64, int[]? Channels = null, int Hidden = 256, double Dropout = 0.5, int Classes = 2)
{
    public int[] ChannelPlan => Channels ?? [32, 64, 128, 128];

    public DogsVsCatsCnnOptions Validate()
    {
        if (ImageSize <= 0 || Hidden <= 0 || Classes <= 0 || ChannelPlan.Length == 0 || ChannelPlan.Any(c => c <= 0))
            throw new ArgumentException($"DogsVsCatsCnn: sizes must be positive ({this})");
        if (ImageSize % (1 << ChannelPlan.Length) != 0)
            throw new ArgumentException($"DogsVsCatsCnn: image size {ImageSize} must be a multiple of 2^{ChannelPlan.Length} (one halving per stage)");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"DogsVsCatsCnn: dropout must be in [0, 1), got {Dropout}");
        return this;
    }
}

/// <summary>
/// A CNN for Dogs vs Cats: per stage conv3×3(p = 1) → BatchNorm2d → ReLU → MaxPool2d(2) (channels 32, 64, 128, 128),
/// then flatten → (Dropout) → Linear(C·(s/16)², Hidden) → ReLU → (Dropout) → Linear(Hidden, 2) logits (cross-entropy
/// over {cat, dog}). Shape: [N, 3, s, s] → [N, Classes]; s = 64 gives a 128·4·4 = 2,048-wide feature vector.
/// </summary>
public static class DogsVsCatsCnn
{
    public static Sequential Create(DogsVsCatsCnnOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new DogsVsCatsCnnOptions()).Validate();
        var net = new Sequential();
        int c = 3, side = o.ImageSize;
        foreach (int outC in o.ChannelPlan)
        {
            net.Add(new Conv2d(c, outC, 3, padding: 1, generator: generator)).Add(new BatchNorm2d(outC)).Add(new ReLU()).Add(new MaxPool2d(2));
            c = outC;
            side /= 2;
        }
        net.Add(new Flatten());
        if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
        net.Add(new Linear(c * side * side, o.Hidden, generator: generator)).Add(new ReLU());
        if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
        net.Add(new Linear(o.Hidden, o.Classes, generator: generator));
        return net;
    }
}
