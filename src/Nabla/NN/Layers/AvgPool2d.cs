
namespace Nabla.NN;

/// <summary>Mean over KernelSize windows (zero padding counted). Shape: [N, C, H, W] → [N, C, Ho, Wo].</summary>
public sealed class AvgPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null) : Module
{
    public IntPair KernelSize { get; } = kernelSize;
    public IntPair Stride { get; } = stride ?? kernelSize;
    public IntPair Padding { get; } = padding ?? 0;

    public override Tensor Forward(Tensor input) => input.AvgPool2d(KernelSize, Stride, Padding);

    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}
