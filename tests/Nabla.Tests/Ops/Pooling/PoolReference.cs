namespace Nabla.Tests.Ops;

/// <summary>Direct pooling loops in float64 over [planes, H, W] (the oracle of the pooling op tests).</summary>
public static class PoolReference
{
    /// <summary>max over in-bounds taps (max) or Σ in-bounds taps / (kH·kW) (avg, count_include_pad).</summary>
    public static double[] Pool2d(bool max, double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
        int dh, int dw, out int outH, out int outW)
    {
        outH = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        outW = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        var y = new double[planes * outH * outW];
        for (int p = 0; p < planes; p++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (int a = 0; a < kh; a++)
                        for (int b = 0; b < kw; b++)
                        {
                            int ih = oh * sh - ph + a * dh, iw = ow * sw - pw + b * dw;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            double v = x[(p * h + ih) * w + iw];
                            acc = max ? Math.Max(acc, v) : acc + v;
                        }
                    y[(p * outH + oh) * outW + ow] = max ? acc : acc / (kh * kw);
                }
        return y;
    }
}
