using Nabla.Course;

namespace Nabla.Labs;

/// <summary>
/// One gradient computed four ways and compared: (a) the closed form written in the lab from the formula, (b) the
/// explicit layer's Backward (<see cref="Layers"/>), (c) Nabla's autograd through the library op(s), (d) central
/// finite differences. Each error is cs231n's <c>rel_error</c>, max_i |u_i − v_i| / max(|u_i| + |v_i|, 1e-8)
/// (<see cref="NumericGradient.RelError(double[], double[])"/>); NaN where a column does not exist.
/// <see cref="Max"/> is the largest error over every pair of the columns that exist.
/// </summary>
public sealed record GradientRow(string Gradient, string Shape, double ClosedVsLayer, double ClosedVsAutograd, double ClosedVsNumeric, double Max);

/// <summary>One layer or loss: the audit items it answers, the closed form as text, the inputs used, and its rows.</summary>
public sealed record GradientSection(string Key, string Title, string Items, string Formula, string Inputs, IReadOnlyList<GradientRow> Rows)
{
    public double Max => Rows.Count == 0 ? double.NaN : Rows.Max(r => r.Max);
}

/// <summary>Which central-difference formula and step: two-point (cs231n's <c>gradient_check.py</c>, error O(h²) from
/// truncation plus O(ε/h) from round-off) or five-point (error O(h⁴) + O(ε/h), so a larger h and far less round-off).</summary>
public enum DifferenceStencil { TwoPoint, FivePoint }

/// <summary>A central-difference rule: the stencil and its step h.</summary>
public readonly record struct FiniteDifference(double Step, DifferenceStencil Kind)
{
    /// <summary>The stencil as symmetric pairs: Σ_p weight_p·(f(x + offset_p·h) − f(x − offset_p·h)) / (denominator·h).
    /// Each pair is differenced before it is weighted, so an output that x does not touch contributes exactly 0.</summary>
    public (int[] Offsets, double[] Weights, double Denominator) Stencil => Kind == DifferenceStencil.TwoPoint
        ? ([1], [1], 2)
        : ([1, 2], [8, -1], 12);

    /// <summary>How far the stencil reaches from x (2h for five points).</summary>
    public double Reach => Kind == DifferenceStencil.TwoPoint ? Step : 2 * Step;

    public string Formula => Kind == DifferenceStencil.TwoPoint
        ? "(f(x + h) − f(x − h))/2h"
        : "(−f(x + 2h) + 8f(x + h) − 8f(x − h) + f(x − 2h))/12h";
}

/// <summary>The comparison machinery shared by every section: the four-way row, autograd gradients and Jacobians,
/// and central differences (float64 throughout).</summary>
internal static class GradientComparison
{
    /// <summary>The row for one gradient; <paramref name="layer"/> or <paramref name="autograd"/> may be null (no such column).</summary>
    public static GradientRow Row(string gradient, int[] shape, double[] closed, double[]? layer, double[]? autograd, double[] numeric)
    {
        var columns = new[] { closed, layer, autograd, numeric }.Where(c => c is not null).Select(c => c!).ToList();
        foreach (var c in columns)
            if (c.Length != closed.Length)
                throw new InvalidOperationException($"layer-gradients: {gradient}: a column has {c.Length} values, the closed form {closed.Length}");
        double max = 0;
        for (int i = 0; i < columns.Count; i++)
            for (int j = i + 1; j < columns.Count; j++) max = Math.Max(max, Err(columns[i], columns[j]));
        return new GradientRow(gradient, ShapeText(shape), layer is null ? double.NaN : Err(closed, layer),
            autograd is null ? double.NaN : Err(closed, autograd), Err(closed, numeric), max);
    }

    /// <summary>cs231n's relative error (NaN anywhere counts as +∞, so a broken column is never hidden).</summary>
    public static double Err(double[] a, double[] b) => NumericGradient.RelError(a, b);

    public static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor T(double[] data, params int[] shape) => Tensor.FromArray(data, shape);

