using System.Numerics.Tensors;
using Tensor = Nabla.Tensor;

namespace Nabla;

/// <summary>Shared checks and sums of <see cref="L1PenaltyOp"/> and <see cref="L2PenaltyOp"/>.</summary>
internal static class PenaltyCore
{
    public static Tensor[] Check(string op, IEnumerable<Tensor> parameters, double lambda)
    {
        var ps = parameters.ToArray();
        if (ps.Length == 0) throw new ArgumentException($"{op}: the parameter list is empty");
        if (!(lambda >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), $"{op}: lambda must be non-negative, got {lambda}");
        foreach (var p in ps)
        {
            Dispatch.Floating(op, p);
            Dispatch.SameDType(op, ps[0], p);
        }
        return ps;
    }

    /// <summary>Σ over all parameters of Σ|w| (l1) or Σw² (else), accumulated in double.</summary>
    public static double Sum(Tensor[] ps, bool l1)
    {
        double s = 0;
        foreach (var p in ps)
        {
            var c = p.ContiguousRaw();
            if (p.DType == DType.Float32)
                s += l1 ? TensorPrimitives.SumOfMagnitudes(c.AsSpan<float>()) : TensorPrimitives.SumOfSquares(c.AsSpan<float>());
            else
                s += l1 ? TensorPrimitives.SumOfMagnitudes(c.AsSpan<double>()) : TensorPrimitives.SumOfSquares(c.AsSpan<double>());
        }
        return s;
    }

    /// <summary>g·λ·sign(w) (sign(0) = 0) for one parameter.</summary>
    public static Tensor ScaledSign(Tensor w, double scale)
    {
        var c = w.ContiguousRaw();
        var d = OpBuffers.Uninitialized(w.Shape.ToArray(), w.DType);
        if (w.DType == DType.Float32)
        {
            var src = c.AsSpan<float>(); var dst = d.AsSpan<float>(); float k = (float)scale;
            for (int i = 0; i < src.Length; i++) dst[i] = src[i] > 0 ? k : src[i] < 0 ? -k : 0f;
        }
        else
        {
            var src = c.AsSpan<double>(); var dst = d.AsSpan<double>();
            for (int i = 0; i < src.Length; i++) dst[i] = src[i] > 0 ? scale : src[i] < 0 ? -scale : 0.0;
        }
        return d;
    }
}
