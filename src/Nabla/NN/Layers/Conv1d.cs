using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>
/// 1-d convolution (cross-correlation) over the last dim.
/// Shape: input [N, InChannels, L] → [N, OutChannels, Lo]; Weight [OutChannels, InChannels, KernelSize], Bias [OutChannels].
/// <see cref="PaddingMode"/> "same"/"valid" overrides <see cref="Padding"/> when set.
/// </summary>
public sealed class Conv1d : Module
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public string? PaddingMode { get; }
    public int Dilation { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool bias = true, string? paddingMode = null, DType? dtype = null, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"Conv1d: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, PaddingMode) = (inChannels, outChannels, kernelSize, stride, padding, dilation, paddingMode);
        Weight = RegisterParameter(nameof(Weight), Tensor.Zeros([outChannels, inChannels, kernelSize], dtype));
        if (bias) Bias = RegisterParameter(nameof(Bias), Tensor.Zeros([outChannels], dtype));
        double bound = 1 / Math.Sqrt(inChannels * kernelSize);   // PyTorch's default U(±1/√fan_in)
        Init.Uniform_(Weight, -bound, bound, generator);
    }

    public override Tensor Forward(Tensor input) => PaddingMode is null
        ? input.Conv1d(Weight, Bias, Stride, Padding, Dilation)
        : input.Conv1d(Weight, Bias, PaddingMode, Stride, Dilation);

    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={PaddingMode ?? Padding.ToString()}";
}