    /// <summary>
    /// Autograd: builds leaves from <paramref name="inputs"/>, runs <paramref name="f"/> (library ops), back-propagates
    /// <paramref name="dout"/> (null: the output is a scalar loss, seeded with 1) and returns every leaf's gradient.
    /// </summary>
    public static double[][] ByAutograd(Func<Tensor[], Tensor> f, double[]? dout, params (double[] Data, int[] Shape)[] inputs)
    {
        var leaves = inputs.Select(i => T(i.Data, i.Shape).RequiresGrad_()).ToArray();
        var y = f(leaves);
        if (dout is null) y.Backward();
        else y.Backward(T(dout, y.Shape.ToArray()));
        return leaves.Select(l => l.Grad?.ToDoubleArray() ?? new double[l.Numel]).ToArray();
    }

    /// <summary>The Jacobian J[i, j] = ∂f_i/∂x_j of a library function by autograd: one backward pass per output,
    /// seeded with the unit vector e_i (row-major [outputs, inputs]).</summary>
    public static double[] AutogradJacobian(Func<Tensor, Tensor> f, double[] x, int[] shape)
    {
        int outputs = 0;
        using (GradMode.NoGrad()) outputs = f(T(x, shape)).Numel;
        var jac = new double[outputs * x.Length];
        for (int i = 0; i < outputs; i++)
        {
            var e = new double[outputs];
            e[i] = 1;
            var g = ByAutograd(t => f(t[0]), e, (x, shape))[0];
            Array.Copy(g, 0, jac, i * x.Length, x.Length);
        }
        return jac;
    }

    /// <summary>
    /// Central differences of Σ_k f(x)_k·dout_k with respect to every element of <paramref name="x"/> (perturbed in
    /// place and restored; <paramref name="f"/> must read it). Two-point: ∂/∂x_i ≈ Σ_k (f(x + h·e_i) − f(x − h·e_i))_k·dout_k / 2h;
    /// five-point: Σ_k (8(f(x + h·e_i) − f(x − h·e_i)) − (f(x + 2h·e_i) − f(x − 2h·e_i)))_k·dout_k / 12h.
    /// The outputs are differenced before they are weighted and summed, as cs231n's <c>eval_numerical_gradient_array</c>
    /// does, so outputs that x_i does not touch contribute exactly 0 instead of round-off.
    /// </summary>
    public static double[] Numeric(Func<double[]> f, double[] x, double[] dout, FiniteDifference fd)
    {
        var grad = new double[x.Length];
        var (offsets, weights, denominator) = fd.Stencil;
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            var combined = new double[dout.Length];
            for (int p = 0; p < offsets.Length; p++)
            {
                x[i] = saved + offsets[p] * fd.Step;
                var plus = f();
                x[i] = saved - offsets[p] * fd.Step;
                var minus = f();
                if (plus.Length != dout.Length) throw new InvalidOperationException($"layer-gradients: f has {plus.Length} outputs, dout {dout.Length}");
                for (int k = 0; k < plus.Length; k++) combined[k] += weights[p] * (plus[k] - minus[k]);
            }
            x[i] = saved;
            double s = 0;
            for (int k = 0; k < dout.Length; k++) s += combined[k] * dout[k];
            grad[i] = s / (denominator * fd.Step);
        }
        return grad;
    }

    /// <summary>Central differences of a scalar function.</summary>
    public static double[] Numeric(Func<double> f, double[] x, FiniteDifference fd) => Numeric(() => [f()], x, [1.0], fd);

    /// <summary>The Jacobian J[i, j] = ∂f_i/∂x_j by central differences, one input column at a time (row-major [outputs, inputs]).</summary>
    public static double[] NumericJacobian(Func<double[]> f, double[] x, FiniteDifference fd)
    {
        int outputs = f().Length;
        var jac = new double[outputs * x.Length];
        for (int i = 0; i < outputs; i++)
        {
            var e = new double[outputs];
            e[i] = 1;
            var row = Numeric(f, x, e, fd);
            Array.Copy(row, 0, jac, i * x.Length, x.Length);
        }
        return jac;
    }

    /// <summary>n standard normal draws.</summary>
    public static double[] Randn(Generator g, int n, double std = 1)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = std * g.NextGaussian();
        return v;
    }

    /// <summary>Moves every value closer than <paramref name="gap"/> to <paramref name="kink"/> out to kink ± gap, so
    /// that x ± h never straddles a non-differentiable point (where central differences measure neither one-sided slope).</summary>
    public static double[] AwayFrom(double[] v, double kink, double gap)
    {
        for (int i = 0; i < v.Length; i++)
            if (Math.Abs(v[i] - kink) < gap) v[i] = kink + (v[i] >= kink ? gap : -gap);
        return v;
    }

    public static int Product(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}
