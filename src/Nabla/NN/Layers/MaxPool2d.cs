
namespace Nabla.NN;

/// <summary>Max over KernelSize windows. Shape: [N, C, H, W] → [N, C, Ho, Wo] (stride defaults to the kernel).</summary>
public sealed class MaxPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null) : Module
{
    public IntPair KernelSize { get; } = kernelSize;
    public IntPair Stride { get; } = stride ?? kernelSize;
    public IntPair Padding { get; } = padding ?? 0;

    public override Tensor Forward(Tensor input) => input.MaxPool2d(KernelSize, Stride, Padding);

    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}
