using System.Globalization;
using System.Text;

namespace Nabla;

// A readable ToString in the style of PyTorch: nested brackets, aligned columns, a common number format,
// summarised ("...") past 1000 elements showing 3 items at each edge.
public sealed partial class Tensor
{
    private const int SummaryThreshold = 1000, EdgeItems = 3;

    public override string ToString()
    {
        var sb = new StringBuilder("tensor(");
        bool summarise = Numel > SummaryThreshold;
        var values = ToDoubleArray();
        var shown = summarise ? ShownValues(values) : values;
        var fmt = ChooseFormat(shown);
        int width = 0;
        foreach (var v in shown) width = Math.Max(width, fmt(v).Length);
        if (Rank == 0) sb.Append(fmt(values.Length > 0 ? values[0] : 0));
        else AppendDim(sb, values, 0, 0, ShapeUtil.ContiguousStrides(_shape), fmt, width, summarise, indent: 7);
        if (Rank > 0 && Numel == 0) sb.Append($", size={ShapeUtil.Format(_shape)}");
        if (DType != DType.Float32) sb.Append(", dtype=").Append(DType.Name());
        if (GradFn is not null) sb.Append(", grad_fn=<").Append(GradFn.Name).Append('>');
        else if (RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private void AppendDim(StringBuilder sb, double[] v, int dim, int start, int[] cs, Func<double, string> fmt, int width, bool summarise, int indent)
    {
        sb.Append('[');
        int n = _shape[dim];
        bool last = dim == Rank - 1;
        for (int i = 0; i < n; i++)
        {
            if (summarise && n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(last ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = n - EdgeItems;
            }
            if (last) sb.Append(fmt(v[start + i]).PadLeft(width));
            else AppendDim(sb, v, dim + 1, start + i * cs[dim], cs, fmt, width, summarise, indent);
            if (i < n - 1)
            {
                sb.Append(',');
                if (last) sb.Append(' ');
                else sb.Append('\n', Rank - dim - 1).Append(' ', indent + dim + 1);
            }
        }
        sb.Append(']');
    }

    private double[] ShownValues(double[] values)
    {
        // Edge values only decide the column width and format; approximate by the first and last few.
        int k = Math.Min(values.Length, 64);
        return values.Take(k).Concat(values.Skip(values.Length - k)).ToArray();
    }

    private Func<double, string> ChooseFormat(double[] shown)
    {
        var inv = CultureInfo.InvariantCulture;
        if (DType == DType.Int32) return v => ((long)v).ToString(inv);
        var finite = shown.Where(double.IsFinite).Select(Math.Abs).ToArray();
        bool allInt = finite.All(a => a == Math.Floor(a));
        double max = finite.Length > 0 ? finite.Max() : 0;
        double minNz = finite.Where(a => a > 0).DefaultIfEmpty(0).Min();
        string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (allInt && max < 1e8)
            return v => double.IsFinite(v) ? v.ToString("0", inv) + "." : Special(v);
        if (max >= 1e8 || (minNz > 0 && minNz < 1e-4) || (minNz > 0 && max / minNz > 1e3 && max >= 1e3))
            return v => double.IsFinite(v) ? v.ToString("0.0000e+00", inv) : Special(v);
        return v => double.IsFinite(v) ? v.ToString("0.0000", inv) : Special(v);
    }
}
