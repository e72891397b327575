namespace Nabla.Tests.OpDb;

/// <summary>
/// The op table: one row per public op (or overload family), split by family into partial files. Adding an op
/// means adding a row here; <see cref="OpCoverageTests"/> fails while a public differentiable op has none.
/// </summary>
public static partial class OpTable
{
    private static List<OpInfo>? _all;

    public static IReadOnlyList<OpInfo> All => _all ??= [.. Elementwise(), .. Reductions(), .. ShapeOps(), .. Nn(), .. Losses(), .. Recurrent()];

    private static OpInfo Row(string name, string[] covers, Sample[] samples, Func<Tensor[], Tensor> call, Func<Nd[], Nd> reference) =>
        new(name, covers, samples, call, reference);

    /// <summary>The standard samples of an element-wise unary op: contiguous, transposed, sliced, expanded, and 0-d.</summary>
    private static Sample[] UnarySamples(Arg a) =>
    [
        new("contiguous [3, 4]", a with { Shape = [3, 4] }),
        new("transposed [4, 3]", a with { Shape = [4, 3], Layout = Layout.Transposed }),
        new("sliced [2, 5]", a with { Shape = [2, 5], Layout = Layout.Sliced }),
        new("expanded [3, 4]", a with { Shape = [3, 4], Layout = Layout.Expanded }),
        new("0-d", a with { Shape = [] }),
    ];

    /// <summary>The standard samples of a broadcasting binary op.</summary>
    private static Sample[] BinarySamples(Arg a, Arg b) =>
    [
        new("same shape [3, 4]", a with { Shape = [3, 4] }, b with { Shape = [3, 4] }),
        new("broadcast [3, 1] and [1, 4]", a with { Shape = [3, 1] }, b with { Shape = [1, 4] }),
        new("broadcast [2, 3, 4] and [4]", a with { Shape = [2, 3, 4] }, b with { Shape = [4] }),
        new("transposed a, expanded b", a with { Shape = [3, 4], Layout = Layout.Transposed }, b with { Shape = [3, 4], Layout = Layout.Expanded }),
        new("sliced b, 0-d a", a with { Shape = [] }, b with { Shape = [2, 3], Layout = Layout.Sliced }),
    ];

    private static OpInfo Unary(string name, Func<Tensor, Tensor> f, Func<double, double> r, Arg arg, params string[] covers) =>
        Row(name, covers.Length == 0 ? [name] : covers, UnarySamples(arg), x => f(x[0]), x => x[0].Map(r));

    private static OpInfo Binary(string name, Func<Tensor, Tensor, Tensor> f, Func<double, double, double> r, Arg a, Arg b, params string[] covers) =>
        Row(name, covers, BinarySamples(a, b), x => f(x[0], x[1]), x => Nd.Zip(x[0], x[1], r));
}
