using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// 2-d max and average pooling over <c>planes</c> independent H×W planes (N·C of them), windows as in
/// <see cref="ConvGeometry"/> (its Channels field is ignored: every plane is one channel). Legend: P = OutH·OutW.
/// <code>
///   max:  y[p] = max over the window's in-bounds taps (padding never wins), idx[p] = ih·W + iw of the first maximum
///         (a NaN wins and propagates, like PyTorch);            gx[idx[p]] += gy[p]
///   avg:  y[p] = Σ in-bounds taps / (kH·kW) (count_include_pad: padding counts as zeros);  gx[tap] += gy[p] / (kH·kW)
/// </code>
/// </summary>
/// <remarks>
/// The fast forms clip each window to the image once (tap ranges instead of a test per tap) and split the planes
/// between the cores when the work is large enough; the scalar twins test every tap. The common 2×2 / stride-2 max
/// pooling has a branch-free vector form (Pooling.Max2x2.cs): compare-and-branch per tap mispredicted on real
/// activations and made it 18% of an MNIST CNN step.
/// </remarks>
internal static partial class Pooling
{
    /// <summary>Below this many window taps in total, one thread does all planes.</summary>
    private const long ParallelTaps = 1 << 16;

    public static void MaxForward<T>(ReadOnlyMemory<T> input, Memory<T> output, Memory<int> indices, int planes, ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        Check(input.Length, output.Length, planes, g);
        bool keepIndices = !indices.IsEmpty;
        if (keepIndices && indices.Length < planes * g.OutPixels) throw new ArgumentException("Pooling: indices buffer is too small");
        if (g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadTop: 0, PadLeft: 0, DilationH: 1, DilationW: 1 })
        {
            ForPlanes(planes, g, (lo, hi) => MaxForward2x2(input.Span, output.Span, indices.Span, lo, hi, g.H, g.W, g.OutH, g.OutW));
            return;
        }
        ForPlanes(planes, g, (lo, hi) =>
        {
            var x = input.Span; var y = output.Span; var idx = indices.Span;
            for (int pl = lo; pl < hi; pl++)
            {
                var plane = x.Slice(pl * g.H * g.W, g.H * g.W);
                int o = pl * g.OutPixels;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int ih0 = oh * g.StrideH - g.PadTop;
                    var (khLo, khHi) = TapRange(ih0, g.H, g.KernelH, g.DilationH);
                    for (int ow = 0; ow < g.OutW; ow++, o++)
                    {
                        int iw0 = ow * g.StrideW - g.PadLeft;
                        var (kwLo, kwHi) = TapRange(iw0, g.W, g.KernelW, g.DilationW);
                        T best = T.NegativeInfinity;
                        int at = -1;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            int rowStart = (ih0 + kh * g.DilationH) * g.W;
                            for (int kw = kwLo, i = rowStart + iw0 + kwLo * g.DilationW; kw < kwHi; kw++, i += g.DilationW)
                            {
                                T v = plane[i];
                                if (v > best || T.IsNaN(v)) { best = v; at = i; }
                            }
                        }
                        y[o] = best;
                        if (keepIndices) idx[o] = at;
                    }
                }
            }
        });
    }

    /// <summary>gradInput (overwritten) = gradOutput routed to the argmax of each window.</summary>
    public static void MaxBackward<T>(ReadOnlyMemory<T> gradOutput, ReadOnlyMemory<int> indices, Memory<T> gradInput, int planes, ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        Check(gradInput.Length, gradOutput.Length, planes, g);
        if (indices.Length < planes * g.OutPixels) throw new ArgumentException("Pooling: indices buffer is too small");
        ForPlanes(planes, g, (lo, hi) =>
        {
            var gy = gradOutput.Span; var idx = indices.Span; var gx = gradInput.Span;
            int hw = g.H * g.W, p = g.OutPixels;
            for (int pl = lo; pl < hi; pl++)
            {
                var plane = gx.Slice(pl * hw, hw);
                plane.Clear();
                for (int o = pl * p, end = o + p; o < end; o++)
                    if (idx[o] >= 0) plane[idx[o]] += gy[o];
            }
        });
    }

    public static void AvgForward<T>(ReadOnlyMemory<T> input, Memory<T> output, int planes, ConvGeometry g) where T : IFloatingPointIeee754<T>
    {
        Check(input.Length, output.Length, planes, g);
        T scale = T.One / T.CreateChecked(g.KernelH * g.KernelW);
        ForPlanes(planes, g, (lo, hi) =>
        {
            var x = input.Span; var y = output.Span;
            for (int pl = lo; pl < hi; pl++)
            {
                var plane = x.Slice(pl * g.H * g.W, g.H * g.W);
                int o = pl * g.OutPixels;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int ih0 = oh * g.StrideH - g.PadTop;
                    var (khLo, khHi) = TapRange(ih0, g.H, g.KernelH, g.DilationH);
                    for (int ow = 0; ow < g.OutW; ow++, o++)
                    {
                        int iw0 = ow * g.StrideW - g.PadLeft;
                        var (kwLo, kwHi) = TapRange(iw0, g.W, g.KernelW, g.DilationW);
                        T sum = T.Zero;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            int rowStart = (ih0 + kh * g.DilationH) * g.W;
                            for (int kw = kwLo, i = rowStart + iw0 + kwLo * g.DilationW; kw < kwHi; kw++, i += g.DilationW) sum += plane[i];
                        }
                        y[o] = sum * scale;
                    }
                }
            }
        });
    }

    /// <summary>gradInput (overwritten): every in-bounds tap of a window receives gradOutput / (kH·kW).</summary>
    public static void AvgBackward<T>(ReadOnlyMemory<T> gradOutput, Memory<T> gradInput, int planes, ConvGeometry g) where T : IFloatingPointIeee754<T>
    {
        Check(gradInput.Length, gradOutput.Length, planes, g);
        T scale = T.One / T.CreateChecked(g.KernelH * g.KernelW);
        ForPlanes(planes, g, (lo, hi) =>
        {
            var gy = gradOutput.Span; var gx = gradInput.Span;
            for (int pl = lo; pl < hi; pl++)
            {
                var plane = gx.Slice(pl * g.H * g.W, g.H * g.W);
                plane.Clear();
                int o = pl * g.OutPixels;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int ih0 = oh * g.StrideH - g.PadTop;
                    var (khLo, khHi) = TapRange(ih0, g.H, g.KernelH, g.DilationH);
                    for (int ow = 0; ow < g.OutW; ow++, o++)
                    {
                        int iw0 = ow * g.StrideW - g.PadLeft;
                        var (kwLo, kwHi) = TapRange(iw0, g.W, g.KernelW, g.DilationW);
                        T share = gy[o] * scale;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            int rowStart = (ih0 + kh * g.DilationH) * g.W;
                            for (int kw = kwLo, i = rowStart + iw0 + kwLo * g.DilationW; kw < kwHi; kw++, i += g.DilationW) plane[i] += share;
                        }
                    }
                }
            }
        });
    }

    /// <summary>Taps k in [lo, hi) with start + k·dilation inside [0, size).</summary>
    private static (int Lo, int Hi) TapRange(int start, int size, int kernel, int dilation)
    {
        int lo = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
        int top = size - 1 - start;
        int hi = top < 0 ? 0 : Math.Min(kernel, top / dilation + 1);
        return (Math.Min(lo, hi), hi);
    }

    private static void ForPlanes(int planes, in ConvGeometry g, Action<int, int> body)
    {
        long taps = (long)planes * g.OutPixels * g.KernelH * g.KernelW;
        int workers = taps < ParallelTaps ? 1 : Math.Min(ParallelFor.MaxDegree, planes);
        if (workers <= 1) { body(0, planes); return; }
        ParallelFor.Run(workers, w => body((int)((long)planes * w / workers), (int)((long)planes * (w + 1) / workers)));
    }

    private static void Check(int inputLength, int outputLength, int planes, in ConvGeometry g)
    {
        if (inputLength < (long)planes * g.H * g.W)
            throw new ArgumentException($"Pooling: input has {inputLength} elements, {planes} planes of {g.H}×{g.W} need more");
        if (outputLength < (long)planes * g.OutPixels)
            throw new ArgumentException($"Pooling: output has {outputLength} elements, {planes} planes of {g.OutH}×{g.OutW} need more");
    }

    // ------------------------------------------------------------------ scalar twins (test oracles)

    public static void MaxForwardScalar<T>(ReadOnlySpan<T> input, Span<T> output, Span<int> indices, int planes, in ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        for (int pl = 0; pl < planes; pl++)
            for (int oh = 0; oh < g.OutH; oh++)
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    T best = T.NegativeInfinity;
                    int at = -1;
                    for (int kh = 0; kh < g.KernelH; kh++)
                        for (int kw = 0; kw < g.KernelW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH, iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                            T v = input[(pl * g.H + ih) * g.W + iw];
                            if (v > best || T.IsNaN(v)) { best = v; at = ih * g.W + iw; }
                        }
                    int o = (pl * g.OutH + oh) * g.OutW + ow;
                    output[o] = best;
                    if (!indices.IsEmpty) indices[o] = at;
                }
    }

    public static void AvgForwardScalar<T>(ReadOnlySpan<T> input, Span<T> output, int planes, in ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        for (int pl = 0; pl < planes; pl++)
            for (int oh = 0; oh < g.OutH; oh++)
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    T sum = T.Zero;
                    for (int kh = 0; kh < g.KernelH; kh++)
                        for (int kw = 0; kw < g.KernelW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH, iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) sum += input[(pl * g.H + ih) * g.W + iw];
                        }
                    output[(pl * g.OutH + oh) * g.OutW + ow] = sum / T.CreateChecked(g.KernelH * g.KernelW);
                }
    }

    public static void AvgBackwardScalar<T>(ReadOnlySpan<T> gradOutput, Span<T> gradInput, int planes, in ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        gradInput[..(planes * g.H * g.W)].Clear();
        for (int pl = 0; pl < planes; pl++)
            for (int oh = 0; oh < g.OutH; oh++)
                for (int ow = 0; ow < g.OutW; ow++)
                    for (int kh = 0; kh < g.KernelH; kh++)
                        for (int kw = 0; kw < g.KernelW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH, iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                                gradInput[(pl * g.H + ih) * g.W + iw] += gradOutput[(pl * g.OutH + oh) * g.OutW + ow] / T.CreateChecked(g.KernelH * g.KernelW);
                        }
    }
}
