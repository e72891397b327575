namespace Nabla.Tests.OpDb;

/// <summary>
/// The uniform checks of every row of the op table, on every sample: values against the independent reference
/// (float64), central-difference gradient check with a random upstream gradient (float64, through the sample's
/// layout views), float32 against float64, no-grad records nothing, an input used twice accumulates both gradients,
/// and non-contiguous inputs give what their contiguous copies give.
/// </summary>
public class OpDbTests
{
    private const ulong Seed = 17;

    public static TheoryData<OpInfo, Sample> Cases()
    {
        var data = new TheoryData<OpInfo, Sample>();
        foreach (var op in OpTable.All)
            foreach (var s in op.Samples) data.Add(op, s);
        return data;
    }

    public static TheoryData<OpInfo, Sample> NonContiguousCases()
    {
        var data = new TheoryData<OpInfo, Sample>();
        foreach (var op in OpTable.All)
            foreach (var s in op.Samples.Where(s => s.Args.Any(a => a.Layout != Layout.Contiguous))) data.Add(op, s);
        return data;
    }

    private static Tensor Run(OpInfo op, SampleInputs inputs, DType dtype, bool requiresGrad, out Tensor[] leaves)
    {
        leaves = inputs.Leaves(dtype, requiresGrad);
        return op.Call(inputs.Views(leaves));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_match_the_reference(OpInfo op, Sample sample)
    {
        var inputs = new SampleInputs(sample, Seed);
        var y = Run(op, inputs, DType.Float64, requiresGrad: false, out _);
        var want = op.Reference(inputs.Values);
        Assert.True(y.Shape.SequenceEqual(want.Shape), $"{op}/{sample}: shape {ShapeUtil.Format(y.Shape)}, reference {ShapeUtil.Format(want.Shape)}");
        var got = y.ToDoubleArray();
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - want.Data[i]) <= op.Atol + op.Rtol * Math.Abs(want.Data[i]),
                $"{op}/{sample}: element {i} is {got[i]:R}, reference {want.Data[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_central_differences(OpInfo op, Sample sample)
    {
        var inputs = new SampleInputs(sample, Seed);
        var leaves = inputs.Leaves(DType.Float64, requiresGrad: true);
        Assert.Contains(leaves, l => l.RequiresGrad);
        var r = GradCheck.Check(xs => op.Call(inputs.Views(xs)), leaves, op.GradCheck);
        Assert.True(r.Passed, $"{op}/{sample}: {r}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_agrees_with_float64(OpInfo op, Sample sample)
    {
        if (!op.Float32) return;
        var inputs = new SampleInputs(sample, Seed);
        var y64 = Run(op, inputs, DType.Float64, false, out _).ToDoubleArray();
        var y32 = Run(op, inputs, DType.Float32, false, out _);
        Assert.Equal(DType.Float32, y32.DType);
        var got = y32.ToDoubleArray();
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - y64[i]) <= op.Tol32 * (1 + Math.Abs(y64[i])), $"{op}/{sample}: element {i}: float32 {got[i]:R}, float64 {y64[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_grad_records_nothing(OpInfo op, Sample sample)
    {
        var inputs = new SampleInputs(sample, Seed);
        var leaves = inputs.Leaves(DType.Float64, requiresGrad: true);
        Tensor y;
        using (GradMode.NoGrad()) y = op.Call(inputs.Views(leaves));
        Assert.False(y.RequiresGrad, $"{op}/{sample}: output requires grad under no-grad");
        Assert.Null(y.GradFn);
        var recorded = op.Call(inputs.Views(leaves));
        Assert.True(recorded.RequiresGrad, $"{op}/{sample}: output does not require grad with grad mode on");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_input_used_twice_accumulates_both_gradients(OpInfo op, Sample sample)
    {
        var inputs = new SampleInputs(sample, Seed);
        var once = Run(op, inputs, DType.Float64, true, out var single);
        var v = Tensor.Randn(once.Shape.ToArray(), dtype: DType.Float64, generator: new Generator(Seed));
        once.Backward(v);

        var leaves = inputs.Leaves(DType.Float64, requiresGrad: true);
        var first = op.Call(inputs.Views(leaves));
        var second = op.Call(inputs.Views(leaves));
        ((first * v).Sum() + (second * v).Sum()).Backward();
        for (int i = 0; i < leaves.Length; i++)
        {
            if (!leaves[i].RequiresGrad) continue;
            var want = single[i].Grad?.ToDoubleArray() ?? new double[leaves[i].Numel];
            var got = leaves[i].Grad?.ToDoubleArray() ?? new double[leaves[i].Numel];
            for (int j = 0; j < got.Length; j++)
                Assert.True(Math.Abs(got[j] - 2 * want[j]) <= 1e-9 * (1 + Math.Abs(want[j])), $"{op}/{sample}: input {i} element {j}: {got[j]:R} after two uses, {want[j]:R} after one");
        }
    }

    [Theory]
    [MemberData(nameof(NonContiguousCases))]
    public void Non_contiguous_inputs_give_what_their_contiguous_copies_give(OpInfo op, Sample sample)
    {
        var inputs = new SampleInputs(sample, Seed);
        // The views themselves as leaves (Detach keeps their strides), against fresh contiguous copies.
        var views = inputs.Views(inputs.Leaves(DType.Float64, false)).Select((t, i) => t.IsLeaf && !inputs.Args[i].IsInt
            ? t.Detach().RequiresGrad_(inputs.Args[i].Grad) : t.Detach()).ToArray();
        Assert.Contains(views, t => !t.IsContiguous || t.Offset != 0);   // strided, or a slice off the storage's start
        var copies = inputs.ContiguousCopies(DType.Float64, requiresGrad: true);
        var yv = op.Call(views);
        var yc = op.Call(copies);
        var v = Tensor.Randn(yc.Shape.ToArray(), dtype: DType.Float64, generator: new Generator(Seed));
        yv.Backward(v);
        yc.Backward(v);
        AssertSame(yc.ToDoubleArray(), yv.ToDoubleArray(), $"{op}/{sample}: output");
        for (int i = 0; i < views.Length; i++)
            if (copies[i].RequiresGrad)
                AssertSame(copies[i].Grad!.ToDoubleArray(), views[i].Grad!.ToDoubleArray(), $"{op}/{sample}: gradient of input {i}");
    }

    private static void AssertSame(double[] want, double[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= 1e-12 * (1 + Math.Abs(want[i])), $"{what} element {i}: {got[i]:R} vs {want[i]:R}");
    }
}
