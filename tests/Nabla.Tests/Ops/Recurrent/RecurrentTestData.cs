namespace Nabla.Tests.Ops.Recurrent;

/// <summary>Deterministic inputs shared with the PyTorch scripts that produced the pasted reference values:
/// element k (row-major) of Det(shape, seed) is 0.5·sin(0.37·k + seed) + shift.</summary>
public static class RecurrentTestData
{
    public static Tensor Det(int[] shape, int seed, double shift = 0, DType dtype = DType.Float64)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var v = new double[n];
        for (int k = 0; k < n; k++) v[k] = 0.5 * Math.Sin(0.37 * k + seed) + shift;
        var t = Tensor.FromArray(v, shape);
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    /// <summary>Random float64 operands for gradient checks (requiring grad).</summary>
    public static Tensor R(ulong seed, params int[] shape) => TestUtil.UniformD(seed, -0.8, 0.8, shape);
}
