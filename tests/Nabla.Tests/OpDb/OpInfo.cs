namespace Nabla.Tests.OpDb;

/// <summary>
/// One row of the op table (PyTorch's OpInfo): the public methods it covers, its samples (with non-contiguous and
/// broadcast variants), the call under test on the samples' logical tensors, an independent reference on plain double
/// arrays, and tolerances. <see cref="Call"/> returns one floating tensor: ops with several outputs combine them.
/// </summary>
public sealed record OpInfo(string Name, string[] Covers, Sample[] Samples, Func<Tensor[], Tensor> Call, Func<Nd[], Nd> Reference)
{
    /// <summary>|float64 op − reference| ≤ Atol + Rtol·|reference|.</summary>
    public double Atol { get; init; } = 1e-10;
    public double Rtol { get; init; } = 1e-8;

    /// <summary>|float32 op − float64 op| ≤ Tol32·(1 + |float64 op|).</summary>
    public double Tol32 { get; init; } = 2e-4;

    /// <summary>Gradient-check tolerances (central differences in float64).</summary>
    public GradCheckOptions GradCheck { get; init; } = GradCheckOptions.Default;

    /// <summary>Whether the float32 run is meaningful (false for ops defined only on float64 samples).</summary>
    public bool Float32 { get; init; } = true;

    public override string ToString() => Name;
}
