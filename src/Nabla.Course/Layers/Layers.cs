using System.Numerics;

namespace Nabla.Course;

/// <summary>
/// The explicit-backprop layers of the EECS 498 / cs231n <c>layers.py</c>: every layer is a pair
/// <c>XForward(...) → (Out, Cache)</c> and <c>XBackward(dout, cache) → gradients</c>, and every loss returns
/// <c>(loss, dx)</c>. The backward passes are the formulas written in their doc comments, coded by hand: no autograd
/// graph is ever built (everything runs inside <see cref="GradMode.NoGrad"/>, so inputs that require grad are treated
/// as plain data).
/// </summary>
/// <remarks>
/// Letters: N batch, D features (d1·…·dk flattened), M outputs, C channels (or classes in the losses), H, W spatial
/// sizes, F filters, HH×WW kernel or pool window. Float32 and float64 inputs run the same generic code; the dtype of
/// the inputs decides the dtype of outputs and gradients (reductions accumulate in double). All tensors of one call
/// must share a dtype. Shape and dtype mismatches throw <see cref="ArgumentException"/> naming the shapes.
/// This class lives in namespace <c>Nabla.Course</c> (its partial files sit in <c>Layers/</c>) so that
/// <c>Layers.AffineForward</c> resolves from any <c>Nabla.Course.*</c> namespace.
/// </remarks>
public static partial class Layers
{
    /// <summary>Throws unless every tensor is float32/float64 and shares the first one's dtype.</summary>
    private static void CheckFloat(string op, params (string Name, Tensor T)[] tensors)
    {
        var d = tensors[0].T.DType;
        foreach (var (name, t) in tensors)
        {
            if (!t.DType.IsFloatingPoint())
                throw new ArgumentException($"{op}: {name} must be float32 or float64, got {t.DType.Name()}", name);
            if (t.DType != d)
                throw new ArgumentException($"{op}: {name} has dtype {t.DType.Name()} but {tensors[0].Name} has {d.Name()}; convert one with .To(DType)", name);
        }
    }

    private static ArgumentException ShapeError(string op, string problem, string param, params (string Name, Tensor T)[] tensors) =>
        new($"{op}: {problem} ({string.Join(", ", tensors.Select(p => $"{p.Name} {ShapeUtil.Format(p.T.Shape)}"))})", param);

    private static void CheckSameShape(string op, (string Name, Tensor T) a, (string Name, Tensor T) b)
    {
        if (!a.T.Shape.SequenceEqual(b.T.Shape)) throw ShapeError(op, $"{b.Name} must have the shape of {a.Name}", b.Name, a, b);
    }

    /// <summary>A contiguous tensor with the same values (the tensor itself when already contiguous); never recorded.</summary>
    private static Tensor Dense(Tensor t)
    {
        if (t.IsContiguous) return t;
        using var _ = GradMode.NoGrad();
        return t.Contiguous();
    }

    private static Span<T> Data<T>(Tensor t) => t.AsSpan<T>();

    private static bool IsF32(Tensor t) => t.DType == DType.Float32;

    /// <summary>y = f(x) element-wise, in x's dtype.</summary>
    private static Tensor Map(Tensor x, Func<double, double> f)
    {
        var xs = Dense(x);
        var y = Tensor.Empty(x.Shape.ToArray(), x.DType);
        if (IsF32(x)) { var s = Data<float>(xs); var d = Data<float>(y); for (int i = 0; i < s.Length; i++) d[i] = (float)f(s[i]); }
        else { var s = Data<double>(xs); var d = Data<double>(y); for (int i = 0; i < s.Length; i++) d[i] = f(s[i]); }
        return y;
    }

    /// <summary>z = f(a, b) element-wise for two tensors of one shape, in a's dtype.</summary>
    private static Tensor Zip(Tensor a, Tensor b, Func<double, double, double> f)
    {
        var (ac, bc) = (Dense(a), Dense(b));
        var z = Tensor.Empty(a.Shape.ToArray(), a.DType);
        if (IsF32(a))
        {
            Span<float> sa = Data<float>(ac), sb = Data<float>(bc), d = Data<float>(z);
            for (int i = 0; i < d.Length; i++) d[i] = (float)f(sa[i], sb[i]);
        }
        else
        {
            Span<double> sa = Data<double>(ac), sb = Data<double>(bc), d = Data<double>(z);
            for (int i = 0; i < d.Length; i++) d[i] = f(sa[i], sb[i]);
        }
        return z;
    }

    /// <summary>The values as double (a copy), row-major.</summary>
    private static double[] Doubles(Tensor t) => t.ToDoubleArray();

    /// <summary>A tensor of <paramref name="dtype"/> holding <paramref name="values"/> (takes the array when float64).</summary>
    private static Tensor FromDoubles(double[] values, int[] shape, DType dtype) =>
        dtype == DType.Float64 ? Tensor.Wrap(values, shape) : Tensor.Wrap(Array.ConvertAll(values, v => (float)v), shape);

    private static T Cast<T>(double v) where T : IFloatingPointIeee754<T> => T.CreateTruncating(v);

    private static double D<T>(T v) where T : IFloatingPointIeee754<T> => double.CreateTruncating(v);
}
