namespace Nabla.Labs;

/// <summary>
/// The two 2-d operations of EECS 498 Q1.5, written from the seed's definitions as plain loops (0-based indices):
/// (a *full b)_{i,j} = Σ_{m,n} a_{m,n} b_{i−m, j−n}  (a true convolution, size (H + H′ − 1)×(W + W′ − 1)) and
/// (a *filt b)_{i,j} = Σ_{m,n} a_{i+m, j+n} b_{m,n}  (a valid cross-correlation, size (H − H′ + 1)×(W − W′ + 1)),
/// with the helpers the convolution gradients need (rotation by 180°, zero padding, dilation by the stride).
/// </summary>
internal static class ConvIdentities
{
    public static double[,] Full(double[,] a, double[,] b)
    {
        int ha = a.GetLength(0), wa = a.GetLength(1), hb = b.GetLength(0), wb = b.GetLength(1);
        var r = new double[ha + hb - 1, wa + wb - 1];
        for (int i = 0; i < r.GetLength(0); i++)
            for (int j = 0; j < r.GetLength(1); j++)
            {
                double s = 0;
                for (int m = 0; m < ha; m++)
                    for (int n = 0; n < wa; n++)
                    {
                        int p = i - m, q = j - n;
                        if (p >= 0 && p < hb && q >= 0 && q < wb) s += a[m, n] * b[p, q];
                    }
                r[i, j] = s;
            }
        return r;
    }

    public static double[,] Filt(double[,] a, double[,] b)
    {
        int hb = b.GetLength(0), wb = b.GetLength(1);
        var r = new double[a.GetLength(0) - hb + 1, a.GetLength(1) - wb + 1];
        for (int i = 0; i < r.GetLength(0); i++)
            for (int j = 0; j < r.GetLength(1); j++)
            {
                double s = 0;
                for (int m = 0; m < hb; m++)
                    for (int n = 0; n < wb; n++) s += a[i + m, j + n] * b[m, n];
                r[i, j] = s;
            }
        return r;
    }

    /// <summary>rot180(a)_{i,j} = a_{H−1−i, W−1−j}.</summary>
    public static double[,] Rot180(double[,] a)
    {
        int h = a.GetLength(0), w = a.GetLength(1);
        var r = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) r[i, j] = a[h - 1 - i, w - 1 - j];
        return r;
    }

    /// <summary>a with <paramref name="ph"/> rows of zeros above and below and <paramref name="pw"/> columns left and right.</summary>
    public static double[,] ZeroPad(double[,] a, int ph, int pw)
    {
        var r = new double[a.GetLength(0) + 2 * ph, a.GetLength(1) + 2 * pw];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) r[i + ph, j + pw] = a[i, j];
        return r;
    }

    /// <summary>a with s − 1 zeros between neighbouring entries (the output gradient of a strided convolution placed
    /// where a stride-1 convolution would have produced it).</summary>
    public static double[,] Dilate(double[,] a, int sh, int sw)
    {
        var r = new double[(a.GetLength(0) - 1) * sh + 1, (a.GetLength(1) - 1) * sw + 1];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) r[i * sh, j * sw] = a[i, j];
        return r;
    }

    /// <summary>The [h, w] plane starting at <paramref name="offset"/> of a row-major array.</summary>
    public static double[,] Plane(double[] t, int offset, int h, int w)
    {
        var p = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) p[i, j] = t[offset + i * w + j];
        return p;
    }

    /// <summary>t[offset + i·w + j] += a[rowStart + i, colStart + j] for the [h, w] window of a.</summary>
    public static void AddWindow(double[] t, int offset, int h, int w, double[,] a, int rowStart, int colStart)
    {
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) t[offset + i * w + j] += a[rowStart + i, colStart + j];
    }
}
