namespace Nabla.Tests.Ops;

/// <summary>LinearOp's fused backward: gradients written straight into existing parameter gradient buffers.</summary>
public class LinearOpTests
{
    /// <summary>∂/∂X, ∂/∂W, ∂/∂b of Σ v ⊙ (X·Wᵀ + b) by the formulas v·W, vᵀ·X, Σ_n v (plain loops).</summary>
    private static (double[] Gx, double[] Gw, double[] Gb) ByFormula(double[] x, double[] w, double[] v, int n, int k, int m)
    {
        var gx = new double[n * k];
        var gw = new double[m * k];
        var gb = new double[m];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < m; o++)
            {
                double vi = v[i * m + o];
                gb[o] += vi;
                for (int j = 0; j < k; j++)
                {
                    gx[i * k + j] += vi * w[o * k + j];
                    gw[o * k + j] += vi * x[i * k + j];
                }
            }
        return (gx, gw, gb);
    }

    [Theory]
    [InlineData(DType.Float32, 5, 3, 4)]
    [InlineData(DType.Float64, 5, 3, 4)]
    [InlineData(DType.Float32, 70, 40, 33)]   // several GEMM tiles and a ragged edge
    public void Backward_accumulates_into_existing_grad_buffers(DType dtype, int n, int k, int m)
    {
        var x = TestUtil.RandD(1, n, k).To(dtype).Detach().RequiresGrad_();
        var w = TestUtil.RandD(2, m, k).To(dtype).Detach().RequiresGrad_();
        var b = TestUtil.RandD(3, m).To(dtype).Detach().RequiresGrad_();
        var v = TestUtil.RandD(4, n, m).To(dtype);
        var (gx, gw, gb) = ByFormula(x.ToDoubleArray(), w.ToDoubleArray(), v.ToDoubleArray(), n, k, m);
        double tol = dtype == DType.Float32 ? 1e-4 : 1e-12;

        // Pre-existing buffers (as after zero_grad(set_to_none=False), but non-zero to see the sum).
        w.Grad = Tensor.Full([m, k], 0.5, dtype);
        b.Grad = Tensor.Full([m], -0.25, dtype);
        var wBuffer = w.Grad;
        var bBuffer = b.Grad;
        x.Linear(w, b).Backward(v);
        x.Linear(w, b).Backward(v);

        Assert.Same(wBuffer, w.Grad);
        Assert.Same(bBuffer, b.Grad);
        TestUtil.AssertClose(gw.Select(g => 0.5 + 2 * g).ToArray(), w.Grad!, tol);
        TestUtil.AssertClose(gb.Select(g => -0.25 + 2 * g).ToArray(), b.Grad!, tol);
        TestUtil.AssertClose(gx.Select(g => 2 * g).ToArray(), x.Grad!, tol);
    }

    [Fact]
    public void Backward_without_buffers_creates_them_and_skips_unneeded_inputs()
    {
        var x = TestUtil.RandD(1, 3, 2).Detach();   // no grad wanted for the input
        var w = TestUtil.RandD(2, 4, 2).RequiresGrad_();
        var v = TestUtil.RandD(3, 3, 4);
        var (_, gw, _) = ByFormula(x.ToDoubleArray(), w.ToDoubleArray(), v.ToDoubleArray(), 3, 2, 4);
        x.Linear(w).Backward(v);
        TestUtil.AssertClose(gw, w.Grad!, 1e-12);
        Assert.Null(x.Grad);
    }
}
