
namespace Nabla.NN;

/// <summary>
/// 2-d convolution (cross-correlation) y = W ⋆ x + b.
/// Shape: input [N, InChannels, H, W] → [N, OutChannels, Ho, Wo], Ho = ⌊(H + pads − Dilation·(k − 1) − 1)/Stride⌋ + 1;
/// Weight [OutChannels, InChannels, kH, kW], Bias [OutChannels].
/// </summary>
public sealed class Conv2d : Module
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public IntPair KernelSize { get; }
    public IntPair Stride { get; }
    public ConvPadding Padding { get; }
    public IntPair Dilation { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

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

    public override Tensor Forward(Tensor input) => input.Conv2d(Weight, Bias, Stride, Padding, Dilation);

    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}" +
        (Dilation != 1 ? $", dilation={Dilation}" : "") + (Bias is null ? ", bias=False" : "");
}
