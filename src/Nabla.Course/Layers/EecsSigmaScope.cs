namespace Nabla.Course;

/// <summary>Which deviations the σ of <see cref="Layers.EecsBatchNormForward"/> sums.</summary>
public enum EecsSigmaScope
{
    /// <summary>The seed's formula read literally: one scalar σ = √(Σ_j ‖X_j − μ‖² + ε), the squared Euclidean norms
    /// of all N rows X_j − μ ∈ ℝ^D added up.</summary>
    AllFeatures,

    /// <summary>The batch-norm reading: one σ_d = √(Σ_j (X_jd − μ_d)² + ε) per feature d.</summary>
    PerFeature,
}
