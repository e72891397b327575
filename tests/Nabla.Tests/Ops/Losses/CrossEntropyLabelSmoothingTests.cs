namespace Nabla.Tests.Ops.Losses;

/// <summary>Label smoothing against PyTorch 1.13's <c>F.cross_entropy(..., label_smoothing=0.1)</c> (float64) and a hand formula.</summary>
public class CrossEntropyLabelSmoothingTests
{
    private static Tensor Logits() => Tensor.FromArray([1.0, 2.0, -0.5, 0.3, -1.2, 2.2, 0.0, 0.5, 0.1, 2.0, -1.0, 0.4], 4, 3);

    [Fact]
    public void Matches_pytorch_for_every_reduction()
    {
        var y = Tensor.FromArray([2, 0, 1, 2], 4);
        Assert.Equal(1.8658732234136854, Logits().CrossEntropy(y, labelSmoothing: 0.1).Item(), 12);
        Assert.Equal(7.463492893654742, Logits().CrossEntropy(y, LossReduction.Sum, labelSmoothing: 0.1).Item(), 12);
        TestUtil.AssertClose([2.7382056985193497, 2.054671128886642, 0.8527932187257528, 1.8178228475229963],
            Logits().CrossEntropy(y, LossReduction.None, labelSmoothing: 0.1), 1e-12);
    }

    [Fact]
    public void Hand_formula_for_one_row()
    {
        // Row (1, 2, −0.5), label 2: log Σ exp = L; ℓ = 0.9·(L + 0.5) + 0.1·(3L − (1 + 2 − 0.5))/3.
        double l = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(-0.5));
        double expected = 0.9 * (l + 0.5) + 0.1 * (3 * l - 2.5) / 3;
        var row = Tensor.FromArray([1.0, 2.0, -0.5], 1, 3);
        Assert.Equal(expected, row.CrossEntropy(Tensor.FromArray([2], 1), labelSmoothing: 0.1).Item(), 12);
    }

    [Fact]
    public void Ignored_labels_drop_out_of_both_terms_and_the_mean()
    {
        var y = Tensor.FromArray([2, -100, 1, 2], 4);
        Assert.Equal(1.802940588256033, Logits().CrossEntropy(y, labelSmoothing: 0.1).Item(), 12);
        TestUtil.AssertClose([2.7382056985193497, 0, 0.8527932187257528, 1.8178228475229963],
            Logits().CrossEntropy(y, LossReduction.None, labelSmoothing: 0.1), 1e-12);
    }

    [Fact]
    public void Gradient_is_checked_and_bad_arguments_are_refused()
    {
        var y = Tensor.FromArray([2, 0, -100, 1], 4);
        TestUtil.AssertGrad(t => t[0].CrossEntropy(y, labelSmoothing: 0.2), TestUtil.RandD(3, 4, 3));
        TestUtil.AssertGrad(t => t[0].CrossEntropy(Tensor.FromArray([0, 2, 1, 1], 2, 2), LossReduction.Sum, labelSmoothing: 0.3), TestUtil.RandD(4, 2, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Logits().CrossEntropy(y, labelSmoothing: 1.5));
        Assert.Throws<NotSupportedException>(() => Logits().CrossEntropy(y, weight: Tensor.Ones([3], DType.Float64), labelSmoothing: 0.1));
    }
}
