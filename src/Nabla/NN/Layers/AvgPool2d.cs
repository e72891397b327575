
namespace Nabla.NN;

/// <summary>Mean over KernelSize windows (zero padding counted). Shape: [N, C, H, W] → [N, C, Ho, Wo].</summary>
public sealed class AvgPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null) : Module
{
    /// <summary>Window (kH, kW).</summary>
    public IntPair KernelSize { get; } = kernelSize;
    /// <summary>Step between windows; defaults to the kernel size (as PyTorch).</summary>
    public IntPair Stride { get; } = stride ?? kernelSize;
    /// <summary>Implicit padding on each side; default 0.</summary>
    public IntPair Padding { get; } = padding ?? 0;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.AvgPool2d(KernelSize, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}
