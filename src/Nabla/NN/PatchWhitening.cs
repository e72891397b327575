namespace Nabla.NN;

/// <summary>
/// A frozen first convolution that whitens k×k patches (the airbench recipe of Keller Jordan, 2024, after Page's and
/// tysam-code's CIFAR-10 speed runs): from the second-moment matrix Σ = (1/M)·Σ_m p_m·p_mᵀ of all M patches p (each
/// flattened as (c, i, j), like a conv filter) of some training images, with eigenpairs Σ·v_d = λ_d·v_d sorted by
/// descending λ, filter d is v_d/√(λ_d + ε). Applied to the same images, the D = C·k² whitened channels have second
/// moments diag(λ_d/(λ_d + ε)) — the identity when ε ≪ λ. The negated filters follow as channels D..2D−1, so a GELU
/// after the conv keeps both signs of each component.
/// Shape: images [N, C, H, W]; weights [2·C·k², C, k, k] (or [C·k², C, k, k] without the negatives).
/// </summary>
public static class PatchWhitening
{
    /// <summary>Σ [C·k², C·k²] (double): the mean of p·pᵀ over every k×k patch of <paramref name="images"/> at stride 1
    /// without padding (N·(H − k + 1)·(W − k + 1) patches); the mean is not subtracted (airbench's estimate).</summary>
    /// <exception cref="ArgumentException">images not [N, C, H, W] float, or k not in 1..min(H, W)</exception>
    public static double[,] PatchSecondMoment(Tensor images, int kernelSize)
    {
        var (n, c, h, w) = Check(images, kernelSize);
        int k = kernelSize, d = c * k * k, oh = h - k + 1, ow = w - k + 1;
        var x = images.Contiguous().DType == DType.Float64 ? images.Contiguous().ToArray<double>()
            : Array.ConvertAll(images.Contiguous().ToArray<float>(), v => (double)v);
        var sum = new double[d, d];
        var p = new double[d];
        for (int img = 0; img < n; img++)
            for (int y = 0; y < oh; y++)
                for (int xx = 0; xx < ow; xx++)
                {
                    int t = 0;
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++) p[t++] = x[((img * c + ch) * h + y + i) * w + xx + j];
                    for (int a = 0; a < d; a++)
                    {
                        double pa = p[a];
                        for (int b = a; b < d; b++) sum[a, b] += pa * p[b];
                    }
                }
        double count = (double)n * oh * ow;
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++) sum[b, a] = sum[a, b] /= count;
        return sum;
    }

    /// <summary>The whitening filters (see the class summary) from the patches of <paramref name="images"/>, in the
    /// images' dtype; with <paramref name="withNegatives"/> the negated filters follow.</summary>
    /// <param name="images">[N, C, H, W] training images, preprocessed as the network will see them</param>
    /// <param name="kernelSize">k (airbench: 2)</param>
    /// <param name="eps">ε added to every eigenvalue (airbench: 5e-4 on standardised pixels); bounds the gain of
    /// near-null directions</param>
    /// <param name="withNegatives">append −v_d/√(λ_d + ε) as channels D..2D−1 (airbench: yes)</param>
    /// <exception cref="ArgumentException">bad shapes (see <see cref="PatchSecondMoment"/>) or ε &lt; 0</exception>
    public static Tensor Weights(Tensor images, int kernelSize, double eps = 5e-4, bool withNegatives = true)
    {
        if (!(eps >= 0)) throw new ArgumentException($"PatchWhitening: eps must be ≥ 0, got {eps}");
        int c = Check(images, kernelSize).C, k = kernelSize, d = c * k * k;
        var moment = PatchSecondMoment(images, kernelSize);
        var rowsOfMoment = new double[d][];
        for (int i = 0; i < d; i++)
        {
            rowsOfMoment[i] = new double[d];
            for (int j = 0; j < d; j++) rowsOfMoment[i][j] = moment[i, j];
        }
        var (values, vectors) = SymmetricEigen.Decompose(rowsOfMoment);
        int rows = withNegatives ? 2 * d : d;
        var weights = new double[rows * d];
        for (int r = 0; r < d; r++)
        {
            double scale = 1 / Math.Sqrt(Math.Max(values[r], 0) + eps);
            if (!double.IsFinite(scale))
                throw new ArgumentException($"PatchWhitening: eigenvalue {r} is {values[r]} and eps is {eps}: the filter would be infinite (use eps > 0)");
            for (int t = 0; t < d; t++)
            {
                weights[r * d + t] = vectors[r][t] * scale;
                if (withNegatives) weights[(d + r) * d + t] = -vectors[r][t] * scale;
            }
        }
        return images.DType == DType.Float64 ? Tensor.FromArray(weights, rows, c, k, k)
            : Tensor.FromArray(Array.ConvertAll(weights, v => (float)v), rows, c, k, k);
    }

    private static (int N, int C, int H, int W) Check(Tensor images, int k)
    {
        if (images.Rank != 4 || !images.DType.IsFloatingPoint())
            throw ShapeMismatchException.For(nameof(PatchWhitening), "needs floating-point images [N, C, H, W]", images.Shape.ToArray());
        int n = images.Size(0), c = images.Size(1), h = images.Size(2), w = images.Size(3);
        if (n == 0) throw new ArgumentException("PatchWhitening: needs at least one image");
        if (k < 1 || k > Math.Min(h, w)) throw new ArgumentException($"PatchWhitening: kernel size {k} must lie in 1..{Math.Min(h, w)} for {h}×{w} images");
        return (n, c, h, w);
    }
}
