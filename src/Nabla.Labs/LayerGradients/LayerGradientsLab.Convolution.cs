using Nabla.Course;
using static Nabla.Labs.ConvIdentities;
using static Nabla.Labs.GradientComparison;

namespace Nabla.Labs;

// Convolution (the *full / *filt identities, at stride 1 and with stride and padding) and max pooling. Letters:
// N batch, C channels, F filters, H×W input, HH×WW kernel, H′×W′ output, (sh, sw) stride, (ph, pw) padding.
public sealed partial class LayerGradientsLab
{
    /// <summary>How column (a) computes ∂L/∂X̃_{n,c} from the (dilated) output gradient G̃ and the kernel W.</summary>
    internal enum FullForm
    {
        /// <summary>Σ_f G̃_{n,f} *full W_{f,c}: the seed's *full, which flips its second argument.</summary>
        SeedFull,

        /// <summary>Σ_f pad_(HH−1, WW−1)(G̃_{n,f}) *filt rot180(W_{f,c}): slide the rotated kernel over the zero-padded gradient.</summary>
        RotatedCorrelation,

        /// <summary>The same without the rotation — a deliberate mistake the tests use to show the comparison catches it.</summary>
        UnrotatedCorrelation,
    }

    /// <summary>The closed-form convolution gradients, plane by plane with <see cref="ConvIdentities"/>:
    /// ∂L/∂X̃ = Σ_f G̃ *full W (then the padding is cropped), ∂L/∂W = Σ_n X̃ *filt G̃ (its first HH×WW entries),
    /// ∂L/∂b_f = Σ G_f, where G̃ is G dilated by the stride and X̃ the zero-padded input.</summary>
    internal static (double[] Dx, double[] Dw, double[] Db) ConvClosed(double[] x, double[] w, double[] dout, int[] xShape, int[] wShape,
        (int H, int W) stride, (int H, int W) pad, FullForm form)
    {
        var (n, c, h, wd) = (xShape[0], xShape[1], xShape[2], xShape[3]);
        var (f, hh, ww) = (wShape[0], wShape[2], wShape[3]);
        int hp = h + 2 * pad.H, wp = wd + 2 * pad.W;
        int oh = (hp - hh) / stride.H + 1, ow = (wp - ww) / stride.W + 1;
        double[] dx = new double[x.Length], dw = new double[w.Length], db = new double[f];
        double[,] Grad(int i, int k) => Dilate(Plane(dout, (i * f + k) * oh * ow, oh, ow), stride.H, stride.W);
        double[,] Kernel(int k, int ch) => Plane(w, (k * c + ch) * hh * ww, hh, ww);
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                var dxPadded = new double[hp * wp];
                for (int k = 0; k < f; k++)
                {
                    var gd = Grad(i, k);
                    var full = form switch
                    {
                        FullForm.SeedFull => Full(gd, Kernel(k, ch)),
                        FullForm.RotatedCorrelation => Filt(ZeroPad(gd, hh - 1, ww - 1), Rot180(Kernel(k, ch))),
                        _ => Filt(ZeroPad(gd, hh - 1, ww - 1), Kernel(k, ch)),
                    };
                    // (H′−1)·sh + HH ≤ H + 2ph: rows a stride skips at the bottom get no gradient.
                    AddWindow(dxPadded, 0, full.GetLength(0), wp, Widen(full, wp), 0, 0);
                }
                var plane = Plane(dxPadded, 0, hp, wp);
                AddWindow(dx, (i * c + ch) * h * wd, h, wd, plane, pad.H, pad.W);
            }
        for (int k = 0; k < f; k++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < n; i++)
                {
                    var filt = Filt(ZeroPad(Plane(x, (i * c + ch) * h * wd, h, wd), pad.H, pad.W), Grad(i, k));
                    AddWindow(dw, (k * c + ch) * hh * ww, hh, ww, filt, 0, 0);
                }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < f; k++)
                for (int j = 0; j < oh * ow; j++) db[k] += dout[(i * f + k) * oh * ow + j];
        return (dx, dw, db);
    }

    /// <summary>a padded with zero columns on the right to width <paramref name="width"/>.</summary>
    private static double[,] Widen(double[,] a, int width)
    {
        var r = new double[a.GetLength(0), width];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) r[i, j] = a[i, j];
        return r;
    }

    internal static GradientSection ConvStride1(LayerGradientsSettings s, Generator g, FullForm secondForm = FullForm.RotatedCorrelation) =>
        Conv(s, g, (1, 1), (0, 0), "conv", "Convolution at stride 1 without padding: the *full and *filt identities", secondForm,
            """
            Seed: (a *full b)_{i,j} = Σ_{m,n} a_{m,n} b_{i−m+1, j−n+1} (a true convolution: b is flipped), (a *filt b)_{i,j} = Σ_{m,n} a_{i+m−1, j+n−1} b_{m,n}.
            The layer (layers.py, PyTorch) computes Y_{n,f} = Σ_c X_{n,c} *filt W_{f,c} + b_f, of size H″ = H − H′ + 1 as the seed states.
              ∂L/∂X_{n,c} = Σ_f ∂L/∂Y_{n,f} *full W_{f,c}  =  Σ_f pad_{H′−1, W′−1}(∂L/∂Y_{n,f}) *filt rot180(W_{f,c})
                            (a full convolution of ∂L/∂Y with the kernel, i.e. the zero-padded ∂L/∂Y correlated with the 180°-rotated kernel;
                CNN texts, whose "convolution" slides the kernel without flipping it, write this ∂L/∂X = ∂L/∂Y *full rot180(W))
              ∂L/∂W_{f,c} = Σ_n X_{n,c} *filt ∂L/∂Y_{n,f}          ∂L/∂b_f = Σ_{n,i,j} ∂L/∂Y_{n,f,i,j}
            The seed writes Y = Σ_c X *full W and ∂L/∂X = Σ_f ∂L/∂Y *filt W, ∂L/∂W = Σ_n ∂L/∂Y *filt X; with its own sizes
            (H″ = H − H′ + 1) only the forward *filt fits, and then the gradients are the ones above (the sizes check: H″ + H′ − 1 = H
            for ∂L/∂X, H − H″ + 1 = H′ for ∂L/∂W). The rows compute them as plain loops from these definitions.
            """);

    internal static GradientSection ConvStrided(LayerGradientsSettings s, Generator g) =>
        Conv(s, g, (s.Stride[0], s.Stride[1]), (s.Pad[0], s.Pad[1]), "conv-strided",
            $"Convolution with stride {s.Stride[0]}×{s.Stride[1]} and zero padding {s.Pad[0]}×{s.Pad[1]}", FullForm.RotatedCorrelation,
            """
            With stride s and padding p (X̃ the zero-padded input, H′ = ⌊(H + 2p − HH)/s⌋ + 1), the same identities hold for the output
            gradient dilated by the stride, G̃ = ∂L/∂Y with s − 1 zeros between neighbouring entries:
              ∂L/∂X̃_{n,c} = Σ_f G̃_{n,f} *full W_{f,c}  (then crop the padding; rows/columns the stride skips get 0)
              ∂L/∂W_{f,c} = Σ_n (X̃_{n,c} *filt G̃_{n,f}) restricted to its first HH×WW entries          ∂L/∂b_f = Σ ∂L/∂Y_f
            """);

    private static GradientSection Conv(LayerGradientsSettings s, Generator g, (int H, int W) stride, (int H, int W) pad, string key, string title,
        FullForm secondForm, string formula)
    {
        int n = s.Batch, c = s.Channels, f = s.Filters;
        int[] xShape = [n, c, s.Image[0], s.Image[1]], wShape = [f, c, s.Kernel[0], s.Kernel[1]];
        double[] x = Randn(g, Product(xShape)), w = Randn(g, Product(wShape), 1 / Math.Sqrt(c * s.Kernel[0] * s.Kernel[1])), b = Randn(g, f);
        IntPair st = (stride.H, stride.W), pd = (pad.H, pad.W);
        var (y, cache) = Layers.ConvForward(T(x, xShape), T(w, wShape), T(b, f), st, pd);
        int[] yShape = y.Shape.ToArray();
        var dout = Randn(g, Product(yShape));
        var (ldx, ldw, ldb) = Layers.ConvBackward(T(dout, yShape), cache);
        var (dx, dw, db) = ConvClosed(x, w, dout, xShape, wShape, stride, pad, FullForm.SeedFull);
        var (dx2, _, _) = ConvClosed(x, w, dout, xShape, wShape, stride, pad, secondForm);
        var ag = ByAutograd(t => t[0].Conv2d(t[1], t[2], st, pd), dout, (x, xShape), (w, wShape), (b, [f]));
        double[] Forward() => Layers.ConvForward(T(x, xShape), T(w, wShape), T(b, f), st, pd).Out.ToDoubleArray();
        var fdx = Numeric(Forward, x, dout, s.Fd);
        string second = secondForm == FullForm.RotatedCorrelation ? "Σ_f pad(G̃) *filt rot180(W)" : "Σ_f pad(G̃) *filt W (no rotation)";
        return new GradientSection(key, title, "EECS 498 Q1.5 (derive)", formula,
            $"x {ShapeText(xShape)} ~ N(0, 1), W {ShapeText(wShape)} ~ N(0, 1/(C·HH·WW)), b [{f}], ∂L/∂Y {ShapeText(yShape)} ~ N(0, 1)",
            [
                Row("∂L/∂X = Σ_f G̃ *full W", xShape, dx, ldx.ToDoubleArray(), ag[0], fdx),
                Row("∂L/∂X = " + second, xShape, dx2, ldx.ToDoubleArray(), ag[0], fdx),
                Row("∂L/∂W = Σ_n X̃ *filt G̃", wShape, dw, ldw.ToDoubleArray(), ag[1], Numeric(Forward, w, dout, s.Fd)),
                Row("∂L/∂b = Σ G", [f], db, ldb.ToDoubleArray(), ag[2], Numeric(Forward, b, dout, s.Fd)),
            ]);
    }

    internal static GradientSection MaxPool(LayerGradientsSettings s, Generator g)
    {
        int[] shape = [s.Batch, s.Channels, s.Image[0], s.Image[1]];
        var (ph, pw, sh, sw) = (s.Pool[0], s.Pool[1], s.PoolStride[0], s.PoolStride[1]);
        int count = Product(shape), h = shape[2], w = shape[3], oh = (h - ph) / sh + 1, ow = (w - pw) / sw + 1;
        // Distinct values at least a kink gap apart in random order, so no window has a near-tie that x ± h could flip.
        var perm = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--) { int j = g.NextInt(i + 1); (perm[i], perm[j]) = (perm[j], perm[i]); }
        double spacing = Math.Max(6.0 / count, KinkGap(s.Fd));
        var x = perm.Select(p => (p - count / 2.0) * spacing).ToArray();
        int[] yShape = [shape[0], shape[1], oh, ow];
        var dout = Randn(g, Product(yShape));

        // ∂L/∂x = Σ over windows of ∂L/∂y routed to the window's argmax (overlapping windows add up).
        var dx = new double[count];
        for (int plane = 0; plane < shape[0] * shape[1]; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int best = -1;
                    for (int p = 0; p < ph; p++)
                        for (int q = 0; q < pw; q++)
                        {
                            int e = plane * h * w + (i * sh + p) * w + j * sw + q;
                            if (best < 0 || x[e] > x[best]) best = e;
                        }
                    dx[best] += dout[(plane * oh + i) * ow + j];
                }
        IntPair pool = (ph, pw), stride = (sh, sw);
        var (_, cache) = Layers.MaxPoolForward(T(x, shape), pool, stride);
        var ldx = Layers.MaxPoolBackward(T(dout, yShape), cache).ToDoubleArray();
        var ag = ByAutograd(t => t[0].MaxPool2d(pool, stride), dout, (x, shape))[0];
        var fd = Numeric(() => Layers.MaxPoolForward(T(x, shape), pool, stride).Out.ToDoubleArray(), x, dout, s.Fd);
        return new GradientSection("maxpool", $"Max pooling {ph}×{pw}, stride {sh}×{sw}", "EECS 498 Q5.1",
            """
            y_{n,c,i,j} = max_{p,q} x_{n,c,i·sh+p, j·sw+q}: locally the identity of the window's winner, so
              ∂L/∂x_e = Σ_{windows whose argmax is e} ∂L/∂y_window     (0 for inputs that win no window; overlapping windows add)
            """,
            $"x {ShapeText(shape)}: distinct values {LabReport.Format(spacing)} apart in random order; ∂L/∂y {ShapeText(yShape)} ~ N(0, 1)",
            [Row("∂L/∂x", shape, dx, ldx, ag, fd)]);
    }
}
