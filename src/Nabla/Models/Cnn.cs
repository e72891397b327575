using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// Hyper-parameters of <see cref="Cnn"/>, named as the course's <c>CNN(convKernelSize, poolingKernelSize,
/// strideSize, zeroPadding, maxPooling)</c>: ZeroPadding true means "same"-style padding ⌊k/2⌋, false means "valid".
/// </summary>
public sealed record CnnOptions(
    int InChannels = 1,
    int Height = 28,
    int Width = 28,
    int Classes = 10,
    int ConvKernelSize = 5,
    int PoolingKernelSize = 2,
    int StrideSize = 1,
    bool ZeroPadding = true,
    bool MaxPooling = true,
    int[]? Channels = null,
    string Activation = "relu",
    double Dropout = 0,
    bool BatchNorm = false)
{
    public int[] ChannelPlan => Channels ?? [16, 32];

    public CnnOptions Validate()
    {
        if (InChannels <= 0 || Height <= 0 || Width <= 0 || Classes <= 0 || ConvKernelSize <= 0 || PoolingKernelSize <= 0 || StrideSize <= 0)
            throw new ArgumentException($"CNN: sizes must be positive ({this})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"CNN: dropout must be in [0, 1), got {Dropout}");
        return this;
    }
}

/// <summary>
/// input → [conv(c, k, stride, padding) → (BatchNorm2d) → activation → pool(p)] per entry of the channel plan
/// (16, 32) → flatten → (Dropout) → linear → logits (softmax is in the loss). Every size follows from the options:
/// the classifier's input width is measured by running one zero image through the feature layers.
/// Shape: [N, InChannels, Height, Width] → [N, Classes].
/// </summary>
public static class Cnn
{
    public static Sequential Create(CnnOptions? options = null, Generator? generator = null)
    {
        var o = (options ?? new CnnOptions()).Validate();
        var features = new List<Module>();
        int c = o.InChannels;
        foreach (int outC in o.ChannelPlan)
        {
            int pad = o.ZeroPadding ? o.ConvKernelSize / 2 : 0;
            features.Add(new Conv2d(c, outC, o.ConvKernelSize, o.StrideSize, pad, generator: generator));
            if (o.BatchNorm) features.Add(new BatchNorm2d(outC));
            features.Add(NN.Activation.FromName(o.Activation));
            features.Add(o.MaxPooling ? new MaxPool2d(o.PoolingKernelSize) : new AvgPool2d(o.PoolingKernelSize));
            c = outC;
        }
        features.Add(new Flatten());
        var net = new Sequential(features);
        int flat = FlatWidth(net, o);
        if (o.Dropout > 0) net.Add(new Dropout(o.Dropout));
        net.Add(new Linear(flat, o.Classes, generator: generator));
        return net;
    }

    private static int FlatWidth(Sequential features, CnnOptions o)
    {
        using var _ = GradMode.NoGrad();
        features.Eval();
        try
        {
            var y = features.Forward(Tensor.Zeros(1, o.InChannels, o.Height, o.Width));
            return y.Size(1);
        }
        catch (ShapeMismatchException e)
        {
            throw new ArgumentException($"CNN: a {o.Height}×{o.Width} input is too small for these layers ({e.Message})", e);
        }
        finally
        {
            features.Train();
        }
    }
}
