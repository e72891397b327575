namespace Nabla.Tests.OpDb;

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
