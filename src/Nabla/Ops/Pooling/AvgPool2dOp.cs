using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y[n, c, oh, ow] = (1 / (kH·kW)) · Σ over the window x[n, c, oh·sH − pH + kh, ow·sW − pW + kw], padding counted as
/// zeros (PyTorch's default count_include_pad = True). ∂L/∂x[i] = Σ over the windows containing i of ∂L/∂y / (kH·kW).
/// </summary>
/// <remarks>Shapes: x [N, C, H, W] or [C, H, W] → y [.., OutH, OutW], OutH = ⌊(H + 2pH − kH) / sH⌋ + 1.</remarks>
public sealed class AvgPool2dOp : Node
{
    private int[] _inputShape = [];
    private ConvGeometry _geometry;

    public static Tensor Forward(Tensor input, IntPair kernelSize, IntPair stride, IntPair padding) =>
        Forward("AvgPool2d", input, kernelSize, stride, padding);

    internal static Tensor Forward(string op, Tensor input, IntPair kernelSize, IntPair stride, IntPair padding)
    {
        var g = PoolCore.Geometry(op, input, kernelSize, stride, padding, 1);
        var x = input.ContiguousRaw();
        var y = Tensor.Empty(PoolCore.OutputShape(input, g), input.DType);
        int planes = PoolCore.Planes(input);
        if (x.DType == DType.Float32) Pooling.AvgForward(PoolCore.Mem<float>(x), PoolCore.Out<float>(y), planes, g);
        else Pooling.AvgForward(PoolCore.Mem<double>(x), PoolCore.Out<double>(y), planes, g);
        return new AvgPool2dOp { _inputShape = input.Shape.ToArray(), _geometry = g }.Record(y, input);
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var gy = gradOutput.ContiguousRaw();
        var gx = Tensor.Empty(_inputShape, gy.DType);
        int planes = PoolCore.Planes(gx);
        if (gy.DType == DType.Float32) Pooling.AvgBackward(PoolCore.Mem<float>(gy), PoolCore.Out<float>(gx), planes, _geometry);
        else Pooling.AvgBackward(PoolCore.Mem<double>(gy), PoolCore.Out<double>(gx), planes, _geometry);
        return [gx];
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>2-d average pooling (PyTorch's <c>avg_pool2d</c>, count_include_pad, no ceil mode): stride
        /// defaults to the kernel size; padding ≤ kernel/2. See <see cref="AvgPool2dOp"/>.</summary>
        public Tensor AvgPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null) =>
            AvgPool2dOp.Forward(input, kernelSize, stride ?? kernelSize, padding ?? 0);

        /// <summary>1-d average pooling over the last dim of [N, C, L] or [C, L] (stride defaults to the kernel size).</summary>
        public Tensor AvgPool1d(int kernelSize, int? stride = null, int padding = 0)
        {
            PoolCore.CheckRank1d("AvgPool1d", input);
            var y = AvgPool2dOp.Forward("AvgPool1d", PoolCore.WithUnitHeight(input), (1, kernelSize), (1, stride ?? kernelSize), (0, padding));
            return y.Reshape([.. input.Shape[..^1], y.Size(-1)]);
        }
    }
}
