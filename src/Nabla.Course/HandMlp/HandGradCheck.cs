
namespace Nabla.Course;

/// <summary>
/// Checks an explicitly computed gradient against central finite differences
/// ∂L/∂θ_i ≈ (L(θ + ε·e_i) − L(θ − ε·e_i)) / 2ε, whose error is O(ε²) (truncation) + O(u·|L|/ε) (round-off, u the
/// unit round-off): in float64 with ε = 1e-5 both are around 1e-11 for losses of order one.
/// </summary>
public static class HandGradCheck
{
    public const double DefaultEps = 1e-5;

    /// <summary>Finite differences of <paramref name="loss"/> for the entries <paramref name="indices"/> of a float64
    /// parameter (perturbed in place and restored bit for bit).</summary>
    public static double[] Numeric(Func<double> loss, Tensor parameter, IReadOnlyList<int> indices, double eps = DefaultEps)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(indices);
        if (parameter.DType != DType.Float64) throw new ArgumentException($"HandGradCheck: finite differences need a float64 parameter, got {parameter.DType.Name()}");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"HandGradCheck: ε must be positive, got {eps}");
        var result = new double[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            double saved = parameter.AsSpan<double>()[i];
            parameter.AsSpan<double>()[i] = saved + eps;
            double plus = loss();
            parameter.AsSpan<double>()[i] = saved - eps;
            double minus = loss();
            parameter.AsSpan<double>()[i] = saved;
            result[k] = (plus - minus) / (2 * eps);
        }
        return result;
    }

    /// <summary>Max absolute and (tensor-)relative error of <paramref name="gradient"/> against <paramref name="reference"/>.</summary>
    public static HandGradError Compare(string name, ReadOnlySpan<double> gradient, ReadOnlySpan<double> reference)
    {
        if (gradient.Length != reference.Length)
            throw new ArgumentException($"HandGradCheck.Compare({name}): {gradient.Length} values against {reference.Length}");
        double maxAbs = 0, maxRef = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            double e = Math.Abs(gradient[i] - reference[i]);
            if (double.IsNaN(e)) e = double.PositiveInfinity;
            maxAbs = Math.Max(maxAbs, e);
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }
        double rel = maxAbs == 0 ? 0 : maxRef > 0 ? maxAbs / maxRef : double.PositiveInfinity;
        return new HandGradError(name, gradient.Length, maxAbs, rel, maxRef);
    }

    /// <summary>Values of <paramref name="t"/> at <paramref name="indices"/> (row-major flat indices), as double.</summary>
    public static double[] At(Tensor t, IReadOnlyList<int> indices)
    {
        var all = t.ToDoubleArray();
        return indices.Select(i => all[i]).ToArray();
    }

    /// <summary>Flat indices to check in a tensor of <paramref name="numel"/> entries: all of them when
    /// numel ≤ <paramref name="count"/>, otherwise the first <paramref name="first"/> (IFT6135's θ_{1:p}) and
    /// count − first more drawn without replacement.</summary>
    public static int[] Entries(int numel, int count, Generator generator, int first = 10)
    {
        if (numel <= count) return Enumerable.Range(0, numel).ToArray();
        first = Math.Min(first, count);
        var picked = new SortedSet<int>(Enumerable.Range(0, first));
        while (picked.Count < count) picked.Add(generator.NextInt(numel));
        return picked.ToArray();
    }
}
