using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>Argument checks of the pooling ops (PyTorch's rules and messages) and the window geometry.</summary>
internal static class PoolCore
{
    /// <summary>Window geometry over the last two dims of a [N, C, H, W] or [C, H, W] input (Channels = 1: one plane).</summary>
    public static ConvGeometry Geometry(string op, Tensor input, IntPair kernelSize, IntPair stride, IntPair padding, IntPair dilation)
    {
        Dispatch.Floating(op, input);
        if (input.Rank is not (3 or 4))
            throw ShapeMismatchException.For(op, $"input must be [N, C, H, W] or [C, H, W], got rank {input.Rank}", input.Shape.ToArray());
        if (kernelSize.H < 1 || kernelSize.W < 1) throw new ArgumentException($"{op}: kernel size must be at least 1, got {kernelSize}");
        if (stride.H < 1 || stride.W < 1) throw new ArgumentException($"{op}: stride must be at least 1, got {stride}");
        if (dilation.H < 1 || dilation.W < 1) throw new ArgumentException($"{op}: dilation must be at least 1, got {dilation}");
        if (padding.H < 0 || padding.W < 0) throw new ArgumentException($"{op}: padding must be non-negative, got {padding}");
        if (padding.H > kernelSize.H / 2 || padding.W > kernelSize.W / 2)
            throw new ArgumentException($"{op}: padding should be at most half of the kernel size, got padding {padding} and kernel size {kernelSize}");
        int h = input.Size(-2), w = input.Size(-1);
        var g = ConvGeometry.Create(1, h, w, kernelSize.H, kernelSize.W, stride.H, stride.W,
            padding.H, padding.H, padding.W, padding.W, dilation.H, dilation.W);
        int extentH = dilation.H * (kernelSize.H - 1) + 1, extentW = dilation.W * (kernelSize.W - 1) + 1;
        if (h + 2 * padding.H < extentH || w + 2 * padding.W < extentW || g.OutH < 1 || g.OutW < 1)
            throw ShapeMismatchException.For(op,
                $"the window ({extentH}×{extentW} with dilation) does not fit the padded input ({h + 2 * padding.H}×{w + 2 * padding.W}); output size would be {g.OutH}×{g.OutW}",
                input.Shape.ToArray());
        return g;
    }

    public static void CheckRank1d(string op, Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw ShapeMismatchException.For(op, $"input must be [N, C, L] or [C, L], got rank {input.Rank}", input.Shape.ToArray());
    }

    /// <summary>[.., L] viewed as [.., 1, L] (recorded, so gradients flow back through the reshape).</summary>
    public static Tensor WithUnitHeight(Tensor input) => input.Reshape([.. input.Shape[..^1], 1, input.Size(-1)]);

    /// <summary>The input's shape with the last two dims replaced by the output's.</summary>
    public static int[] OutputShape(Tensor input, in ConvGeometry g)
    {
        var s = input.Shape.ToArray();
        s[^2] = g.OutH;
        s[^1] = g.OutW;
        return s;
    }

    public static int Planes(Tensor input) => input.Numel == 0 ? 0 : input.Numel / (input.Size(-2) * input.Size(-1));

    public static ReadOnlyMemory<T> Mem<T>(Tensor t) => new(t.Storage<T>(), t.Offset, t.Numel);

    public static Memory<T> Out<T>(Tensor t) => new(t.Storage<T>(), t.Offset, t.Numel);
}
