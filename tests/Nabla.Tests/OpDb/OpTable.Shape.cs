namespace Nabla.Tests.OpDb;

public static partial class OpTable
{
    private static readonly Sample[] Matrix34 =
    [
        new("contiguous [3, 4]", Arg.F(3, 4)),
        new("transposed [3, 4]", Arg.F(3, 4).T),
        new("expanded [3, 4]", Arg.F(3, 4).E),
    ];

    private static readonly Sample[] Cube234 =
    [
        new("contiguous [2, 3, 4]", Arg.F(2, 3, 4)),
        new("sliced [2, 3, 4]", Arg.F(2, 3, 4).S),
        new("expanded [2, 3, 4]", Arg.F(2, 3, 4).E),
    ];

    /// <summary>Σ_i (i + 1)·part_i, re-assembled: each part of a split gets its own weight, so a mixed-up part shows.</summary>
    private static Tensor Weighted(Tensor[] parts, int dim) => TensorOps.Cat(parts.Select((p, i) => p * (i + 1.0)).ToArray(), dim);

    private static Nd WeightedRef(Nd x, int dim, int[] sizes)
    {
        var parts = new List<Nd>();
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { parts.Add(x.Narrow(dim, start, sizes[i]).Map(v => v * (i + 1))); start += sizes[i]; }
        return Nd.Cat(parts, dim);
    }

    private static Nd Flip(Nd x, int[] dims)
    {
        var r = Nd.Zeros(x.Shape);
        for (int i = 0; i < x.Numel; i++)
        {
            var idx = x.Index(i);
            foreach (var d in dims) idx[d] = x.Shape[d] - 1 - idx[d];
            r.Data[i] = x[idx];
        }
        return r;
    }

