using Nabla.NN;

namespace Nabla.Tests.NN;

public class PatchWhiteningTests
{
    /// <summary>Images with strongly correlated channels and neighbouring pixels: a smoothed common signal plus noise.</summary>
    private static Tensor CorrelatedImages(int n, int seed)
    {
        var g = new Generator((ulong)seed);
        var x = new float[n * 3 * 8 * 8];
        for (int i = 0; i < n; i++)
        {
            var baseImage = new double[9 * 9];
            for (int k = 0; k < baseImage.Length; k++) baseImage[k] = g.NextGaussian();
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 8; y++)
                    for (int xx = 0; xx < 8; xx++)
                    {
                        double smooth = baseImage[y * 9 + xx] + baseImage[(y + 1) * 9 + xx] + baseImage[y * 9 + xx + 1];
                        x[((i * 3 + c) * 8 + y) * 8 + xx] = (float)((1 + 0.5 * c) * smooth + 0.3 * g.NextGaussian());
                    }
        }
        return Tensor.FromArray(x, n, 3, 8, 8);
    }

    /// <summary>Uncentred second moments of the channels of a conv output [N, D, H, W] over every position.</summary>
    private static double[,] ChannelSecondMoments(Tensor y)
    {
        int n = y.Size(0), d = y.Size(1), hw = y.Size(2) * y.Size(3);
        var v = y.ToDoubleArray();
        var m = new double[d, d];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < hw; p++)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) m[a, b] += v[(i * d + a) * hw + p] * v[(i * d + b) * hw + p];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) m[a, b] /= (double)n * hw;
        return m;
    }

    [Fact]
    public void Second_moment_matches_a_hand_count_on_one_tiny_image()
    {
        // One 1×2×3 image [[1, 2, 3], [4, 5, 6]], k = 2: patches (1, 2, 4, 5) and (2, 3, 5, 6).
        var s = PatchWhitening.PatchSecondMoment(Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3), 2);
        double[] p = [1, 2, 4, 5], q = [2, 3, 5, 6];
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) Assert.Equal((p[a] * p[b] + q[a] * q[b]) / 2, s[a, b], 12);
    }

    [Fact]
    public void Whitened_patches_have_identity_second_moments_and_the_negatives_follow()
    {
        var images = CorrelatedImages(200, 1);
        var w = PatchWhitening.Weights(images, 2, eps: 0);
        Assert.Equal([24, 3, 2, 2], w.Shape.ToArray());
        var m = ChannelSecondMoments(images.Conv2d(w.Narrow(0, 0, 12).Contiguous(), null));
        for (int a = 0; a < 12; a++)
            for (int b = 0; b < 12; b++) Assert.Equal(a == b ? 1 : 0, m[a, b], 3);
        var v = w.ToArray<float>();
        for (int k = 0; k < 12 * 12; k++) Assert.Equal(-v[k], v[12 * 12 + k]);
        // Descending eigenvalues: the filter norms 1/√λ grow along the rows.
        var norms = Enumerable.Range(0, 12).Select(r => Math.Sqrt(v.Skip(r * 12).Take(12).Sum(t => (double)t * t))).ToArray();
        for (int r = 1; r < 12; r++) Assert.True(norms[r] >= norms[r - 1] * (1 - 1e-5), $"row {r}: {norms[r]} < {norms[r - 1]}");
    }

    [Fact]
    public void Eps_shrinks_each_whitened_variance_to_lambda_over_lambda_plus_eps()
    {
        var images = CorrelatedImages(100, 2);
        var sigma = PatchWhitening.PatchSecondMoment(images, 2);
        double trace = 0;
        for (int a = 0; a < 12; a++) trace += sigma[a, a];
        double eps = trace / 12;   // about the mean eigenvalue: a visible shrinkage
        var w = PatchWhitening.Weights(images, 2, eps, withNegatives: false);
        Assert.Equal(12, w.Size(0));
        var m = ChannelSecondMoments(images.Conv2d(w, null));
        // Filter d = v_d/√(λ_d + ε) ⇒ second moment λ_d/(λ_d + ε) = 1/(1 + ε·‖w_d‖²) since ‖w_d‖² = 1/(λ_d + ε).
        var v = w.ToDoubleArray();
        for (int d = 0; d < 12; d++)
        {
            double norm2 = v.Skip(d * 12).Take(12).Sum(t => t * t);
            double lambda = 1 / norm2 - eps;
            Assert.Equal(lambda / (lambda + eps), m[d, d], 3);
        }
    }

    [Fact]
    public void Bad_inputs_get_typed_errors()
    {
        Assert.Throws<ShapeMismatchException>(() => PatchWhitening.Weights(Tensor.Ones([3, 8, 8]), 2));
        Assert.Throws<ArgumentException>(() => PatchWhitening.Weights(Tensor.Ones([1, 3, 4, 4]), 5));
        Assert.Throws<ArgumentException>(() => PatchWhitening.Weights(Tensor.Ones([1, 3, 4, 4]), 2, eps: -1));
        // Constant images: every eigenvalue but one is 0, so ε = 0 would make infinite filters.
        var e = Assert.Throws<ArgumentException>(() => PatchWhitening.Weights(Tensor.Ones([2, 1, 4, 4]), 2, eps: 0));
        Assert.Contains("infinite", e.Message);
    }
}
