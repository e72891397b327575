namespace Nabla.Tests.Ops;

/// <summary>Direct (definition-by-loops) 2-d convolution in float64, the oracle of the convolution tests.</summary>
public static class ConvReference
{
    /// <summary>y[n, co, oh, ow] = b[co] + Σ w[co, ci, kh, kw]·x[n, ci, oh·sH − top + kh·dH, ow·sW − left + kw·dW].</summary>
    public static double[] Conv2d(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int kh, int kw, double[]? b,
        int sh, int sw, int top, int bottom, int left, int right, int dh, int dw, out int outH, out int outW)
    {
        outH = (h + top + bottom - dh * (kh - 1) - 1) / sh + 1;
        outW = (w + left + right - dw * (kw - 1) - 1) / sw + 1;
        var y = new double[n * cout * outH * outW];
        for (int i = 0; i < n; i++)
            for (int co = 0; co < cout; co++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double s = b?[co] ?? 0;
                        for (int ci = 0; ci < cin; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int c = 0; c < kw; c++)
                                {
                                    int ih = oh * sh - top + a * dh, iw = ow * sw - left + c * dw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    s += wt[((co * cin + ci) * kh + a) * kw + c] * x[((i * cin + ci) * h + ih) * w + iw];
                                }
                        y[((i * cout + co) * outH + oh) * outW + ow] = s;
                    }
        return y;
    }
}
