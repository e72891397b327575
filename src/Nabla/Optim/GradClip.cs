
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
            foreach (var v in g.ToDoubleArray())
                total = double.IsPositiveInfinity(normType) ? Math.Max(total, Math.Abs(v)) : total + Math.Pow(Math.Abs(v), normType);
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
        }
    }

    private static void Scale(Tensor g, double c)
    {
        if (g.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Multiply(g.AsSpan<float>(), (float)c, g.AsSpan<float>());
        else System.Numerics.Tensors.TensorPrimitives.Multiply(g.AsSpan<double>(), c, g.AsSpan<double>());
    }
}
