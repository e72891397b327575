namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    private const int N = 2, I = 3, H = 2, T = 3;

    /// <summary>One step's gate pre-activations: a [N, G·H] (projections or x·W_ihᵀ + b_ih) plus h·W_hhᵀ + b_hh.</summary>
    private static (Nd A, Nd B) Gates(Nd a, Nd h, Nd whh, Nd? bhh) => (a, Ref.Affine(h, whh, bhh));

    private static Nd Col(Nd m, int gate, int hidden)
    {
        int n = m.Shape[0], w = m.Shape[1];
        var r = Nd.Zeros(n, hidden);
        for (int i = 0; i < n; i++) for (int j = 0; j < hidden; j++) r[i, j] = m.Data[i * w + gate * hidden + j];
        return r;
    }

    private static Nd RnnStep(Nd a, Nd h, Nd whh, Nd? bhh, bool relu)
    {
        var (x, y) = Gates(a, h, whh, bhh);
        return Nd.Zip(x, y, (p, q) => relu ? Math.Max(p + q, 0) : Math.Tanh(p + q));
    }

    private static (Nd H, Nd C) LstmStep(Nd a, Nd h, Nd c, Nd whh, Nd? bhh)
    {
        var (x, y) = Gates(a, h, whh, bhh);
        var z = Nd.Zip(x, y, (p, q) => p + q);
        int hidden = h.Shape[1];
        var i = Col(z, 0, hidden).Map(Ref.Sigmoid);
        var f = Col(z, 1, hidden).Map(Ref.Sigmoid);
        var g = Col(z, 2, hidden).Map(Math.Tanh);
        var o = Col(z, 3, hidden).Map(Ref.Sigmoid);
        var c2 = Nd.Zip(Nd.Zip(f, c, (p, q) => p * q), Nd.Zip(i, g, (p, q) => p * q), (p, q) => p + q);
        return (Nd.Zip(o, c2, (p, q) => p * Math.Tanh(q)), c2);
    }

    private static Nd GruStep(Nd a, Nd h, Nd whh, Nd? bhh)
    {
        var (x, y) = Gates(a, h, whh, bhh);
        int hidden = h.Shape[1];
        var r = Nd.Zip(Col(x, 0, hidden), Col(y, 0, hidden), (p, q) => Ref.Sigmoid(p + q));
        var z = Nd.Zip(Col(x, 1, hidden), Col(y, 1, hidden), (p, q) => Ref.Sigmoid(p + q));
        var n = Nd.Zip3(Col(x, 2, hidden), r, Col(y, 2, hidden), (p, rr, q) => Math.Tanh(p + rr * q));
        return Nd.Zip3(z, n, h, (zz, nn, hh) => (1 - zz) * nn + zz * hh);
    }

    /// <summary>Step t of projections A ([T, N, G·H], or [N, T, G·H] batch-first) as [N, G·H].</summary>
    private static Nd StepOf(Nd a, int t, bool batchFirst)
    {
        var s = batchFirst ? a.Permute(1, 0, 2) : a;
        return s.Narrow(0, t, 1).Reshape(s.Shape[1], s.Shape[2]);
    }

    /// <summary>Per-step states [N, H] stacked back into the layout of A.</summary>
    private static Nd Seq(List<Nd> states, bool batchFirst)
    {
        var stacked = Nd.Cat(states.Select(s => s.Reshape(1, s.Shape[0], s.Shape[1])).ToList(), 0);
        return batchFirst ? stacked.Permute(1, 0, 2) : stacked;
    }

    private static Sample[] CellSamples(int gates, bool cx) =>
    [
        new("x [2, 3], states, W_ih, W_hh, b_ih, b_hh", [Arg.F(N, I), Arg.F(N, H), .. cx ? [Arg.F(N, H)] : Array.Empty<Arg>(),
            Arg.F(gates * H, I), Arg.F(gates * H, H), Arg.F(gates * H), Arg.F(gates * H)]),
        new("transposed x and W_ih, sliced h", [Arg.F(N, I).T, Arg.F(N, H).S, .. cx ? [Arg.F(N, H).E] : Array.Empty<Arg>(),
            Arg.F(gates * H, I).T, Arg.F(gates * H, H), Arg.F(gates * H), Arg.F(gates * H)]),
        new("expanded x, h and W_hh, sliced b_hh", [Arg.F(N, I).E, Arg.F(N, H).E, .. cx ? [Arg.F(N, H)] : Array.Empty<Arg>(),
            Arg.F(gates * H, I), Arg.F(gates * H, H).E, Arg.F(gates * H), Arg.F(gates * H).S]),
    ];

    private static Sample[] LayerSamples(int gates, bool c0, bool batchFirst) =>
    [
        new($"A {(batchFirst ? "[N, T, G·H]" : "[T, N, G·H]")}, h0, W_hh, b_hh",
            [Arg.F(batchFirst ? [N, T, gates * H] : [T, N, gates * H]), Arg.F(N, H), .. c0 ? [Arg.F(N, H)] : Array.Empty<Arg>(), Arg.F(gates * H, H), Arg.F(gates * H)]),
        new("sliced A, transposed W_hh",
            [Arg.F(batchFirst ? [N, T, gates * H] : [T, N, gates * H]).S, Arg.F(N, H), .. c0 ? [Arg.F(N, H).S] : Array.Empty<Arg>(), Arg.F(gates * H, H).T, Arg.F(gates * H)]),
        new("expanded A and h0, transposed A",
            [Arg.F(batchFirst ? [N, T, gates * H] : [T, N, gates * H]).E, Arg.F(N, H).E, .. c0 ? [Arg.F(N, H).E] : Array.Empty<Arg>(), Arg.F(gates * H, H), Arg.F(gates * H).S]),
    ];

    private static IEnumerable<OpInfo> Recurrent() =>
    [
        .. new[] { false, true }.Select(relu => Row($"RnnCell({(relu ? "relu" : "tanh")})", ["RnnCell"], CellSamples(1, false),
            x => x[0].RnnCell(x[1], x[2], x[3], x[4], x[5], relu ? RecurrentActivation.Relu : RecurrentActivation.Tanh),
            x => RnnStep(Ref.Affine(x[0], x[2], x[4]), x[1], x[3], x[5], relu)) with { GradCheck = GradCheckOptions.Default }),
        Row("LstmCell → [h', c']", ["LstmCell"], CellSamples(4, true), x =>
        {
            var (h, c) = x[0].LstmCell(x[1], x[2], x[3], x[4], x[5], x[6]);
            return TensorOps.Cat([h, c], 1);
        }, x =>
        {
            var (h, c) = LstmStep(Ref.Affine(x[0], x[3], x[5]), x[1], x[2], x[4], x[6]);
            return Nd.Cat([h, c], 1);
        }),
        Row("GruCell", ["GruCell"], CellSamples(3, false), x => x[0].GruCell(x[1], x[2], x[3], x[4], x[5]),
            x => GruStep(Ref.Affine(x[0], x[2], x[4]), x[1], x[3], x[5])),
        .. new[] { false, true }.Select(bf => Row($"RnnLayer(batchFirst {bf})", ["RnnLayer"], LayerSamples(1, false, bf),
            x => x[0].RnnLayer(x[1], x[2], x[3], bf), x =>
            {
                var h = x[1];
                var states = new List<Nd>();
                for (int t = 0; t < T; t++) states.Add(h = RnnStep(StepOf(x[0], t, bf), h, x[2], x[3], false));
                return Seq(states, bf);
            })),
        .. new[] { false, true }.Select(bf => Row($"GruLayer(batchFirst {bf})", ["GruLayer"], LayerSamples(3, false, bf),
            x => x[0].GruLayer(x[1], x[2], x[3], bf), x =>
            {
                var h = x[1];
                var states = new List<Nd>();
                for (int t = 0; t < T; t++) states.Add(h = GruStep(StepOf(x[0], t, bf), h, x[2], x[3]));
                return Seq(states, bf);
            })),
        .. new[] { false, true }.Select(bf => Row($"LstmLayer(batchFirst {bf}) → [H, C]", ["LstmLayer"], LayerSamples(4, true, bf), x =>
            {
                var (h, c) = x[0].LstmLayer(x[1], x[2], x[3], x[4], bf);
                return TensorOps.Cat([h, c], -1);
            }, x =>
            {
                var (h, c) = (x[1], x[2]);
                var hs = new List<Nd>();
                var cs = new List<Nd>();
                for (int t = 0; t < T; t++)
                {
                    (h, c) = LstmStep(StepOf(x[0], t, bf), h, c, x[3], x[4]);
                    hs.Add(h);
                    cs.Add(c);
                }
                return Nd.Cat([Seq(hs, bf), Seq(cs, bf)], -1);
            })),
    ];
}
