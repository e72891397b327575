namespace Nabla.Tensors.Kernels;

/// <summary>
/// The index map of one 2-d convolution or pooling window over one image of C channels, H×W pixels: output pixel
/// (oh, ow) reads input rows ih = oh·StrideH − PadTop + kh·DilationH and columns iw = ow·StrideW − PadLeft +
/// kw·DilationW for kh &lt; KernelH, kw &lt; KernelW; positions outside [0,H)×[0,W) are the padding (zero for
/// convolution). A 1-d signal is the case H = 1, KernelH = 1, PadTop = 0.
/// </summary>
/// <remarks>
/// OutH = ⌊(H + PadTop + PadBottom − DilationH·(KernelH − 1) − 1) / StrideH⌋ + 1 (PyTorch's formula); the bottom and
/// right paddings only enter through OutH and OutW, so they are not stored. Callers validate the sizes.
/// </remarks>
internal readonly record struct ConvGeometry(
    int Channels, int H, int W,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadTop, int PadLeft,
    int DilationH, int DilationW,
    int OutH, int OutW)
{
    /// <summary>Geometry from padding on all four sides (output size by PyTorch's formula).</summary>
    public static ConvGeometry Create(int channels, int h, int w, int kernelH, int kernelW, int strideH, int strideW,
        int padTop, int padBottom, int padLeft, int padRight, int dilationH, int dilationW)
    {
        int outH = OutputSize(h, kernelH, strideH, padTop + padBottom, dilationH);
        int outW = OutputSize(w, kernelW, strideW, padLeft + padRight, dilationW);
        return new ConvGeometry(channels, h, w, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
    }

    /// <summary>⌊(size + totalPad − dilation·(kernel − 1) − 1) / stride⌋ + 1 (may be ≤ 0 when the kernel does not fit).</summary>
    public static int OutputSize(int size, int kernel, int stride, int totalPad, int dilation)
    {
        int span = size + totalPad - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /// <summary>Rows of the column matrix: Channels·KernelH·KernelW (one per weight of an output channel).</summary>
    public int ColRows => Channels * KernelH * KernelW;

    /// <summary>Output pixels per image: OutH·OutW (columns of the column matrix of one image).</summary>
    public int OutPixels => OutH * OutW;

    /// <summary>Input elements per image: Channels·H·W.</summary>
    public int ImageSize => Channels * H * W;

    /// <summary>
    /// The outputs o in [lo, hi) of one axis whose input index o·stride + offset falls inside [0, size); offset is
    /// k·dilation − pad for kernel tap k. Outside that range the tap reads padding.
    /// </summary>
    public static (int Lo, int Hi) ValidRange(int outSize, int size, int stride, int offset)
    {
        // o·stride + offset ≥ 0  ⇔  o ≥ ⌈−offset / stride⌉;   o·stride + offset < size  ⇔  o ≤ ⌊(size − 1 − offset) / stride⌋
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int top = size - 1 - offset;
        int hi = top < 0 ? 0 : Math.Min(outSize, top / stride + 1);
        return (Math.Min(lo, hi), hi);
    }
}
