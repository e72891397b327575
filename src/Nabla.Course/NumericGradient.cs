
namespace Nabla.Course;

/// <summary>
/// Central finite differences for checking hand-written backward passes (cs231n's <c>gradient_check.py</c>):
/// ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h, with error O(h²) from truncation plus O(δ/h) from the round-off δ of f.
/// The tensors are perturbed IN PLACE, one element at a time, and restored; f must read them (not a copy) each time
/// it is called. Use float64 tensors: with float32 the perturbation of h = 1e-5 is below the precision of the values.
/// </summary>
public static class NumericGradient
{
    /// <summary>∂f/∂x for a scalar function of x (cs231n's <c>eval_numerical_gradient</c>); same shape and dtype as x.</summary>
    public static Tensor Eval(Func<double> f, Tensor x, double h = 1e-5)
    {
        Check(x, h);
        var grad = new double[x.Numel];
        for (int i = 0; i < grad.Length; i++)
        {
            double saved = Get(x, i);
            Set(x, i, saved + h);
            double fp = f();
            Set(x, i, saved - h);
            double fm = f();
            Set(x, i, saved);
            grad[i] = (fp - fm) / (2 * h);
        }
        return Wrap(grad, x);
    }

    /// <summary>
    /// ∂/∂x of Σ f(x) ⊙ dout for a tensor-valued f (cs231n's <c>eval_numerical_gradient_array</c>): the gradient a
    /// layer's backward returns when handed the upstream gradient <paramref name="dout"/> (same shape as f(x)).
    /// </summary>
    public static Tensor EvalArray(Func<Tensor> f, Tensor x, Tensor dout, double h = 1e-5)
    {
        var g = dout.ToDoubleArray();
        return Eval(() =>
        {
            var y = f();
            if (y.Numel != g.Length)
                throw new ArgumentException($"NumericGradient.EvalArray: f(x) has shape {ShapeUtil.Format(y.Shape)} but dout has {ShapeUtil.Format(dout.Shape)}", nameof(dout));
            var ys = y.ToDoubleArray();
            double s = 0;
            for (int i = 0; i < ys.Length; i++) s += ys[i] * g[i];
            return s;
        }, x, h);
    }

    /// <summary>∂f/∂p for every tensor of a parameter dictionary (e.g. a model's <c>Params</c>, with f = its loss).</summary>
    public static Dictionary<string, Tensor> EvalAll(Func<double> f, IDictionary<string, Tensor> parameters, double h = 1e-5) =>
        parameters.ToDictionary(kv => kv.Key, kv => Eval(f, kv.Value, h));

    /// <summary>
    /// The largest element-wise relative error max_i |a_i − b_i| / max(|a_i| + |b_i|, 1e-8) (cs231n's <c>rel_error</c>):
    /// about 1e-7 or less means the two gradients agree in float64; ≳ 1e-2 means one of them is wrong.
    /// </summary>
    public static double RelError(Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"NumericGradient.RelError: shapes differ ({ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)})", nameof(b));
        return RelError(a.ToDoubleArray(), b.ToDoubleArray());
    }

    /// <summary><see cref="RelError(Tensor, Tensor)"/> of two arrays of one length.</summary>
    public static double RelError(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"NumericGradient.RelError: lengths differ ({a.Length} and {b.Length})", nameof(b));
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = Math.Abs(a[i] - b[i]) / Math.Max(Math.Abs(a[i]) + Math.Abs(b[i]), 1e-8);
            if (double.IsNaN(e)) return double.PositiveInfinity;
            max = Math.Max(max, e);
        }
        return max;
    }

    /// <summary>The relative error of two numbers, |a − b| / max(|a| + |b|, 1e-8).</summary>
    public static double RelError(double a, double b) => RelError([a], [b]);

    private static void Check(Tensor x, double h)
    {
        if (!x.DType.IsFloatingPoint()) throw new ArgumentException($"NumericGradient: x must be float32 or float64, got {x.DType.Name()}", nameof(x));
        if (!x.IsContiguous) throw new ArgumentException($"NumericGradient: x (shape {ShapeUtil.Format(x.Shape)}) must be contiguous: it is perturbed in place", nameof(x));
        if (!(h > 0)) throw new ArgumentOutOfRangeException(nameof(h), $"NumericGradient: the step h must be positive, got {h}");
    }

    private static double Get(Tensor x, int i) => x.DType == DType.Float32 ? x.AsSpan<float>()[i] : x.AsSpan<double>()[i];

    private static void Set(Tensor x, int i, double v)
    {
        if (x.DType == DType.Float32) x.AsSpan<float>()[i] = (float)v;
        else x.AsSpan<double>()[i] = v;
    }

    private static Tensor Wrap(double[] g, Tensor like) =>
        like.DType == DType.Float64 ? Tensor.Wrap(g, like.Shape.ToArray()) : Tensor.Wrap(Array.ConvertAll(g, v => (float)v), like.Shape.ToArray());
}
