using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y[n, c, oh, ow] = max over the window {x[n, c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW]} (padding never wins).
/// ∂L/∂x[i] = Σ of ∂L/∂y over the windows whose (first) maximum is element i.
/// </summary>
/// <remarks>Shapes: x [N, C, H, W] or [C, H, W] → y [.., OutH, OutW], OutH = ⌊(H + 2pH − dH·(kH − 1) − 1) / sH⌋ + 1.
/// Ties go to the first maximum in window order, so the subgradient at equal inputs is one-sided, like PyTorch.</remarks>
public sealed class MaxPool2dOp : Node
{
    private int[] _inputShape = [];
    private int[] _indices = [];     // flat index ih·W + iw of each output's argmax within its plane
    private ConvGeometry _geometry;

    public static Tensor Forward(Tensor input, IntPair kernelSize, IntPair stride, IntPair padding, IntPair dilation) =>
        Forward("MaxPool2d", input, kernelSize, stride, padding, dilation);

    internal static Tensor Forward(string op, Tensor input, IntPair kernelSize, IntPair stride, IntPair padding, IntPair dilation)
    {
        var g = PoolCore.Geometry(op, input, kernelSize, stride, padding, dilation);
        var x = input.ContiguousRaw();
        var y = OpBuffers.Uninitialized(PoolCore.OutputShape(input, g), input.DType);   // every output is written
        int planes = PoolCore.Planes(input);
        var indices = Node.WillRecord(input) ? StoragePool.Rent<int>(y.Numel) : [];
        if (x.DType == DType.Float32) Pooling.MaxForward(PoolCore.Mem<float>(x), PoolCore.Out<float>(y), indices, planes, g);
        else Pooling.MaxForward(PoolCore.Mem<double>(x), PoolCore.Out<double>(y), indices, planes, g);
        return new MaxPool2dOp { _inputShape = input.Shape.ToArray(), _indices = indices, _geometry = g }.Record(y, input);
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var gy = gradOutput.ContiguousRaw();
        var gx = OpBuffers.Uninitialized(_inputShape, gy.DType);   // MaxBackward clears each plane first
        int planes = PoolCore.Planes(gx);
        if (gy.DType == DType.Float32) Pooling.MaxBackward(PoolCore.Mem<float>(gy), _indices, PoolCore.Out<float>(gx), planes, _geometry);
        else Pooling.MaxBackward(PoolCore.Mem<double>(gy), _indices, PoolCore.Out<double>(gx), planes, _geometry);
        return [gx];
    }

    protected override void OnRelease()
    {
        if (_indices.Length > 0) StoragePool.Return(_indices);
        _indices = [];
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>2-d max pooling (PyTorch's <c>max_pool2d</c> without ceil mode): stride defaults to the kernel
        /// size; padding (≤ kernel/2) is implicit −∞. See <see cref="MaxPool2dOp"/>.</summary>
        public Tensor MaxPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null, IntPair? dilation = null) =>
            MaxPool2dOp.Forward(input, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1);

        /// <summary>1-d max pooling over the last dim of [N, C, L] or [C, L] (stride defaults to the kernel size).</summary>
        public Tensor MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
        {
            PoolCore.CheckRank1d("MaxPool1d", input);
            var y = MaxPool2dOp.Forward("MaxPool1d", PoolCore.WithUnitHeight(input), (1, kernelSize), (1, stride ?? kernelSize), (0, padding), (1, dilation));
            return y.Reshape([.. input.Shape[..^1], y.Size(-1)]);
        }
    }
}
