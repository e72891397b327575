namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    private static readonly string[] Reductions3 = ["mean", "sum", "none"];

    /// <summary>A pointwise loss ℓ(x, t) in each reduction: x [3, 4] (and transposed), t [3, 4] (and sliced).</summary>
    private static IEnumerable<OpInfo> Pointwise(string name, Func<Tensor, Tensor, LossReduction, Tensor> f, Func<double, double, double> loss, Arg x, Arg t) =>
        Reductions3.Select(red => Row($"{name}({red})", [name],
        [
            new("x, t [3, 4]", x with { Shape = [3, 4] }, t with { Shape = [3, 4] }),
            new("transposed x, sliced t", x with { Shape = [3, 4], Layout = Layout.Transposed }, t with { Shape = [3, 4], Layout = Layout.Sliced }),
            new("expanded x and t", x with { Shape = [3, 4], Layout = Layout.Expanded }, t with { Shape = [3, 4], Layout = t.Values is null ? Layout.Expanded : Layout.Transposed }),
        ], a => f(a[0], a[1], Ref.Parse(red)), a => Ref.Reduced(Nd.Zip(a[0], a[1], loss).Data, a[0].Shape, red)));

    /// <summary>−log softmax(x)[label] per row, optionally smoothed, class-weighted, with ignored rows.</summary>
    private static Nd CrossEntropyRef(Nd logits, Nd labels, Nd? weight, string red, double smoothing, bool fromLogProbs)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        var terms = new List<double>();
        var allTerms = new double[n];
        double weightSum = 0;
        for (int i = 0; i < n; i++)
        {
            int y = (int)labels.Data[i];
            if (y == -100) continue;
            var row = logits.Data[(i * c)..((i + 1) * c)];
            var logp = fromLogProbs ? row : Ref.LogSoftmax(row);
            double w = weight?.Data[y] ?? 1;
            double l = (1 - smoothing) * -logp[y] + smoothing / c * logp.Sum(v => -v);
            allTerms[i] = w * l;
            terms.Add(w * l);
            weightSum += w;
        }
        return red switch
        {
            "none" => new Nd(allTerms, [n]),
            "sum" => new Nd([terms.Sum()], []),
            _ => new Nd([terms.Sum() / weightSum], []),
        };
    }

    private static Arg LabelValues(params double[] v) => new([v.Length], IntHigh: 1, Grad: false, Values: v);

    private static IEnumerable<OpInfo> Losses() =>
    [
        .. Pointwise("MseLoss", (x, t, r) => x.MseLoss(t, r), (x, t) => (x - t) * (x - t), Arg.F(), Arg.F()),
        .. Pointwise("L1Loss", (x, t, r) => x.L1Loss(t, r), (x, t) => Math.Abs(x - t), Arg.F().Away(0.3), Arg.F() with { Values = Enumerable.Repeat(0.3, 12).ToArray() }),
        .. Pointwise("SmoothL1Loss", (x, t, r) => x.SmoothL1Loss(t, r, beta: 0.5), (x, t) => Math.Abs(x - t) < 0.5 ? 0.5 * (x - t) * (x - t) / 0.5 : Math.Abs(x - t) - 0.25,
            Arg.F().Away(-0.2, 0.3, 0.8), Arg.F() with { Values = Enumerable.Repeat(0.3, 12).ToArray() }),
        .. Pointwise("HuberLoss", (x, t, r) => x.HuberLoss(t, r, delta: 0.5), (x, t) => Math.Abs(x - t) < 0.5 ? 0.5 * (x - t) * (x - t) : 0.5 * (Math.Abs(x - t) - 0.25),
            Arg.F().Away(-0.2, 0.3, 0.8), Arg.F() with { Values = Enumerable.Repeat(0.3, 12).ToArray() }),
        .. Pointwise("BinaryCrossEntropyWithLogits", (x, t, r) => x.BinaryCrossEntropyWithLogits(t, r),
            (x, t) => -(t * Math.Log(Ref.Sigmoid(x)) + (1 - t) * Math.Log(1 - Ref.Sigmoid(x))), Arg.F().In(-4, 4), Arg.F().In(0, 1)),
        .. Pointwise("BinaryCrossEntropy", (x, t, r) => x.BinaryCrossEntropy(t, r), (p, t) => -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p)),
            Arg.F().In(0.05, 0.95), Arg.F().In(0, 1)),
        .. Pointwise("HingeLoss", (x, t, r) => x.HingeLoss(t, r, margin: 0.7), (s, t) => Math.Max(0, 0.7 - t * s),
            Arg.F().Away(-0.7, 0.7), Arg.F() with { Grad = false, Values = Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? -1.0 : 1.0).ToArray() }),   // targets must stay ±1
        .. Reductions3.Select(red => Row($"CrossEntropy({red})", ["CrossEntropy"],
        [
            new("logits [4, 3], labels [4]", Arg.F(4, 3), Arg.Labels(3, 4)),
            new("transposed logits", Arg.F(4, 3).T, Arg.Labels(3, 4)),
            new("expanded logits", Arg.F(4, 3).E, Arg.Labels(3, 4)),
        ], x => x[0].CrossEntropy(x[1], Ref.Parse(red)), x => CrossEntropyRef(x[0], x[1], null, red, 0, false))),
        Row("CrossEntropy(class weights, ignoreIndex)", ["CrossEntropy"],
            [new("logits [5, 3], weights [3], one ignored label", Arg.F(5, 3), LabelValues(2, -100, 0, 1, 2), Arg.F(3).In(0.2, 2).NoGrad)],
            x => x[0].CrossEntropy(x[1], weight: x[2]), x => CrossEntropyRef(x[0], x[1], x[2], "mean", 0, false)),
        Row("CrossEntropy(labelSmoothing 0.1)", ["CrossEntropy"], [new("logits [4, 5]", Arg.F(4, 5), Arg.Labels(5, 4))],
            x => x[0].CrossEntropy(x[1], labelSmoothing: 0.1), x => CrossEntropyRef(x[0], x[1], null, "mean", 0.1, false)),
        .. Reductions3.Select(red => Row($"NllLoss({red})", ["NllLoss"],
        [
            new("log-probabilities [4, 3], labels [4]", Arg.F(4, 3), Arg.Labels(3, 4)),
            new("expanded input", Arg.F(4, 3).E, Arg.Labels(3, 4)),
        ], x => x[0].NllLoss(x[1], Ref.Parse(red)), x => CrossEntropyRef(x[0], x[1], null, red, 0, true))),
        Row("NllLoss(class weights, ignoreIndex)", ["NllLoss"],
            [new("[5, 3]", Arg.F(5, 3), LabelValues(0, 2, -100, 2, 1), Arg.F(3).In(0.2, 2).NoGrad)],
            x => x[0].NllLoss(x[1], weight: x[2]), x => CrossEntropyRef(x[0], x[1], x[2], "mean", 0, true)),
        .. Reductions3.Select(red => Row($"MultiMarginLoss({red}, margin 0.8)", ["MultiMarginLoss"],
        [
            new("scores [4, 3], labels [4]", Arg.F(4, 3), Arg.Labels(3, 4)),
            new("transposed scores", Arg.F(4, 3).T, Arg.Labels(3, 4)),
            new("expanded scores", Arg.F(4, 3).E, Arg.Labels(3, 4)),
        ], x => x[0].MultiMarginLoss(x[1], Ref.Parse(red), 0.8), x =>
        {
            int n = x[0].Shape[0], c = x[0].Shape[1];
            var terms = new double[n];
            for (int i = 0; i < n; i++)
            {
                int y = (int)x[1].Data[i];
                for (int j = 0; j < c; j++)
                    if (j != y) terms[i] += Math.Max(0, 0.8 - x[0][i, y] + x[0][i, j]) / c;
            }
            return Ref.Reduced(terms, [n], red);
        })),
        Row("L1Penalty", ["L1Penalty"], [new("w [3, 4], b [4]", Arg.F(3, 4).Away(0), Arg.F(4).Away(0)), new("transposed w", Arg.F(3, 4).Away(0).T, Arg.F(4).Away(0))],
            x => TensorOps.L1Penalty([x[0], x[1]], 0.1), x => new Nd([0.1 * (x[0].Data.Sum(Math.Abs) + x[1].Data.Sum(Math.Abs))], [])),
        Row("L2Penalty", ["L2Penalty"], [new("w [3, 4], b [4]", Arg.F(3, 4), Arg.F(4)), new("sliced w", Arg.F(3, 4).S, Arg.F(4)), new("expanded w", Arg.F(3, 4).E, Arg.F(4).S)],
            x => TensorOps.L2Penalty([x[0], x[1]], 0.1), x => new Nd([0.05 * (x[0].Data.Sum(v => v * v) + x[1].Data.Sum(v => v * v))], [])),
    ];
}
