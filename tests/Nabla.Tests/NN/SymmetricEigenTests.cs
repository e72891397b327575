using Nabla.NN;

namespace Nabla.Tests.NN;

public class SymmetricEigenTests
{
    [Fact]
    public void A_2x2_matrix_has_its_hand_computed_eigenpairs_in_descending_order()
    {
        // [[2, 1], [1, 2]]: λ = 3 with (1, 1)/√2, λ = 1 with (1, −1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose([[2, 1], [1, 2]]);
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        Assert.Equal(1, Math.Abs(vectors[0][0] + vectors[0][1]) / Math.Sqrt(2), 12);
        Assert.Equal(0, vectors[0][0] - vectors[0][1], 12);
        Assert.Equal(0, vectors[1][0] + vectors[1][1], 12);
    }

    [Fact]
    public void A_random_12x12_symmetric_matrix_is_reconstructed_from_orthonormal_eigenvectors()
    {
        const int n = 12;
        var g = new Generator(5);
        var a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = g.NextGaussian();
        var (values, vectors) = SymmetricEigen.Decompose(a);
        for (int k = 1; k < n; k++) Assert.True(values[k - 1] >= values[k]);
        for (int p = 0; p < n; p++)
            for (int q = 0; q < n; q++)
            {
                double dot = 0, rebuilt = 0;
                for (int k = 0; k < n; k++)
                {
                    dot += vectors[p][k] * vectors[q][k];
                    rebuilt += vectors[k][p] * values[k] * vectors[k][q];   // (V Λ Vᵀ)[p, q]
                }
                Assert.Equal(p == q ? 1 : 0, dot, 10);
                Assert.Equal(a[p][q], rebuilt, 10);
            }
    }

    [Fact]
    public void A_non_symmetric_matrix_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([[1, 2], [0, 1]]));
        Assert.Contains("not symmetric", e.Message);
    }
}
