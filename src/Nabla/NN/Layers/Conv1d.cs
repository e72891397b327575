
namespace Nabla.NN;

/// <summary>
/// 1-d convolution (cross-correlation) over the last dim.
/// Shape: input [N, InChannels, L] → [N, OutChannels, Lo]; Weight [OutChannels, InChannels, KernelSize], Bias [OutChannels].
/// <see cref="Padding"/> takes the forms of <see cref="Conv2d"/>'s: an int (both ends), <c>"same"</c> (stride 1) or <c>"valid"</c>.
/// </summary>
public sealed class Conv1d : Module
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    /// <summary>Zero padding: an int for both ends, or the mode "same"/"valid".</summary>
    public ConvPadding Padding { get; }
    public int Dilation { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, ConvPadding? padding = null, int dilation = 1,
        bool bias = true, DType? dtype = null, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"Conv1d: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation) = (inChannels, outChannels, kernelSize, stride, padding ?? 0, dilation);
        Weight = RegisterParameter(nameof(Weight), Tensor.Zeros([outChannels, inChannels, kernelSize], dtype));
        if (bias) Bias = RegisterParameter(nameof(Bias), Tensor.Zeros([outChannels], dtype));
        double bound = 1 / Math.Sqrt(inChannels * kernelSize);   // PyTorch's default U(±1/√fan_in)
        Init.Uniform_(Weight, -bound, bound, generator);
    }

    public override Tensor Forward(Tensor input) => input.Conv1d(Weight, Bias, Stride, Padding, Dilation);

    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}
