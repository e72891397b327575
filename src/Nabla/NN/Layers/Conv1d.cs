
namespace Nabla.NN;

/// <summary>
/// 1-d convolution (cross-correlation) over the last dim.
/// Shape: input [N, InChannels, L] → [N, OutChannels, Lo]; Weight [OutChannels, InChannels, KernelSize], Bias [OutChannels].
/// <see cref="Padding"/> takes the forms of <see cref="Conv2d"/>'s: an int (both ends), <c>"same"</c> (stride 1) or <c>"valid"</c>.
/// </summary>
public sealed class Conv1d : Module
{
    /// <summary>Channels C of the input.</summary>
    public int InChannels { get; }
    /// <summary>Channels of the output (number of filters).</summary>
    public int OutChannels { get; }
    /// <summary>Kernel length k.</summary>
    public int KernelSize { get; }
    /// <summary>Step between output positions; default 1.</summary>
    public int Stride { get; }
    /// <summary>Zero padding: an int for both ends, or the mode "same"/"valid".</summary>
    public ConvPadding Padding { get; }
    /// <summary>Spacing between kernel taps; default 1.</summary>
    public int Dilation { get; }
    /// <summary>The filters [OutChannels, InChannels, KernelSize].</summary>
    public Tensor Weight { get; }
    /// <summary>Per-output-channel bias [OutChannels]; null when built with bias: false.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer: W ~ U(±1/√(InChannels·k)) as PyTorch; b = 0. <c>nn.Conv1d</c> without groups.</summary>
    /// <param name="inChannels">input channels C</param>
    /// <param name="outChannels">output channels</param>
    /// <param name="kernelSize">kernel length</param>
    /// <param name="stride">default 1</param>
    /// <param name="padding">an int (both ends) or "same"/"valid"; default 0</param>
    /// <param name="dilation">default 1</param>
    /// <param name="bias">whether to learn a bias (default true)</param>
    /// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
    /// <param name="generator">random source of the initial weights; null = the global generator</param>
    /// <exception cref="ArgumentException">a channel count or kernel size ≤ 0</exception>
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

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Conv1d(Weight, Bias, Stride, Padding, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}
