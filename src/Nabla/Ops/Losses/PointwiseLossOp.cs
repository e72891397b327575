using System.Numerics;
using System.Numerics.Tensors;
using Tensor = Nabla.Tensor;

namespace Nabla;

/// <summary>
/// One term ℓ(x, t) of an element-wise loss with its partial derivatives; the op sums/averages the terms.
/// Parameters (β, δ, margin) live in the struct, so each loss compiles to its own specialised loop.
/// </summary>
internal interface IPointwiseLoss
{
    static abstract string Name { get; }

    /// <summary>Rejects invalid input/target values (e.g. probabilities outside [0, 1]); null when fine.</summary>
    string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T>;

    T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T>;

    /// <summary>∂ℓ/∂x.</summary>
    T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T>;

    /// <summary>∂ℓ/∂t.</summary>
    T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T>;

    /// <summary>Optional vector form of every term ℓ(x_i, t_i) into <paramref name="terms"/>; false means "use the
    /// scalar loop" (the scalar members stay the reference).</summary>
    static virtual bool TryTerms<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> terms) where T : IFloatingPointIeee754<T> => false;

    /// <summary>Optional vector form of ∂ℓ/∂x for every element; false means "use the scalar loop".</summary>
    static virtual bool TryGradInput<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> d) where T : IFloatingPointIeee754<T> => false;
}

/// <summary>
/// L = reduce_i ℓ(x_i, t_i) for an element-wise loss term ℓ (<see cref="IPointwiseLoss"/>), input and target of the
/// same shape. ∂L/∂x_i = s_i·∂ℓ/∂x(x_i, t_i), ∂L/∂t_i = s_i·∂ℓ/∂t(x_i, t_i), with s_i = g_i (None), g (Sum) or
/// g/n (Mean).
/// </summary>
internal sealed class PointwiseLossOp<TLoss> : Node where TLoss : struct, IPointwiseLoss
{
    private Tensor _input = null!, _target = null!;   // contiguous
    private TLoss _loss;
    private LossReduction _reduction;
    private protected override Tensor?[] Saved => [_input, _target];

    public override string Name => TLoss.Name + "Backward";

    public static Tensor Forward(Tensor input, Tensor target, TLoss loss, LossReduction reduction)
    {
        LossCore.SameShape(TLoss.Name, input, target);
        Dispatch.Floating(TLoss.Name, input);
        var x = input.ContiguousRaw();
        var t = target.ContiguousRaw();
        var y = input.DType == DType.Float32 ? Run<float>(x, t, loss, reduction) : Run<double>(x, t, loss, reduction);
        return new PointwiseLossOp<TLoss> { _input = x.Detach(), _target = t.Detach(), _loss = loss, _reduction = reduction }.Record(y, input, target);
    }

    private static Tensor Run<T>(Tensor input, Tensor target, TLoss loss, LossReduction reduction) where T : IFloatingPointIeee754<T>
    {
        var x = input.AsSpan<T>();
        var t = target.AsSpan<T>();
        var terms = GC.AllocateUninitializedArray<T>(x.Length);
        if (!TLoss.TryTerms(x, t, terms))
            for (int i = 0; i < x.Length; i++)
            {
                if (loss.Invalid(x[i], t[i]) is string problem)
                    throw new ArgumentException($"{TLoss.Name}: {problem} (element {i}: input {x[i]}, target {t[i]})");
                terms[i] = loss.Loss(x[i], t[i]);
            }
        return LossCore.Reduce(terms, input.Shape.ToArray(), reduction, x.Length);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => _input.DType == DType.Float32
        ? BackwardCore<float>(gradOutput)
        : BackwardCore<double>(gradOutput);

    private Tensor?[] BackwardCore<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        var x = _input.AsSpan<T>();
        var t = _target.AsSpan<T>();
        Tensor? dx = null, dt = null;
        if (NeedsGrad(0))
        {
            dx = OpBuffers.Uninitialized(_input.Shape.ToArray(), _input.DType);
            var d = dx.AsSpan<T>();
            if (!TLoss.TryGradInput(x, t, d))
                for (int i = 0; i < d.Length; i++) d[i] = _loss.GradInput(x[i], t[i]);
            if (_reduction == LossReduction.None) TensorPrimitives.Multiply(d, gradOutput.ContiguousRaw().AsSpan<T>(), d);
            else TensorPrimitives.Multiply(d, T.CreateChecked(gradOutput.Item() / (_reduction == LossReduction.Mean ? x.Length : 1)), d);
        }
        var s = NeedsGrad(1) ? LossCore.Scales<T>(gradOutput, x.Length, _reduction, x.Length) : [];
        if (NeedsGrad(1))
        {
            dt = OpBuffers.Uninitialized(_target.Shape.ToArray(), _target.DType);
            var d = dt.AsSpan<T>();
            for (int i = 0; i < d.Length; i++) d[i] = s[i] * _loss.GradTarget(x[i], t[i]);
        }
        return [dx, dt];
    }
}
