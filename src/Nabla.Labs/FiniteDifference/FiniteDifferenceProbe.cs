
namespace Nabla.Labs;

/// <summary>
/// Backprop gradient of a scalar loss with respect to the first <c>Count</c> elements θ_i of one parameter (row-major
/// order) and the central differences ∇_i^N = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε with ε = 1/N for each N.
/// <see cref="Numeric"/>[k][i] belongs to <see cref="Ns"/>[k].
/// </summary>
public sealed record FiniteDifferenceResult(double Loss, double[] Backprop, int[] Ns, double[][] Numeric)
{
    /// <summary>max_i |∇_i^N − ∂L/∂θ_i| for each N.</summary>
    public double[] MaxError => Numeric.Select(row => row.Select((v, i) => Math.Abs(v - Backprop[i])).Max()).ToArray();
}

public static class FiniteDifferenceProbe
{
    /// <summary>Runs <paramref name="loss"/> once with recording and back-propagates to get ∂L/∂θ_i, then, without
    /// recording, re-evaluates it with θ_i moved by ±1/N (in the parameter's own dtype) and restores θ_i exactly.</summary>
    /// <param name="loss">computes the scalar loss from the current parameter values</param>
    /// <param name="parameter">a leaf that requires grad and is used by <paramref name="loss"/></param>
    public static FiniteDifferenceResult Run(Func<Tensor> loss, Tensor parameter, int count, IReadOnlyList<int> ns)
    {
        if (count < 1 || count > parameter.Numel)
            throw new ArgumentOutOfRangeException(nameof(count), $"FiniteDifferenceProbe: count {count} must lie in 1..{parameter.Numel}");
        return Run(loss, parameter, Enumerable.Range(0, count).ToArray(), ns);
    }

    /// <summary>The same for the elements at the row-major positions <paramref name="flatIndices"/> (θ_i is element
    /// flatIndices[i]).</summary>
    public static FiniteDifferenceResult Run(Func<Tensor> loss, Tensor parameter, IReadOnlyList<int> flatIndices, IReadOnlyList<int> ns)
    {
        if (!parameter.RequiresGrad || !parameter.IsLeaf)
            throw new ArgumentException("FiniteDifferenceProbe: the parameter must be a leaf that requires grad");
        if (flatIndices.Count == 0 || flatIndices.Any(i => i < 0 || i >= parameter.Numel))
            throw new ArgumentOutOfRangeException(nameof(flatIndices), $"FiniteDifferenceProbe: positions must be at least one and lie in 0..{parameter.Numel - 1}");
        if (ns.Any(n => n < 1)) throw new ArgumentOutOfRangeException(nameof(ns), "FiniteDifferenceProbe: every N must be positive");
        int count = flatIndices.Count;

        parameter.Grad = null;
        var l = loss();
        double l0 = l.Item();
        l.Backward();
        var grad = parameter.Grad ?? throw new ArgumentException("FiniteDifferenceProbe: the loss does not depend on the parameter");
        var backprop = new double[count];
        var index = new int[count][];
        for (int i = 0; i < count; i++)
        {
            index[i] = Unravel(flatIndices[i], parameter.Shape);
            backprop[i] = grad.At(index[i]);
        }
        parameter.Grad = null;

        using var _ = GradMode.NoGrad();
        var numeric = new double[ns.Count][];
        for (int k = 0; k < ns.Count; k++)
        {
            double eps = 1.0 / ns[k];
            numeric[k] = new double[count];
            for (int i = 0; i < count; i++)
            {
                double theta = parameter.At(index[i]);   // exact: float32 widens to double without rounding
                parameter.SetAt(theta + eps, index[i]);
                double plus = loss().Item();
                parameter.SetAt(theta - eps, index[i]);
                double minus = loss().Item();
                parameter.SetAt(theta, index[i]);
                numeric[k][i] = (plus - minus) / (2 * eps);
            }
        }
        return new FiniteDifferenceResult(l0, backprop, ns.ToArray(), numeric);
    }

    /// <summary>Row-major multi-index of flat position <paramref name="flat"/>.</summary>
    private static int[] Unravel(int flat, ReadOnlySpan<int> shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
