namespace Nabla.Tests.OpDb;

/// <summary>
/// A plain row-major array of doubles with a shape: the reference implementations of the op table are written on it
/// with loops and formulas only (never through a Nabla op), so they are independent of the code under test.
/// </summary>
public sealed class Nd(double[] data, int[] shape)
{
    public double[] Data { get; } = data;
    public int[] Shape { get; } = shape;
    public int Rank => Shape.Length;
    public int Numel => Data.Length;

    public static Nd Zeros(params int[] shape) => new(new double[Count(shape)], shape);

    public static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        for (int i = shape.Length - 1, acc = 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Multi-index of flat position <paramref name="flat"/>.</summary>
    public int[] Index(int flat)
    {
        var idx = new int[Rank];
        for (int d = Rank - 1; d >= 0; d--) { idx[d] = flat % Shape[d]; flat /= Shape[d]; }
        return idx;
    }

    public double this[params int[] idx]
    {
        get => Data[Flat(idx)];
        set => Data[Flat(idx)] = value;
    }

    public int Flat(int[] idx)
    {
        int f = 0;
        for (int d = 0; d < Rank; d++) f = f * Shape[d] + idx[d];
        return f;
    }

    public Nd Map(Func<double, double> f) => new(Data.Select(f).ToArray(), Shape);

    /// <summary>NumPy broadcasting of two shapes.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var s = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            int db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ArgumentException("shapes do not broadcast");
            s[i] = Math.Max(da, db);
        }
        return s;
    }

    /// <summary>The element of this array that broadcasts onto index <paramref name="idx"/> of a larger shape.</summary>
    public double AtBroadcast(int[] idx)
    {
        int f = 0, off = idx.Length - Rank;
        for (int d = 0; d < Rank; d++) f = f * Shape[d] + (Shape[d] == 1 ? 0 : idx[d + off]);
        return Data[f];
    }

    public static Nd Zip(Nd a, Nd b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var r = Zeros(shape);
        for (int i = 0; i < r.Numel; i++) { var idx = r.Index(i); r.Data[i] = f(a.AtBroadcast(idx), b.AtBroadcast(idx)); }
        return r;
    }

    public static Nd Zip3(Nd a, Nd b, Nd c, Func<double, double, double, double> f)
    {
        var shape = BroadcastShape(BroadcastShape(a.Shape, b.Shape), c.Shape);
        var r = Zeros(shape);
        for (int i = 0; i < r.Numel; i++) { var idx = r.Index(i); r.Data[i] = f(a.AtBroadcast(idx), b.AtBroadcast(idx), c.AtBroadcast(idx)); }
        return r;
    }

    /// <summary>Folds the dims in <paramref name="dims"/> (all when empty) with a function of the reduced values.</summary>
    public Nd Reduce(int[] dims, bool keepDim, Func<double[], double> f)
    {
        var reduce = new bool[Rank];
        if (dims.Length == 0) Array.Fill(reduce, true);
        foreach (var d in dims) reduce[d < 0 ? d + Rank : d] = true;
        var outShape = Enumerable.Range(0, Rank).Select(d => reduce[d] ? 1 : Shape[d]).ToArray();
        var groups = new List<double>[Count(outShape)];
        for (int i = 0; i < groups.Length; i++) groups[i] = [];
        var o = Zeros(outShape);
        for (int i = 0; i < Numel; i++)
        {
            var idx = Index(i);
            for (int d = 0; d < Rank; d++) if (reduce[d]) idx[d] = 0;
            groups[o.Flat(idx)].Add(Data[i]);
        }
        var values = groups.Select(g => f([.. g])).ToArray();
        var shape = keepDim ? outShape : Enumerable.Range(0, Rank).Where(d => !reduce[d]).Select(d => Shape[d]).ToArray();
        return new Nd(values, shape);
    }

    public Nd Permute(params int[] perm)
    {
        var shape = perm.Select(p => Shape[p]).ToArray();
        var r = Zeros(shape);
        for (int i = 0; i < r.Numel; i++)
        {
            var idx = r.Index(i);
            var src = new int[Rank];
            for (int d = 0; d < Rank; d++) src[perm[d]] = idx[d];
            r.Data[i] = this[src];
        }
        return r;
    }

    public Nd Reshape(params int[] shape) => new(Data, shape);

    /// <summary>Values along the rows of the last two dims as a matrix product (batched over leading dims, same batch).</summary>
    public static Nd MatMul2(Nd a, Nd b)
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var r = Zeros(m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a.Data[i * k + p] * b.Data[p * n + j];
                r.Data[i * n + j] = s;
            }
        return r;
    }

    /// <summary>Concatenation along <paramref name="dim"/>.</summary>
    public static Nd Cat(IReadOnlyList<Nd> parts, int dim)
    {
        int rank = parts[0].Rank;
        dim = dim < 0 ? dim + rank : dim;
        var shape = parts[0].Shape.ToArray();
        shape[dim] = parts.Sum(p => p.Shape[dim]);
        var r = Zeros(shape);
        int offset = 0;
        foreach (var p in parts)
        {
            for (int i = 0; i < p.Numel; i++)
            {
                var idx = p.Index(i);
                idx[dim] += offset;
                r[idx] = p.Data[i];
            }
            offset += p.Shape[dim];
        }
        return r;
    }

    /// <summary>Elements start..start+length−1 along <paramref name="dim"/>.</summary>
    public Nd Narrow(int dim, int start, int length)
    {
        dim = dim < 0 ? dim + Rank : dim;
        var shape = Shape.ToArray();
        shape[dim] = length;
        var r = Zeros(shape);
        for (int i = 0; i < r.Numel; i++)
        {
            var idx = r.Index(i);
            idx[dim] += start;
            r.Data[i] = this[idx];
        }
        return r;
    }
}
