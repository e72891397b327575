
namespace Nabla.NN;

/// <summary>
/// 2-d convolution (cross-correlation) y = W ⋆ x + b.
/// Shape: input [N, InChannels, H, W] → [N, OutChannels, Ho, Wo], Ho = ⌊(H + pads − Dilation·(k − 1) − 1)/Stride⌋ + 1;
/// Weight [OutChannels, InChannels, kH, kW], Bias [OutChannels].
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Channels C of the input.</summary>
    public int InChannels { get; }
    /// <summary>Channels of the output (number of filters).</summary>
    public int OutChannels { get; }
    /// <summary>Kernel (kH, kW).</summary>
    public IntPair KernelSize { get; }
    /// <summary>Step (sH, sW) between output positions; default 1.</summary>
    public IntPair Stride { get; }
    /// <summary>Zero padding: sizes per side, or the mode "same" (stride 1) / "valid"; default 0.</summary>
    public ConvPadding Padding { get; }
    /// <summary>Spacing (dH, dW) between kernel taps; default 1.</summary>
    public IntPair Dilation { get; }
    /// <summary>The filters [OutChannels, InChannels, kH, kW].</summary>
    public Tensor Weight { get; }
    /// <summary>Per-output-channel bias [OutChannels]; null when built with bias: false.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation (see <see cref="ResetParameters"/>); <c>nn.Conv2d</c> without groups.</summary>
    /// <param name="inChannels">input channels C</param>
    /// <param name="outChannels">output channels</param>
    /// <param name="kernelSize">kernel (an int for a square one)</param>
    /// <param name="stride">default 1</param>
    /// <param name="padding">an int, (h, w), <see cref="ConvPadding.Sides"/>, or "same"/"valid"; default 0</param>
    /// <param name="dilation">default 1</param>
    /// <param name="bias">whether to learn a bias (default true)</param>
    /// <param name="dtype">parameter dtype; null = <see cref="DefaultDType.Current"/></param>
    /// <param name="generator">random source of the initial weights; null = the global generator</param>
    /// <exception cref="ArgumentException">a channel count or kernel size ≤ 0</exception>
    public Conv2d(int inChannels, int outChannels, IntPair kernelSize, IntPair? stride = null, ConvPadding? padding = null,
        IntPair? dilation = null, bool bias = true, DType? dtype = null, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentException($"Conv2d: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        (InChannels, OutChannels, KernelSize) = (inChannels, outChannels, kernelSize);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        Weight = RegisterParameter(nameof(Weight), Tensor.Zeros([outChannels, inChannels, kernelSize.H, kernelSize.W], dtype));
        if (bias) Bias = RegisterParameter(nameof(Bias), Tensor.Zeros([outChannels], dtype));
        ResetParameters(generator);
    }

    /// <summary>W ~ U(−1/√fan_in, 1/√fan_in), fan_in = InChannels·kH·kW (PyTorch's default); b = 0.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(InChannels * KernelSize.H * KernelSize.W);
        Init.Uniform_(Weight, -bound, bound, generator);
        if (Bias is not null) Init.Zeros_(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Conv2d(Weight, Bias, Stride, Padding, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}" +
        (Dilation != 1 ? $", dilation={Dilation}" : "") + (Bias is null ? ", bias=False" : "");
}
