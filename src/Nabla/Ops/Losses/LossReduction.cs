namespace Nabla;

/// <summary>
/// How a loss combines its per-element (or per-sample) terms ℓ_i, like PyTorch's <c>reduction=</c>.
/// (Named LossReduction because <c>Nabla.Reduction</c> is the reductions' dim helper.)
/// </summary>
public enum LossReduction
{
    /// <summary>Σ_i ℓ_i / count (for class-weighted losses Σ_i w_i·ℓ_i / Σ_i w_i, as PyTorch).</summary>
    Mean,

    /// <summary>Σ_i ℓ_i.</summary>
    Sum,

    /// <summary>No reduction: the tensor of ℓ_i.</summary>
    None,
}
