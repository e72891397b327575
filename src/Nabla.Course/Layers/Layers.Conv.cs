using System.Numerics;

namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="ConvBackward"/> reads: x's shape, the weights, the im2col matrix of the padded input
    /// [C·HH·WW, N·H′·W′], and the geometry.</summary>
    public sealed record ConvCache(int[] XShape, Tensor W, Tensor Cols, IntPair Stride, IntPair Pad, int OutH, int OutW);

    /// <summary>
    /// 2-d convolution (cross-correlation, as PyTorch and cs231n) of x [N, C, H, W] with filters w [F, C, HH, WW] and
    /// bias b [F], zero padding <paramref name="pad"/> (ph, pw) on each side and stride <paramref name="stride"/> (sh, sw):
    /// out[n, f, i, j] = b[f] + Σ_c Σ_{p,q} x̃[n, c, i·sh + p, j·sw + q]·w[f, c, p, q] with x̃ the padded input,
    /// out [N, F, H′, W′], H′ = ⌊(H + 2ph − HH)/sh⌋ + 1, W′ = ⌊(W + 2pw − WW)/sw⌋ + 1 (rows or columns a stride skips
    /// are ignored, like PyTorch). At stride 1 without padding, in the seed's notation, out[n, f] = Σ_c X[n, c] *filt W[f, c] + b[f].
    /// Computed as im2col: the patches become the columns of X_col [C·HH·WW, N·H′·W′] and out = W_row·X_col, with
    /// W_row = w reshaped to [F, C·HH·WW].
    /// </summary>
    public static (Tensor Out, ConvCache Cache) ConvForward(Tensor x, Tensor w, Tensor b, IntPair? stride = null, IntPair? pad = null)
    {
        const string op = "ConvForward";
        CheckFloat(op, ("x", x), ("w", w), ("b", b));
        var (s, p) = (stride ?? 1, pad ?? 0);
        if (x.Rank != 4) throw ShapeError(op, "x must be [N, C, H, W]", nameof(x), ("x", x));
        if (w.Rank != 4 || w.Shape[1] != x.Shape[1])
            throw ShapeError(op, "w must be [F, C, HH, WW] with x's channel count C", nameof(w), ("x", x), ("w", w));
        if (b.Rank != 1 || b.Shape[0] != w.Shape[0]) throw ShapeError(op, $"b must have shape [{w.Shape[0]}] (one per filter)", nameof(b), ("w", w), ("b", b));
        if (s.H < 1 || s.W < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"{op}: stride must be ≥ 1, got {s}");
        if (p.H < 0 || p.W < 0) throw new ArgumentOutOfRangeException(nameof(pad), $"{op}: padding must be ≥ 0, got {p}");
        int n = x.Shape[0], f = w.Shape[0], hh = w.Shape[2], ww = w.Shape[3];
        int h = x.Shape[2], wd = x.Shape[3];
        if (h + 2 * p.H < hh || wd + 2 * p.W < ww)
            throw ShapeError(op, $"the kernel {hh}×{ww} is larger than the padded input {h + 2 * p.H}×{wd + 2 * p.W}", nameof(w), ("x", x), ("w", w));
        int oh = (h + 2 * p.H - hh) / s.H + 1, ow = (wd + 2 * p.W - ww) / s.W + 1;
        int k = w.Shape[1] * hh * ww, cols = n * oh * ow;
        var geometry = new ConvCache(x.Shape.ToArray(), w, Tensor.Empty([k, cols], x.DType), s, p, oh, ow);
        if (IsF32(x)) Im2Col(Data<float>(Dense(x)), Data<float>(geometry.Cols), geometry);
        else Im2Col(Data<double>(Dense(x)), Data<double>(geometry.Cols), geometry);

        using var _ = GradMode.NoGrad();
        var outMat = Dense(Dense(w).Reshape(f, k).MatMul(geometry.Cols));          // [F, N·H′·W′]
        var out_ = Dense(outMat.Reshape(f, n, oh * ow).Permute(1, 0, 2));            // [N, F, H′·W′]
        var bs = Dense(b);
        if (IsF32(x)) AddChannelBias(Data<float>(out_), Data<float>(bs), n, f, oh * ow);
        else AddChannelBias(Data<double>(out_), Data<double>(bs), n, f, oh * ow);
        return (out_.Reshape(n, f, oh, ow), geometry);
    }

    /// <summary>
    /// Backward of <see cref="ConvForward"/> with G = ∂L/∂out [N, F, H′, W′] (G_row = G as [F, N·H′·W′]):
    /// ∂L/∂b[f] = Σ_{n,i,j} G[n, f, i, j];
    /// ∂L/∂w = G_row·X_colᵀ, i.e. ∂L/∂w[f, c, p, q] = Σ_{n,i,j} G[n, f, i, j]·x̃[n, c, i·sh + p, j·sw + q] — at stride 1
    /// ∂L/∂W_{f,c} = Σ_n X̃_{n,c} *filt ∂L/∂Y_{n,f} (correlate the input with the output gradient);
    /// ∂L/∂x = col2im(W_rowᵀ·G_row): every patch gradient is added back where the patch came from and the padding is
    /// cropped — at stride 1, ∂L/∂X̃_{n,c} = Σ_f ∂L/∂Y_{n,f} *full rot180(W_{f,c}), the full correlation (zero-pad G by
    /// HH−1, WW−1) with the kernel rotated by 180°, which is the seed's true full convolution ∂L/∂Y *full W with
    /// (a *full b)_{i,j} = Σ_{m,n} a_{m,n} b_{i−m+1, j−n+1}. With stride s the same holds for G dilated by s
    /// (s − 1 zeros between its entries).
    /// </summary>
    public static (Tensor Dx, Tensor Dw, Tensor Db) ConvBackward(Tensor dout, ConvCache cache)
    {
        const string op = "ConvBackward";
        CheckFloat(op, ("dout", dout), ("w", cache.W));
        int n = cache.XShape[0], f = cache.W.Shape[0], k = cache.Cols.Shape[0], plane = cache.OutH * cache.OutW;
        if (dout.Rank != 4 || dout.Shape[0] != n || dout.Shape[1] != f || dout.Shape[2] != cache.OutH || dout.Shape[3] != cache.OutW)
            throw ShapeError(op, $"dout must be [{n}, {f}, {cache.OutH}, {cache.OutW}] (the forward output's shape)", nameof(dout), ("dout", dout));
        using var _ = GradMode.NoGrad();
        var gRow = Dense(Dense(dout).Reshape(n, f, plane).Permute(1, 0, 2)).Reshape(f, n * plane);   // [F, N·H′·W′]
        var db = Tensor.Empty([f], dout.DType);
        var dw = Dense(gRow.MatMul(cache.Cols.T)).Reshape(cache.W.Shape.ToArray());              // [F, C, HH, WW]
        var dcols = Dense(Dense(cache.W).Reshape(f, k).T.MatMul(gRow));                          // [C·HH·WW, N·H′·W′]
        var dx = Tensor.Zeros(cache.XShape, dout.DType);
        if (IsF32(dout))
        {
            SumRows(Data<float>(Dense(gRow.T)), Data<float>(db), n * plane, f);
            Col2Im(Data<float>(dcols), Data<float>(dx), cache);
        }
        else
        {
            SumRows(Data<double>(Dense(gRow.T)), Data<double>(db), n * plane, f);
            Col2Im(Data<double>(dcols), Data<double>(dx), cache);
        }
        return (dx, dw, db);
    }

    /// <summary>cols[(c·HH + p)·WW + q, (n·H′ + i)·W′ + j] = x̃[n, c, i·sh + p, j·sw + q] (0 in the padding).</summary>
    private static void Im2Col<T>(Span<T> x, Span<T> cols, ConvCache g) where T : IFloatingPointIeee754<T>
    {
        var (n, c, h, w) = (g.XShape[0], g.XShape[1], g.XShape[2], g.XShape[3]);
        var (hh, ww) = (g.W.Shape[2], g.W.Shape[3]);
        int width = n * g.OutH * g.OutW;
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < hh; p++)
                for (int q = 0; q < ww; q++)
                {
                    var row = cols.Slice(((ch * hh + p) * ww + q) * width, width);
                    int o = 0;
                    for (int b = 0; b < n; b++)
                        for (int i = 0; i < g.OutH; i++)
                        {
                            int ih = i * g.Stride.H + p - g.Pad.H;
                            for (int j = 0; j < g.OutW; j++, o++)
                            {
                                int iw = j * g.Stride.W + q - g.Pad.W;
                                row[o] = ih >= 0 && ih < h && iw >= 0 && iw < w ? x[((b * c + ch) * h + ih) * w + iw] : T.Zero;
                            }
                        }
                }
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: dx[n, c, ih, iw] += dcols[…] for every patch entry that read it
    /// (padding entries are dropped). dx must be zero on entry.</summary>
    private static void Col2Im<T>(Span<T> dcols, Span<T> dx, ConvCache g) where T : IFloatingPointIeee754<T>
    {
        var (n, c, h, w) = (g.XShape[0], g.XShape[1], g.XShape[2], g.XShape[3]);
        var (hh, ww) = (g.W.Shape[2], g.W.Shape[3]);
        int width = n * g.OutH * g.OutW;
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < hh; p++)
                for (int q = 0; q < ww; q++)
                {
                    var row = dcols.Slice(((ch * hh + p) * ww + q) * width, width);
                    int o = 0;
                    for (int b = 0; b < n; b++)
                        for (int i = 0; i < g.OutH; i++)
                        {
                            int ih = i * g.Stride.H + p - g.Pad.H;
                            for (int j = 0; j < g.OutW; j++, o++)
                            {
                                int iw = j * g.Stride.W + q - g.Pad.W;
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) dx[((b * c + ch) * h + ih) * w + iw] += row[o];
                            }
                        }
                }
    }

    /// <summary>y[n, f, ·] += b[f] for y [N, F, P].</summary>
    private static void AddChannelBias<T>(Span<T> y, Span<T> b, int n, int f, int plane) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < f; ch++)
            {
                var row = y.Slice((i * f + ch) * plane, plane);
                for (int j = 0; j < plane; j++) row[j] += b[ch];
            }
    }
}