    private static IEnumerable<OpInfo> ShapeOps() =>
    [
        Row("Reshape(4, -1)", ["Reshape"], Cube234[..1], x => x[0].Reshape(4, -1), x => x[0].Reshape(4, 6)),
        Row("Reshape of a transposed tensor (copies)", ["Reshape"], Matrix34, x => x[0].Reshape(2, 6), x => x[0].Reshape(2, 6)),
        Row("View(6, 4)", ["View"], Cube234[..1], x => x[0].View(6, 4), x => x[0].Reshape(6, 4)),
        Row("Flatten()", ["Flatten"], Cube234, x => x[0].Flatten(), x => x[0].Reshape(2, 12)),
        Row("Flatten(0, 1)", ["Flatten"], Cube234, x => x[0].Flatten(0, 1), x => x[0].Reshape(6, 4)),
        Row("Permute(2, 0, 1)", ["Permute"], Cube234, x => x[0].Permute(2, 0, 1), x => x[0].Permute(2, 0, 1)),
        Row("Transpose(0, 2)", ["Transpose"], Cube234, x => x[0].Transpose(0, 2), x => x[0].Permute(2, 1, 0)),
        Row("T", ["get_T"], Matrix34, x => x[0].T, x => x[0].Permute(1, 0)),
        Row("MT", ["get_MT"], Cube234, x => x[0].MT, x => x[0].Permute(0, 2, 1)),
        Row("Contiguous()", ["Contiguous"], Matrix34[1..], x => x[0].Contiguous(), x => x[0]),
        Row("Squeeze()", ["Squeeze"], [new("[3, 1, 4, 1]", Arg.F(3, 1, 4, 1)), new("sliced [3, 1, 4]", Arg.F(3, 1, 4).S)],
            x => x[0].Squeeze(), x => x[0].Reshape([.. x[0].Shape.Where(d => d != 1)])),
        Row("Squeeze(1)", ["Squeeze"], [new("[3, 1, 4]", Arg.F(3, 1, 4)), new("expanded [3, 1, 4]", Arg.F(3, 1, 4).E)],
            x => x[0].Squeeze(1), x => x[0].Reshape(3, 4)),
        Row("Unsqueeze(1)", ["Unsqueeze"], Matrix34, x => x[0].Unsqueeze(1), x => x[0].Reshape(3, 1, 4)),
        Row("Unsqueeze(-1)", ["Unsqueeze"], Matrix34, x => x[0].Unsqueeze(-1), x => x[0].Reshape(3, 4, 1)),
        Row("Expand(2, 3, 4) of [3, 1]", ["Expand"], [new("[3, 1]", Arg.F(3, 1)), new("sliced [3, 1]", Arg.F(3, 1).S)],
            x => x[0].Expand(2, 3, 4), x => Nd.Zip(x[0], Nd.Zeros(2, 3, 4), (a, _) => a)),
        Row("SumToShape([3, 1])", ["SumToShape"], Matrix34, x => x[0].SumToShape([3, 1]), x => x[0].Reduce([1], true, v => v.Sum())),
        Row("SumToShape([4]) of [2, 3, 4]", ["SumToShape"], Cube234, x => x[0].SumToShape([4]), x => x[0].Reduce([0, 1], false, v => v.Sum())),
        Row("Narrow(1, 1, 2)", ["Narrow"], Cube234, x => x[0].Narrow(1, 1, 2), x => x[0].Narrow(1, 1, 2)),
        Row("Slice(2, 0, null, 2)", ["Slice"], Cube234, x => x[0].Slice(2, 0, null, 2),
            x => Nd.Cat([x[0].Narrow(2, 0, 1), x[0].Narrow(2, 2, 1)], 2)),
        Row("Slice(0, 1, 3)", ["Slice"], Matrix34, x => x[0].Slice(0, 1, 3), x => x[0].Narrow(0, 1, 2)),
        Row("Select(1, 2)", ["Select"], Cube234, x => x[0].Select(1, 2), x => x[0].Narrow(1, 2, 1).Reshape(2, 4)),
        Row("Flip(0, 2)", ["Flip"], Cube234, x => x[0].Flip(0, 2), x => Flip(x[0], [0, 2])),
        Row("Pad([1, 2, 0, 1], 0.5)", ["Pad"], Matrix34, x => x[0].Pad([1, 2, 0, 1], 0.5), x =>
        {
            var r = Nd.Zeros(4, 7);
            Array.Fill(r.Data, 0.5);
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) r[i, j + 1] = x[0][i, j];
            return r;
        }),
        Row("Repeat(2, 1, 3)", ["Repeat"], Matrix34, x => x[0].Repeat(2, 1, 3), x =>
        {
            var r = Nd.Zeros(2, 3, 12);
            for (int i = 0; i < r.Numel; i++) { var idx = r.Index(i); r.Data[i] = x[0][idx[1], idx[2] % 4]; }
            return r;
        }),
        Row("Cat([a, b, a], 1)", ["Cat"],
        [
            new("[2, 3] and [2, 1]", Arg.F(2, 3), Arg.F(2, 1)),
            new("transposed a, expanded b", Arg.F(2, 3).T, Arg.F(2, 1).E),
        ], x => TensorOps.Cat([x[0], x[1], x[0]], 1), x => Nd.Cat([x[0], x[1], x[0]], 1)),
        Row("Stack([a, b], -1)", ["Stack"],
        [
            new("[2, 3] twice", Arg.F(2, 3), Arg.F(2, 3)),
            new("sliced a, transposed b", Arg.F(2, 3).S, Arg.F(2, 3).T),
        ], x => TensorOps.Stack([x[0], x[1]], -1), x => Nd.Cat([x[0].Reshape(2, 3, 1), x[1].Reshape(2, 3, 1)], 2)),
        Row("Split(2, 1), weighted", ["Split"], Cube234[..2], x => Weighted(x[0].Split(2, 1), 1), x => WeightedRef(x[0], 1, [2, 1])),
        Row("Split([1, 3], -1), weighted", ["Split"], Cube234, x => Weighted(x[0].Split([1, 3], -1), -1), x => WeightedRef(x[0], 2, [1, 3])),
        Row("Chunk(2, 2), weighted", ["Chunk"], Cube234, x => Weighted(x[0].Chunk(2, 2), 2), x => WeightedRef(x[0], 2, [2, 2])),
    ];
}
