namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    /// <summary>Samples of a reduction: a [2, 3, 4] tensor in each layout (a transposed and an expanded one).</summary>
    private static readonly Sample[] ReduceSamples =
    [
        new("contiguous [2, 3, 4]", Arg.F(2, 3, 4)),
        new("transposed [2, 4, 3]", Arg.F(2, 4, 3).T),
        new("expanded [2, 3, 4]", Arg.F(2, 3, 4).E),
    ];

    private static OpInfo Reduction(string name, string covers, Func<Tensor, Tensor> f, int[] dims, bool keepDim, Func<double[], double> r) =>
        Row(name, [covers], ReduceSamples, x => f(x[0]), x => x[0].Reduce(dims, keepDim, r));

    /// <summary>Max/Min over everything: no expanded sample (its repeated values tie, where the gradient is not defined).</summary>
    private static OpInfo ReductionWithoutTies(string name, string covers, Func<Tensor, Tensor> f, Func<double[], double> r) =>
        Row(name, [covers], ReduceSamples[..2], x => f(x[0]), x => x[0].Reduce([], false, r));

    private static double Var(double[] v, bool unbiased)
    {
        double m = v.Average();
        return v.Sum(a => (a - m) * (a - m)) / (v.Length - (unbiased ? 1 : 0));
    }

    private static double Lse(double[] v)
    {
        double m = v.Max();
        return m + Math.Log(v.Sum(a => Math.Exp(a - m)));
    }

    private static IEnumerable<OpInfo> Reductions() =>
    [
        Reduction("Sum()", "Sum", x => x.Sum(), [], false, v => v.Sum()),
        Reduction("Sum(1)", "Sum", x => x.Sum(1), [1], false, v => v.Sum()),
        Reduction("Sum([0, 2], keepDim)", "Sum", x => x.Sum([0, 2], keepDim: true), [0, 2], true, v => v.Sum()),
        Reduction("Mean()", "Mean", x => x.Mean(), [], false, v => v.Average()),
        Reduction("Mean(-1, keepDim)", "Mean", x => x.Mean(-1, keepDim: true), [-1], true, v => v.Average()),
        Reduction("Mean([0, 1])", "Mean", x => x.Mean([0, 1]), [0, 1], false, v => v.Average()),
        ReductionWithoutTies("Max()", "Max", x => x.Max(), v => v.Max()),
        Reduction("Max(1).Values", "Max", x => x.Max(1).Values, [1], false, v => v.Max()),
        ReductionWithoutTies("Min()", "Min", x => x.Min(), v => v.Min()),
        Reduction("Min(2, keepDim).Values", "Min", x => x.Min(2, keepDim: true).Values, [2], true, v => v.Min()),
        Reduction("Var()", "Var", x => x.Var(), [], false, v => Var(v, true)),
        Reduction("Var(1, biased)", "Var", x => x.Var(1, unbiased: false), [1], false, v => Var(v, false)),
        Reduction("Var([0, 2], keepDim)", "Var", x => x.Var([0, 2], keepDim: true), [0, 2], true, v => Var(v, true)),
        Reduction("Std()", "Std", x => x.Std(), [], false, v => Math.Sqrt(Var(v, true))),
        Reduction("Std(-1, keepDim)", "Std", x => x.Std(-1, keepDim: true), [-1], true, v => Math.Sqrt(Var(v, true))),
        Reduction("Std([0, 1], biased)", "Std", x => x.Std([0, 1], unbiased: false), [0, 1], false, v => Math.Sqrt(Var(v, false))),
        Reduction("LogSumExp(1)", "LogSumExp", x => x.LogSumExp(1), [1], false, Lse),
        Reduction("LogSumExp([0, 2], keepDim)", "LogSumExp", x => x.LogSumExp([0, 2], keepDim: true), [0, 2], true, Lse),
        Row("Softmax(1)", ["Softmax"], ReduceSamples, x => x[0].Softmax(1), x => Ref.AlongDim(x[0], 1, Ref.Softmax)),
        Row("Softmax()", ["Softmax"], ReduceSamples, x => x[0].Softmax(), x => Ref.AlongDim(x[0], -1, Ref.Softmax)),
        Row("LogSoftmax(0)", ["LogSoftmax"], ReduceSamples, x => x[0].LogSoftmax(0), x => Ref.AlongDim(x[0], 0, Ref.LogSoftmax)),
        Row("LogSoftmax()", ["LogSoftmax"], ReduceSamples, x => x[0].LogSoftmax(), x => Ref.AlongDim(x[0], -1, Ref.LogSoftmax)),
    ];
}
