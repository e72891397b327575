namespace Nabla.Optim;

/// <summary>
/// Lookahead weight averaging (Zhang, Lucas, Hinton &amp; Ba, 2019; in the form airbench uses as its EMA): keeps a slow
/// copy φ of each tensor θ and on <see cref="Update"/> with decay ρ sets φ ← ρ·φ + (1 − ρ)·θ, then θ ← φ — the fast
/// weights restart from the average. ρ = 1 only copies the average back; ρ = 0 adopts the fast weights. Pass the
/// floating-point parameters and buffers (BatchNorm running statistics too, as airbench does); integer tensors are
/// refused.
/// </summary>
public sealed class Lookahead
{
    private readonly Tensor[] _fast;
    private readonly Tensor[] _slow;

    /// <summary>Starts the slow copies at the current values of <paramref name="tensors"/>.</summary>
    /// <exception cref="ArgumentException">no tensor, or a tensor that is not floating-point and contiguous</exception>
    public Lookahead(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _fast = tensors.ToArray();
        if (_fast.Length == 0) throw new ArgumentException("Lookahead: got no tensors");
        foreach (var t in _fast)
            if (!t.DType.IsFloatingPoint() || !t.IsContiguous)
                throw new ArgumentException($"Lookahead: tensors must be floating-point and contiguous (got shape {ShapeUtil.Format(t.Shape)}, {t.DType.Name()})");
        _slow = _fast.Select(t => t.Clone_Raw()).ToArray();
    }

    /// <summary>The slow (averaged) copies, in the order given.</summary>
    public IReadOnlyList<Tensor> Slow => _slow;

    /// <summary>φ ← ρ·φ + (1 − ρ)·θ, then θ ← φ, for every tensor (not recorded by autograd).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> ρ outside [0, 1]</exception>
    public void Update(double decay)
    {
        if (!(decay >= 0 && decay <= 1)) throw new ArgumentOutOfRangeException(nameof(decay), $"Lookahead: decay must lie in [0, 1], got {decay}");
        for (int i = 0; i < _fast.Length; i++)
        {
            if (_fast[i].DType == DType.Float32) Lerp(_slow[i].AsSpan<float>(), _fast[i].AsSpan<float>(), (float)decay);
            else Lerp(_slow[i].AsSpan<double>(), _fast[i].AsSpan<double>(), decay);
            _fast[i].BumpVersion();
            _slow[i].BumpVersion();
        }
    }

    private static void Lerp<T>(Span<T> slow, Span<T> fast, T decay) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // φ = ρ·φ + (1 − ρ)·θ = θ + ρ·(φ − θ); then θ = φ.
        System.Numerics.Tensors.TensorPrimitives.Subtract(slow, fast, slow);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(slow, decay, fast, slow);
        slow.CopyTo(fast);
    }
}
