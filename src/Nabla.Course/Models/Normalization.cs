namespace Nabla.Course.Models;

/// <summary>The normalisation after each hidden affine layer of <see cref="FullyConnectedNet"/>.</summary>
public enum Normalization
{
    None,

    /// <summary><see cref="Layers.BatchNormForward"/> with learned γ, β and running statistics.</summary>
    BatchNorm,
}
