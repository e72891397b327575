using Nabla.Tests.Ops;

namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    private static Nd Conv2dRef(Nd x, Nd w, Nd? b, int s, int pad, int dil)
    {
        var y = ConvReference.Conv2d(x.Data, x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], w.Data, w.Shape[0], w.Shape[2], w.Shape[3], b?.Data,
            s, s, pad, pad, pad, pad, dil, dil, out int oh, out int ow);
        return new Nd(y, [x.Shape[0], w.Shape[0], oh, ow]);
    }

    /// <summary>1-d convolution as a 2-d one of height 1.</summary>
    private static Nd Conv1dRef(Nd x, Nd w, Nd? b, int s, int left, int right, int dil)
    {
        var y = ConvReference.Conv2d(x.Data, x.Shape[0], x.Shape[1], 1, x.Shape[2], w.Data, w.Shape[0], 1, w.Shape[2], b?.Data,
            1, s, 0, 0, left, right, 1, dil, out _, out int ow);
        return new Nd(y, [x.Shape[0], w.Shape[0], ow]);
    }

    private static Nd Pool2dRef(bool max, Nd x, int k, int s, int pad, int dil)
    {
        int planes = x.Numel / (x.Shape[^1] * x.Shape[^2]);
        var y = PoolReference.Pool2d(max, x.Data, planes, x.Shape[^2], x.Shape[^1], k, k, s, s, pad, pad, dil, dil, out int oh, out int ow);
        return new Nd(y, [.. x.Shape[..^2], oh, ow]);
    }

    private static Nd Pool1dRef(bool max, Nd x, int k, int s, int pad)
    {
        int planes = x.Numel / x.Shape[^1];
        var y = PoolReference.Pool2d(max, x.Data, planes, 1, x.Shape[^1], 1, k, 1, s, 0, pad, 1, 1, out _, out int ow);
        return new Nd(y, [.. x.Shape[..^1], ow]);
    }

    /// <summary>numpy.convolve / numpy.correlate by their definitions, then the mode's window of the full result.</summary>
    private static Nd SignalRef(Nd a, Nd v, bool convolve, SignalMode mode)
    {
        int n = a.Numel, m = v.Numel, full = n + m - 1;
        var y = new double[full];
        for (int k = 0; k < full; k++)
            for (int j = 0; j < m; j++)
            {
                int i = k - j;
                if (i < 0 || i >= n) continue;
                y[k] += a.Data[i] * (convolve ? v.Data[j] : v.Data[m - 1 - j]);
            }
        int len = mode switch { SignalMode.Full => full, SignalMode.Same => Math.Max(n, m), _ => Math.Max(n, m) - Math.Min(n, m) + 1 };
        int start = (full - len) / 2;
        // numpy.correlate(a, v) for n < m is the reversed correlate(v, a); with n ≥ m (all samples here) no swap.
        return new Nd(y[start..(start + len)], [len]);
    }

    private static Nd BatchNormRef(Nd x, Nd? w, Nd? b, double eps)
    {
        int n = x.Shape[0], c = x.Shape[1], s = x.Numel / (n * c);
        var y = Nd.Zeros(x.Shape);
        for (int ch = 0; ch < c; ch++)
        {
            var vals = new List<double>();
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) vals.Add(x.Data[(i * c + ch) * s + k]);
            double mean = vals.Average(), var = vals.Sum(v => (v - mean) * (v - mean)) / vals.Count;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++)
                {
                    int at = (i * c + ch) * s + k;
                    y.Data[at] = (x.Data[at] - mean) / Math.Sqrt(var + eps) * (w?.Data[ch] ?? 1) + (b?.Data[ch] ?? 0);
                }
        }
        return y;
    }

    private static Nd Gather(Nd x, int dim, Nd index)
    {
        var y = Nd.Zeros(index.Shape);
        for (int i = 0; i < y.Numel; i++) { var idx = index.Index(i); idx[dim] = (int)index.Data[i]; y.Data[i] = x[idx]; }
        return y;
    }

    private static Nd IndexSelect(Nd x, int dim, Nd index)
    {
        var shape = x.Shape.ToArray();
        shape[dim] = index.Numel;
        var y = Nd.Zeros(shape);
        for (int i = 0; i < y.Numel; i++) { var idx = y.Index(i); idx[dim] = (int)index.Data[idx[dim]]; y.Data[i] = x[idx]; }
        return y;
    }

    private static IEnumerable<OpInfo> Nn() =>
    [
        Row("MatMul", ["MatMul"],
        [
            new("[3, 4]·[4, 5]", Arg.F(3, 4), Arg.F(4, 5)),
            new("transposed a, sliced b", Arg.F(3, 4).T, Arg.F(4, 5).S),
            new("expanded a", Arg.F(3, 4).E, Arg.F(4, 2).T),
        ], x => x[0].MatMul(x[1]), x => Nd.MatMul2(x[0], x[1])),
        Row("MatMul batched and broadcast", ["MatMul"],
        [
            new("[2, 3, 4]·[4, 5]", Arg.F(2, 3, 4), Arg.F(4, 5)),
            new("[2, 3, 4]·[2, 4, 2], transposed", Arg.F(2, 3, 4).T, Arg.F(2, 4, 2)),
        ], x => x[0].MatMul(x[1]), x =>
        {
            var a = x[0];
            var b = x[1];
            int batch = a.Shape[0], m = a.Shape[1], k = a.Shape[2], n = b.Shape[^1];
            var parts = Enumerable.Range(0, batch).Select(i => Nd.MatMul2(a.Narrow(0, i, 1).Reshape(m, k),
                b.Rank == 2 ? b : b.Narrow(0, i, 1).Reshape(k, n)).Reshape(1, m, n)).ToList();
            return Nd.Cat(parts, 0);
        }),
        Row("Linear(w, b)", ["Linear"],
        [
            new("x [3, 4], w [5, 4], b [5]", Arg.F(3, 4), Arg.F(5, 4), Arg.F(5)),
            new("transposed x and w", Arg.F(3, 4).T, Arg.F(5, 4).T, Arg.F(5)),
            new("expanded x and w", Arg.F(3, 4).E, Arg.F(5, 4).E, Arg.F(5)),
        ], x => x[0].Linear(x[1], x[2]), x => Ref.Affine(x[0], x[1], x[2])),
        Row("Linear(w)", ["Linear"], [new("x [2, 3], w [4, 3]", Arg.F(2, 3), Arg.F(4, 3).S)], x => x[0].Linear(x[1]), x => Ref.Affine(x[0], x[1], null)),
        Row("Conv2d(stride 2, padding 1, dilation 1)", ["Conv2d"],
        [
            new("x [2, 2, 5, 5], w [3, 2, 3, 3], b [3]", Arg.F(2, 2, 5, 5), Arg.F(3, 2, 3, 3), Arg.F(3)),
            new("transposed x, sliced w", Arg.F(2, 2, 5, 5).T, Arg.F(3, 2, 3, 3).S, Arg.F(3)),
            new("expanded x and w", Arg.F(2, 2, 5, 5).E, Arg.F(3, 2, 3, 3).E, Arg.F(3)),
        ], x => x[0].Conv2d(x[1], x[2], stride: 2, padding: 1), x => Conv2dRef(x[0], x[1], x[2], 2, 1, 1)),
        Row("Conv2d(dilation 2, no bias)", ["Conv2d"], [new("x [1, 2, 6, 6], w [2, 2, 2, 2]", Arg.F(1, 2, 6, 6), Arg.F(2, 2, 2, 2))],
            x => x[0].Conv2d(x[1], dilation: 2), x => Conv2dRef(x[0], x[1], null, 1, 0, 2)),
        Row("Conv1d(stride 2, padding 1, dilation 2)", ["Conv1d"],
        [
            new("x [2, 3, 9], w [4, 3, 3], b [4]", Arg.F(2, 3, 9), Arg.F(4, 3, 3), Arg.F(4)),
            new("sliced x, transposed w", Arg.F(2, 3, 9).S, Arg.F(4, 3, 3).T, Arg.F(4)),
            new("expanded x", Arg.F(2, 3, 9).E, Arg.F(4, 3, 3), Arg.F(4).S),
        ], x => x[0].Conv1d(x[1], x[2], stride: 2, padding: 1, dilation: 2), x => Conv1dRef(x[0], x[1], x[2], 2, 1, 1, 2)),
        Row("Conv1d(\"same\")", ["Conv1d"], [new("x [1, 2, 7], w [3, 2, 4] (even kernel: 1 left, 2 right)", Arg.F(1, 2, 7), Arg.F(3, 2, 4), Arg.F(3))],
            x => x[0].Conv1d(x[1], x[2], padding: "same"), x => Conv1dRef(x[0], x[1], x[2], 1, 1, 2, 1)),
        Row("Convolve(full)", ["Convolve"], [new("a [6], v [3]", Arg.F(6), Arg.F(3)), new("sliced a", Arg.F(5).S, Arg.F(2))],
            x => TensorOps.Convolve(x[0], x[1]), x => SignalRef(x[0], x[1], true, SignalMode.Full)),
        Row("Convolve(same)", ["Convolve"], [new("a [6], v [3]", Arg.F(6), Arg.F(3))],
            x => Signal1d.Convolve(x[0], x[1], SignalMode.Same), x => SignalRef(x[0], x[1], true, SignalMode.Same)),
        Row("Correlate(valid)", ["Correlate"], [new("a [7], v [3]", Arg.F(7), Arg.F(3)), new("sliced v", Arg.F(6), Arg.F(2).S)],
            x => TensorOps.Correlate(x[0], x[1]), x => SignalRef(x[0], x[1], false, SignalMode.Valid)),
        Row("Correlate(full)", ["Correlate"], [new("a [5], v [2]", Arg.F(5), Arg.F(2))],
            x => Signal1d.Correlate(x[0], x[1], SignalMode.Full), x => SignalRef(x[0], x[1], false, SignalMode.Full)),
        Row("MaxPool2d(3, stride 2, padding 1)", ["MaxPool2d"],
            [new("[2, 2, 5, 5]", Arg.F(2, 2, 5, 5)), new("transposed [2, 2, 5, 5]", Arg.F(2, 2, 5, 5).T)],
            x => x[0].MaxPool2d(3, 2, 1), x => Pool2dRef(true, x[0], 3, 2, 1, 1)),
        Row("MaxPool2d(2, dilation 2) of [C, H, W]", ["MaxPool2d"], [new("[2, 6, 6]", Arg.F(2, 6, 6))],
            x => x[0].MaxPool2d(2, 1, 0, 2), x => Pool2dRef(true, x[0], 2, 1, 0, 2)),
        Row("MaxPool1d(3, stride 2, padding 1)", ["MaxPool1d"], [new("[2, 3, 8]", Arg.F(2, 3, 8)), new("sliced", Arg.F(2, 3, 8).S)],
            x => x[0].MaxPool1d(3, 2, 1), x => Pool1dRef(true, x[0], 3, 2, 1)),
        Row("AvgPool2d(3, stride 2, padding 1)", ["AvgPool2d"],
            [new("[2, 2, 5, 5]", Arg.F(2, 2, 5, 5)), new("expanded [2, 2, 5, 5]", Arg.F(2, 2, 5, 5).E)],
            x => x[0].AvgPool2d(3, 2, 1), x => Pool2dRef(false, x[0], 3, 2, 1, 1)),
        Row("AvgPool1d(2)", ["AvgPool1d"], [new("[2, 3, 8]", Arg.F(2, 3, 8)), new("transposed", Arg.F(2, 3, 8).T)],
            x => x[0].AvgPool1d(2), x => Pool1dRef(false, x[0], 2, 2, 0)),
        Row("BatchNorm(training, affine)", ["BatchNorm"],
        [
            new("x [4, 3, 2, 2], γ, β [3]", Arg.F(4, 3, 2, 2), Arg.F(3), Arg.F(3)),
            new("transposed x", Arg.F(4, 3, 2, 2).T, Arg.F(3), Arg.F(3)),
            new("expanded x, sliced γ", Arg.F(4, 3, 2, 2).E, Arg.F(3).S, Arg.F(3)),
        ], x => x[0].BatchNorm(null, null, x[1], x[2], training: true), x => BatchNormRef(x[0], x[1], x[2], 1e-5)) with { Rtol = 1e-7 },
        Row("BatchNorm(training, no affine) of [N, C]", ["BatchNorm"], [new("x [5, 3]", Arg.F(5, 3))],
            x => x[0].BatchNorm(null, null, training: true, eps: 1e-3), x => BatchNormRef(x[0], null, null, 1e-3)) with { Rtol = 1e-7 },
        Row("BatchNorm(eval, running statistics)", ["BatchNorm"],
            [new("x [2, 3, 4], mean, var [3] (no grad)", Arg.F(2, 3, 4), Arg.F(3).NoGrad, Arg.F(3).In(0.5, 2).NoGrad, Arg.F(3), Arg.F(3))],
            x => x[0].BatchNorm(x[1], x[2], x[3], x[4], training: false), x =>
            {
                var y = Nd.Zeros(x[0].Shape);
                for (int i = 0; i < y.Numel; i++)
                {
                    int ch = x[0].Index(i)[1];
                    y.Data[i] = (x[0].Data[i] - x[1].Data[ch]) / Math.Sqrt(x[2].Data[ch] + 1e-5) * x[3].Data[ch] + x[4].Data[ch];
                }
                return y;
            }),
        Row("Embedding", ["Embedding"],
        [
            new("indices [2, 3] into weight [5, 4]", Arg.Labels(5, 2, 3), Arg.F(5, 4)),
            new("transposed weight", Arg.Labels(5, 4), Arg.F(5, 4).T),
            new("expanded weight", Arg.Labels(5, 2, 2), Arg.F(5, 3).E),
        ], x => TensorOps.Embedding(x[0], x[1]), x => IndexSelect(x[1], 0, x[0].Reshape(x[0].Numel)).Reshape([.. x[0].Shape, x[1].Shape[1]])),
        Row("Gather(1, index)", ["Gather"],
        [
            new("x [3, 4], index [3, 5] (repeats)", Arg.F(3, 4), Arg.Labels(4, 3, 5)),
            new("transposed x", Arg.F(3, 4).T, Arg.Labels(4, 3, 2)),
            new("expanded x", Arg.F(3, 4).E, Arg.Labels(4, 3, 4)),
        ], x => x[0].Gather(1, x[1]), x => Gather(x[0], 1, x[1])),
        Row("IndexSelect(0, index)", ["IndexSelect"],
        [
            new("x [4, 3], index [5] (repeats)", Arg.F(4, 3), Arg.Labels(4, 5)),
            new("sliced x", Arg.F(4, 3).S, Arg.Labels(4, 2)),
            new("expanded x, dim 1", Arg.F(4, 3).E, Arg.Labels(3, 2)),
        ], x => x[0].IndexSelect(0, x[1]), x => IndexSelect(x[0], 0, x[1])),
    ];
}
