namespace Nabla.Optim;

/// <summary>
/// Where an adaptive optimizer adds its stabiliser ε to the accumulated squared gradients s:
/// outside the root, η·g/(√s + ε) (PyTorch; Goodfellow et al. Algorithm 8.4), or inside it, η·g/√(s + ε)
/// (Goodfellow et al.'s RMSProp, Algorithm 8.5, and many course notes). They differ most while s is small.
/// </summary>
public enum EpsPlacement
{
    /// <summary>θ ← θ − η·g/(√s + ε), PyTorch's form.</summary>
    OutsideSqrt,

    /// <summary>θ ← θ − η·g/√(s + ε).</summary>
    InsideSqrt,
}
