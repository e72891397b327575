
namespace Nabla.Course;

/// <summary>∂L/∂W^l ([h^l, h^{l−1}], the layout of the weights) and ∂L/∂b^l ([h^l]) for l = 1 … L, as returned by
/// <see cref="Ift6135Mlp.Backward"/>.</summary>
public sealed record Ift6135Gradients(IReadOnlyList<Tensor> Weights, IReadOnlyList<Tensor> Biases);
