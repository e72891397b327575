namespace Nabla.Tests.Ops;

public class CrossEntropyOpTests
{
    private static Tensor Logits() => Tensor.FromArray([1.0, 2, 3, -1, 0, 4], 2, 3);
    private static Tensor Labels(params int[] y) => Tensor.FromArray(y);

    [Fact]
    public void Forward_matches_pytorch()
    {
        // F.cross_entropy (torch 1.13, float64) with logits [[1,2,3],[-1,0,4]], labels [2, 0].
        Assert.Equal(2.7161754272916014, Logits().CrossEntropy(Labels(2, 0)).Item(), 12);
        TestUtil.AssertClose([0.4076059644443804, 5.024744890138822], Logits().CrossEntropy(Labels(2, 0), LossReduction.None), 1e-12);
        Assert.Equal(2 * 2.7161754272916014, Logits().CrossEntropy(Labels(2, 0), LossReduction.Sum).Item(), 12);
        // weight = [0.5, 1, 2]: Σ w_y·ℓ / Σ w_y.
        Assert.Equal(1.3310337495832687, Logits().CrossEntropy(Labels(2, 0), weight: Tensor.FromArray([0.5, 1, 2])).Item(), 12);
        // ignore_index = −100 on the second sample.
        Assert.Equal(0.4076059644443804, Logits().CrossEntropy(Labels(2, -100)).Item(), 12);
        Assert.Equal(2.7161754272916014, Logits().To(DType.Float32).CrossEntropy(Labels(2, 0)).Item(), 5);
    }

    [Fact]
    public void Huge_logits_give_finite_loss_and_gradients_matching_pytorch()
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var x = Tensor.FromArray([1000.0, -1000, 0, -1000, 1000, 999], 2, 3).To(dtype).RequiresGrad_();
            var loss = x.CrossEntropy(Labels(0, 2));
            // PyTorch: 0.6566308437591114, grad [0, 0, 0, 0, 0.36552928931500245, −0.36552928931500245].
            Assert.Equal(0.6566308437591114, loss.Item(), dtype == DType.Float64 ? 12 : 5);
            loss.Backward();
            TestUtil.AssertClose([0, 0, 0, 0, 0.36552928931500245, -0.36552928931500245], x.Grad!, dtype == DType.Float64 ? 1e-12 : 1e-6);
        }
    }

    [Fact]
    public void Gradient_is_softmax_minus_onehot_over_n()
    {
        var x = Logits().RequiresGrad_();
        x.CrossEntropy(Labels(2, 0)).Backward();
        var p = Logits().Softmax(1).ToDoubleArray();
        double[] expected = [p[0] / 2, p[1] / 2, (p[2] - 1) / 2, (p[3] - 1) / 2, p[4] / 2, p[5] / 2];
        TestUtil.AssertClose(expected, x.Grad!, 1e-12);
    }

    [Theory]
    [InlineData(LossReduction.Mean)]
    [InlineData(LossReduction.Sum)]
    [InlineData(LossReduction.None)]
    public void Gradcheck(LossReduction reduction)
    {
        var y = Labels(0, 3, 1, 3, 2);
        TestUtil.AssertGrad(t => t[0].CrossEntropy(y, reduction), TestUtil.RandD(1, 5, 4));
        TestUtil.AssertGrad(t => t[0].CrossEntropy(y, reduction, Tensor.FromArray([0.5, 2, 1, 3]), ignoreIndex: 1), TestUtil.RandD(2, 5, 4));
        // [N, C, d] logits with [N, d] labels.
        var y3 = Tensor.FromArray([0, 2, 1, 1, 0, 2], 2, 3);
        TestUtil.AssertGrad(t => t[0].CrossEntropy(y3, reduction), TestUtil.RandD(3, 2, 3, 3));
    }

    [Fact]
    public void Spatial_form_equals_the_flattened_form()
    {
        var x = TestUtil.RandD(4, 2, 3, 5).Detach();     // [N, C, d]
        var y = Tensor.RandInt(0, 3, [2, 5], new Generator(1));
        var flat = x.Permute(0, 2, 1).Reshape(10, 3).CrossEntropy(y.Reshape(10), LossReduction.None);
        TestUtil.AssertClose(flat.ToDoubleArray(), x.CrossEntropy(y, LossReduction.None), 1e-12);
    }

    [Fact]
    public void Bad_labels_name_the_op_the_label_and_c()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Logits().CrossEntropy(Labels(2, 7)));
        Assert.Contains("CrossEntropy", e.Message);
        Assert.Contains("label 7", e.Message);
        Assert.Contains("C = 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Logits().CrossEntropy(Labels(-1, 0)));
        Assert.Throws<DTypeMismatchException>(() => Logits().CrossEntropy(Tensor.FromArray([2.0, 0])));
        Assert.Throws<ShapeMismatchException>(() => Logits().CrossEntropy(Labels(2, 0, 1)));
        Assert.Throws<ShapeMismatchException>(() => Logits().CrossEntropy(Labels(2, 0), weight: Tensor.FromArray([1.0, 2])));
    }
}
