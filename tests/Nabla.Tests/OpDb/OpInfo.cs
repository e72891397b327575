namespace Nabla.Tests.OpDb;

/// <summary>How a sample input is laid out in memory when the op sees it (same logical values in every case).</summary>
public enum Layout
{
    /// <summary>A fresh row-major tensor.</summary>
    Contiguous,
    /// <summary>Stored with the last two dims swapped and viewed through <c>Transpose(-1, -2)</c> (rank ≥ 2).</summary>
    Transposed,
    /// <summary>Stored with size 1 in dim 0 and viewed through <c>Expand</c> (stride 0; the values repeat along dim 0).</summary>
    Expanded,
    /// <summary>Stored with two more elements in the last dim and viewed through <c>Narrow(-1, 1, n)</c>.</summary>
    Sliced,
}

/// <summary>
/// One input of a sample: its logical shape, how values are drawn (uniform floats in [Low, High), pushed at least
/// <see cref="Margin"/> away from the points in <see cref="Avoid"/> — kinks of non-smooth ops — or int32 values in
/// [0, IntHigh) when <see cref="IntHigh"/> is set), its layout, and whether it requires grad.
/// </summary>
public sealed record Arg(int[] Shape, double Low = -2, double High = 2, Layout Layout = Layout.Contiguous, bool Grad = true,
    int IntHigh = 0, double[]? Avoid = null, double Margin = 0.05, double[]? Values = null)
{
    public bool IsInt => IntHigh > 0;

    public static Arg F(params int[] shape) => new(shape);
    public static Arg Labels(int classes, params int[] shape) => new(shape, IntHigh: classes, Grad: false);
    public Arg T => this with { Layout = Layout.Transposed };
    public Arg E => this with { Layout = Layout.Expanded };
    public Arg S => this with { Layout = Layout.Sliced };
    public Arg NoGrad => this with { Grad = false };
    public Arg In(double low, double high) => this with { Low = low, High = high };
    public Arg Away(params double[] points) => this with { Avoid = points };
}

/// <summary>A named set of inputs for one op.</summary>
public sealed record Sample(string Name, params Arg[] Args)
{
    public override string ToString() => Name;
}

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
