using System.Numerics;

namespace Nabla.Optim;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_), in place.</summary>
public static class GradClip
{
    /// <summary>Scales all gradients by min(1, maxNorm/(‖g‖ + 1e-6)) where ‖g‖ is the p-norm of all gradients
    /// together (p = ∞ for the max); returns that total norm.</summary>
    public static double ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        double total = 0;
        foreach (var g in grads)
        {
            var c = g.ContiguousRaw();
            total = c.DType == DType.Float32 ? Accumulate<float>(c.AsSpan<float>(), normType, total) : Accumulate<double>(c.AsSpan<double>(), normType, total);
        }
        if (!double.IsPositiveInfinity(normType)) total = Math.Pow(total, 1 / normType);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) Scale(g, coef);
        return total;
    }

    /// <summary>Clamps every gradient element into [−clipValue, clipValue].</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        if (clipValue < 0) throw new ArgumentException($"ClipGradValue_: clipValue must be non-negative, got {clipValue}");
        foreach (var g in parameters.Select(p => p.Grad).OfType<Tensor>())
        {
            if (g.DType == DType.Float32)
            {
                var s = g.AsSpan<float>();
                System.Numerics.Tensors.TensorPrimitives.Clamp(s, (float)-clipValue, (float)clipValue, s);
            }
            else
            {
                var s = g.AsSpan<double>();
                System.Numerics.Tensors.TensorPrimitives.Clamp(s, -clipValue, clipValue, s);
            }
            g.BumpVersion();   // an in-place write, as clamp_ is in PyTorch
        }
    }

    /// <summary>total + Σ|v|^p over <paramref name="values"/> (max(total, max|v|) for p = ∞), summed in double
    /// without copying the gradient.</summary>
    private static double Accumulate<T>(ReadOnlySpan<T> values, double p, double total) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (double.IsPositiveInfinity(p)) { foreach (var v in values) total = Math.Max(total, Math.Abs(double.CreateTruncating(v))); }
        else if (p == 2) { foreach (var v in values) { double d = double.CreateTruncating(v); total += d * d; } }
        else if (p == 1) { foreach (var v in values) total += Math.Abs(double.CreateTruncating(v)); }
        else { foreach (var v in values) total += Math.Pow(Math.Abs(double.CreateTruncating(v)), p); }
        return total;
    }

    private static void Scale(Tensor g, double c)
    {
        if (g.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Multiply(g.AsSpan<float>(), (float)c, g.AsSpan<float>());
        else System.Numerics.Tensors.TensorPrimitives.Multiply(g.AsSpan<double>(), c, g.AsSpan<double>());
        g.BumpVersion();   // an in-place write, as mul_ is in PyTorch
    }
}
