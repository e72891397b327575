
namespace Nabla.Course;

/// <summary>What <see cref="Ift6135Mlp.Forward"/> keeps for the backward pass: the layer inputs h^0 = x, h^1 … h^{L−1}
/// ([N, h^l] each) and the pre-activations a^1 … a^L (a^l = h^{l−1}·W^lᵀ + b^l; a^L are the logits [N, K]).</summary>
public sealed record Ift6135Cache(IReadOnlyList<Tensor> Activations, IReadOnlyList<Tensor> PreActivations)
{
    /// <summary>The logits a^L [N, K].</summary>
    public Tensor Logits => PreActivations[^1];

    /// <summary>Rows in the batch.</summary>
    public int BatchSize => Activations[0].Size(0);
}
