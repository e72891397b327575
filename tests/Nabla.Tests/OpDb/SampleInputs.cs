namespace Nabla.Tests.OpDb;

/// <summary>
/// Turns a <see cref="Sample"/> into tensors: logical values (seeded, the same for float32 and float64), stored
/// leaves in the sample's layout, and the views of them that the op sees.
/// </summary>
public sealed class SampleInputs
{
    /// <summary>Logical values of every input (int inputs as doubles), for the reference.</summary>
    public Nd[] Values { get; }
    private readonly Sample _sample;

    public SampleInputs(Sample sample, ulong seed)
    {
        _sample = sample;
        var rng = new Random((int)(seed % int.MaxValue));
        Values = sample.Args.Select(a => Draw(a, rng)).ToArray();
    }

    public IReadOnlyList<Arg> Args => _sample.Args;

    private static Nd Draw(Arg a, Random rng)
    {
        if (a.Values is { } fixedValues) return new Nd(fixedValues.ToArray(), a.Shape);
        // Expanded: the values repeat along dim 0 (they come from a [1, ...] tensor).
        int[] drawn = a.Layout == Layout.Expanded ? [1, .. a.Shape[1..]] : a.Shape;
        var v = new double[Nd.Count(drawn)];
        for (int i = 0; i < v.Length; i++)
        {
            if (a.IsInt) { v[i] = rng.Next(a.IntHigh); continue; }
            double x = a.Low + (a.High - a.Low) * rng.NextDouble();
            foreach (var p in a.Avoid ?? [])
                if (Math.Abs(x - p) < a.Margin) x = p + (x < p ? -a.Margin : a.Margin) * (1 + rng.NextDouble());
            v[i] = x;
        }
        if (a.Layout != Layout.Expanded) return new Nd(v, a.Shape);
        var full = Nd.Zeros(a.Shape);
        for (int i = 0; i < full.Numel; i++) full.Data[i] = v[i % v.Length];
        return full;
    }

    /// <summary>The stored tensors (leaves; float inputs in <paramref name="dtype"/>, requiring grad when asked and
    /// the arg allows it).</summary>
    public Tensor[] Leaves(DType dtype, bool requiresGrad)
    {
        var leaves = new Tensor[Values.Length];
        for (int i = 0; i < leaves.Length; i++)
        {
            var a = _sample.Args[i];
            var logical = Values[i];
            Nd stored = a.Layout switch
            {
                Layout.Transposed => logical.Permute([.. Enumerable.Range(0, logical.Rank - 2), logical.Rank - 1, logical.Rank - 2]),
                Layout.Expanded => new Nd(logical.Data[..Nd.Count([1, .. a.Shape[1..]])], [1, .. a.Shape[1..]]),
                Layout.Sliced => Padded(logical),
                _ => logical,
            };
            leaves[i] = Create(stored, a, dtype, requiresGrad);
        }
        return leaves;
    }

    /// <summary>The tensors the op sees: each leaf viewed in its layout (recorded, so gradients reach the leaf).</summary>
    public Tensor[] Views(Tensor[] leaves)
    {
        var views = new Tensor[leaves.Length];
        for (int i = 0; i < views.Length; i++)
        {
            var a = _sample.Args[i];
            views[i] = a.Layout switch
            {
                Layout.Transposed => leaves[i].Transpose(-1, -2),
                Layout.Expanded => leaves[i].Expand(a.Shape),
                Layout.Sliced => leaves[i].Narrow(-1, 1, a.Shape[^1]),
                _ => leaves[i],
            };
        }
        return views;
    }

    /// <summary>The logical values as fresh contiguous tensors (leaves).</summary>
    public Tensor[] ContiguousCopies(DType dtype, bool requiresGrad) =>
        Values.Select((v, i) => Create(v, _sample.Args[i], dtype, requiresGrad)).ToArray();

    private static Tensor Create(Nd values, Arg a, DType dtype, bool requiresGrad)
    {
        if (a.IsInt) return Tensor.FromArray(values.Data.Select(v => (int)v).ToArray(), values.Shape);
        var t = values.Rank == 0 ? Tensor.Scalar(values.Data[0], dtype) : Tensor.FromArray(values.Data, values.Shape).To(dtype);
        return t.RequiresGrad_(requiresGrad && a.Grad);
    }

    /// <summary>The logical values stored with one extra element on each side of the last dim.</summary>
    private static Nd Padded(Nd logical)
    {
        var shape = logical.Shape.ToArray();
        shape[^1] += 2;
        var r = Nd.Zeros(shape);
        for (int i = 0; i < r.Numel; i++) r.Data[i] = 100 + i;   // never read through the view
        for (int i = 0; i < logical.Numel; i++)
        {
            var idx = logical.Index(i);
            idx[^1] += 1;
            r[idx] = logical.Data[i];
        }
        return r;
    }
}
