using Nabla.NN;
using Nabla.Data;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class SymmetricEigenTests
{
    [Fact]
    public void Two_by_two_by_hand()
    {
        // [[2, 1], [1, 2]]: λ = 3 with (1, 1)/√2 and λ = 1 with (1, −1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose([[2, 1], [1, 2]]);
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        double r = Math.Sqrt(0.5);
        Assert.Equal(1, Math.Abs(Subspace.Dot(vectors[0], [r, r])), 12);
        Assert.Equal(1, Math.Abs(Subspace.Dot(vectors[1], [r, -r])), 12);
    }

    [Fact]
    public void Diagonal_matrix_sorts_its_axes()
    {
        var (values, vectors) = SymmetricEigen.Decompose([[1, 0, 0], [0, 5, 0], [0, 0, 3]]);
        Assert.Equal([5.0, 3.0, 1.0], values);
        Assert.Equal(1, Math.Abs(vectors[0][1]), 14);   // e2
        Assert.Equal(1, Math.Abs(vectors[1][2]), 14);   // e3
        Assert.Equal(1, Math.Abs(vectors[2][0]), 14);   // e1
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(60, false)]
    [InlineData(40, true)]
    public void Random_symmetric_matrices_satisfy_A_v_equals_lambda_v(int n, bool repeated)
    {
        var rng = new Random(n);
        var a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = new double[n];
        if (repeated)
        {
            // A = Q diag(3, 3, 3, 1, 0.5, ...) Qᵀ with Q from Gram–Schmidt of a random matrix: a triple eigenvalue.
            var q = Subspace.Orthonormalize(Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToList());
            for (int k = 0; k < n; k++)
            {
                double lambda = k < 3 ? 3 : 1.0 / (k - 1);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) a[i][j] += lambda * q[k][i] * q[k][j];
            }
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[i][j] = a[j][i];
        }
        else
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rng.NextDouble() * 2 - 1;
        var (values, vectors) = SymmetricEigen.Decompose(a);
        double trace = Enumerable.Range(0, n).Sum(i => a[i][i]);
        Assert.Equal(trace, values.Sum(), 10);
        for (int k = 0; k < n; k++)
        {
            if (k > 0) Assert.True(values[k] <= values[k - 1]);
            for (int i = 0; i < n; i++)
                Assert.Equal(values[k] * vectors[k][i], Subspace.Dot(a[i], vectors[k]), 10);
            for (int l = 0; l <= k; l++) Assert.Equal(k == l ? 1 : 0, Subspace.Dot(vectors[k], vectors[l]), 10);
        }
        if (repeated) Assert.Equal(3, values[2], 10);
    }

    [Fact]
    public void Rejects_a_non_symmetric_matrix()
    {
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([[1, 2], [0, 1]]));
        Assert.Contains("not symmetric", e.Message);
    }
}

public class SubspaceTests
{
    [Fact]
    public void Principal_angles_of_two_planes_in_R3_by_hand()
    {
        // span{e1, e2} and span{e1, cos t·e2 + sin t·e3}: they share e1 (angle 0) and meet at angle t otherwise.
        double t = 0.3;
        double[][] a = [[1, 0, 0], [0, 1, 0]];
        double[][] b = [[1, 0, 0], [0, Math.Cos(t), Math.Sin(t)]];
        var angles = Subspace.PrincipalAngles(a, b);
        Assert.Equal(0, angles[0], 7);
        Assert.Equal(t, angles[1], 10);
        // The same planes given by non-orthonormal spanning vectors.
        var again = Subspace.PrincipalAngles([[1, 1, 0], [2, 0, 0]], [[3, Math.Cos(t), Math.Sin(t)], [0, -2 * Math.Cos(t), -2 * Math.Sin(t)]]);
        Assert.Equal(0, again[0], 7);
        Assert.Equal(t, again[1], 10);
    }

    [Fact]
    public void Orthogonal_subspaces_meet_at_90_degrees_and_unequal_dimensions_give_min_p_q_angles()
    {
        var angles = Subspace.PrincipalAngles([[1, 0, 0, 0], [0, 1, 0, 0]], [[0, 0, 1, 0]]);
        Assert.Single(angles);
        Assert.Equal(90, Subspace.Degrees(angles[0]), 10);
    }

    [Fact]
    public void Orthonormalize_rejects_dependent_vectors()
    {
        Assert.Throws<ArgumentException>(() => Subspace.Orthonormalize([[1, 2, 3], [2, 4, 6]]));
        var q = Subspace.Orthonormalize([[3, 4], [1, 0]]);
        Assert.Equal([0.6, 0.8], q[0].Select(v => Math.Round(v, 12)).ToArray());
        Assert.Equal(0, Subspace.Dot(q[0], q[1]), 14);
    }
}

public class PcaModelTests
{
    [Fact]
    public void Two_dimensional_data_with_known_axes()
    {
        // μ ± 2u and μ ± v with u = (cos 30°, sin 30°), v ⊥ u, μ = (1, −2): C = (2·4·uuᵀ + 2·1·vvᵀ)/3, so λ = 8/3, 2/3.
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        double[] u = [c, s], v = [-s, c], mu = [1, -2];
        var rows = new[] { (2.0, 0.0), (-2.0, 0.0), (0.0, 1.0), (0.0, -1.0) }
            .SelectMany(p => new[] { mu[0] + p.Item1 * u[0] + p.Item2 * v[0], mu[1] + p.Item1 * u[1] + p.Item2 * v[1] }).ToArray();
        var x = Tensor.FromArray(rows, 4, 2);
        var pca = PcaModel.Fit(x);
        Assert.Equal(1, pca.Mean[0], 12);
        Assert.Equal(-2, pca.Mean[1], 12);
        Assert.Equal(8.0 / 3, pca.Values[0], 12);
        Assert.Equal(2.0 / 3, pca.Values[1], 12);
        Assert.Equal(1, Subspace.AbsCos(pca.Components[0], u), 12);
        Assert.Equal(1, Subspace.AbsCos(pca.Components[1], v), 12);
        // Keeping u: the ±v points lose |v|² = 1 each, the ±2u points nothing: 2/4 = 0.5 = (3/4)·(2/3).
        Assert.Equal(0.5, pca.ReconstructionError(x, 1), 12);
        Assert.Equal(0.5, pca.DiscardedVariance(1), 12);
        Assert.Equal(0, pca.ReconstructionError(x, 2), 12);
    }

    [Fact]
    public void Three_dimensional_data_and_PCA_inside_a_skewed_basis_of_its_top_plane()
    {
        // ±3e2, ±2e3, ±1e1 (N = 6, mean 0): C = diag(2, 18, 8)/5, so the components are e2, e3, e1 with 3.6, 1.6, 0.4.
        double[][] points = [[0, 3, 0], [0, -3, 0], [0, 0, 2], [0, 0, -2], [1, 0, 0], [-1, 0, 0]];
        var x = Tensor.FromArray(points.SelectMany(p => p).ToArray(), 6, 3);
        var pca = PcaModel.Fit(x);
        Assert.Equal([3.6, 1.6, 0.4], pca.Values.Select(l => Math.Round(l, 12)).ToArray());
        Assert.Equal(0, Subspace.PrincipalAngles(pca.Top(2), [[0, 1, 0], [0, 0, 1]]).Max(), 7);
        // A skewed basis of span{e2, e3}, as an autoencoder's decoder might give: the k×k PCA of its codes recovers e2, e3.
        var (ritz, directions) = AutoencoderPcaLab.RitzComponents(x, [0, 0, 0], [[0, 1, 1], [0, 1, -2]]);
        Assert.Equal(3.6, ritz[0], 12);
        Assert.Equal(1.6, ritz[1], 12);
        Assert.Equal(1, Math.Abs(directions[0][1]), 12);
        Assert.Equal(1, Math.Abs(directions[1][2]), 12);
    }
}

public class LinearAutoencoderTests
{
    [Fact]
    public void Decoder_columns_are_the_decoder_weight_columns_or_the_tied_weight_rows()
    {
        var untied = new LinearAutoencoder(5, 2, tied: false, new Generator(1));
        var w = untied.Decoder!.Weight.ToDoubleArray();   // [5, 2]
        var cols = untied.DecoderColumns();
        Assert.Equal(2, cols.Length);
        Assert.Equal(w[3 * 2 + 1], cols[1][3]);
        var tied = new LinearAutoencoder(5, 2, tied: true, new Generator(1));
        Assert.Equal(tied.Weight!.ToDoubleArray().Skip(5).ToArray(), tied.DecoderColumns()[1]);
        Assert.Equal(5 * 2 + 2 + 5, tied.ParameterCount());
        Assert.Equal(5 * 2 + 2 + 2 * 5 + 5, untied.ParameterCount());
        var y = tied.Forward(Tensor.Randn([3, 5]));
        Assert.Equal([3, 5], y.Shape.ToArray());
    }

    [Fact]
    public void Tied_forward_is_x_Wt_W_plus_biases()
    {
        var ae = new LinearAutoencoder(3, 1, tied: true, new Generator(2));
        var w = ae.Weight!.ToDoubleArray();
        double[] x = [1, -2, 0.5];
        double h = Subspace.Dot(x, w);   // biases start at 0
        var y = ae.Forward(Tensor.FromArray(x.Select(v => (float)v).ToArray(), 1, 3)).ToDoubleArray();
        for (int i = 0; i < 3; i++) Assert.Equal(h * w[i], y[i], 6);
    }
}

public class AutoencoderPcaRuleTests
{
    [Fact]
    public void Eigen_check_rule()
    {
        Assert.Contains("checks out", AutoencoderPcaLab.EigenCheckSays(1e-12));
        Assert.Contains("not accurate", AutoencoderPcaLab.EigenCheckSays(1e-3));
    }

    [Fact]
    public void Subspace_rule_has_three_branches_and_names_a_small_gap()
    {
        Assert.Contains("has found PCA's subspace", AutoencoderPcaLab.SubspaceSays(0.5, 2, 0.3, 1, 1.2, 1, 8));
        string loose = AutoencoderPcaLab.SubspaceSays(30, 2, 3, 1, 1.1, 1, 8);
        Assert.Contains("span most of the top-8", loose);
        // sin²30° · (1.1 − 1) = 0.025.
        Assert.Contains("λ_8/λ_9 = 1.1", loose);
        Assert.Contains("= 0.025 of error per image at θ = 30.00°", loose);
        Assert.DoesNotContain("λ_8/λ_9", AutoencoderPcaLab.SubspaceSays(30, 2, 3, 1, 2, 1, 8));
        Assert.Contains("far from", AutoencoderPcaLab.SubspaceSays(45, 2, 20, 1, 2, 1, 8));
        Assert.DoesNotContain("pins", AutoencoderPcaLab.SubspaceSays(45, 2, 20, 1, 1.1, 1, 8));
    }

    [Fact]
    public void Error_components_tied_and_ritz_rules()
    {
        Assert.Contains("as well as PCA", AutoencoderPcaLab.ErrorSays(30.1, 30.05, 30));
        Assert.Contains("+10.00%", AutoencoderPcaLab.ErrorSays(33, 30, 30));
        Assert.Equal("+0.00%", AutoencoderPcaLab.Signed(-1e-7));
        Assert.Equal("-0.03%", AutoencoderPcaLab.Signed(-3e-4));
        Assert.Contains("line up with individual components", AutoencoderPcaLab.ComponentsSays(0.995, 0.01, 0.1));
        Assert.Contains("not even orthogonal", AutoencoderPcaLab.ComponentsSays(0.6, 0.4, 0.1));
        Assert.Contains("happen to be nearly orthogonal", AutoencoderPcaLab.ComponentsSays(0.6, 0.001, 0.1));
        Assert.Contains("orthonormal (", AutoencoderPcaLab.TiedSays(0.01, 0.99, 1.01, 0.7));
        Assert.Contains("rotation of the components", AutoencoderPcaLab.TiedSays(0.01, 0.99, 1.01, 0.7));
        Assert.Contains("not orthonormal yet", AutoencoderPcaLab.TiedSays(0.3, 0.5, 1.01, 0.7));
        Assert.Contains("turns its basis into the components: |cos(r_i, u_i)| = 0.9990, 0.9950", AutoencoderPcaLab.RitzSays([0.999, 0.995], [5, 3, 2], 0.1));
        string partial = AutoencoderPcaLab.RitzSays([0.999, 0.8, 0.7], [5, 3, 2.9, 1], 0.1);
        Assert.Contains("recovers 1 of the first 3", partial);
        Assert.Contains("direction 2 has λ_2/λ_1 = 0.6 and λ_2/λ_3 = 1.0345", partial);
        Assert.Contains("not yet PCA's (mean angle 40.00°)", AutoencoderPcaLab.RitzSays([0.5, 0.3], [5, 3, 2], 40));
        Assert.Contains("says little: its subspace is not yet PCA's", AutoencoderPcaLab.ComponentsSays(0.3, 0.001, 40));
    }
}

public class AutoencoderPcaLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-aepca-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_run_matches_an_independent_power_iteration_and_Eckart_Young()
    {
        var lab = new AutoencoderPcaLab();
        var ctx = new LabContext(_dir, Quick: true);
        var r = lab.Experiment(lab.Quick, new LabKit(ctx, lab.Name));
        // λ₁ by power iteration on a covariance summed by plain loops (independent of the lab's GEMM and eigen code).
        var m = Mnist.Load("mnist", new MnistOptions { ValidationCount = 10_000, Normalize = false, Flatten = true });
        int n = lab.Quick.TrainImages, d = 784;
        var rows = new double[n][];
        var buf = new float[d];
        for (int i = 0; i < n; i++)
        {
            m.Train.Get(i, buf);
            rows[i] = buf.Select(v => (double)v).ToArray();
        }
        var mean = Enumerable.Range(0, d).Select(j => rows.Average(row => row[j])).ToArray();
        var cov = new double[d, d];
        foreach (var row in rows)
        {
            var c = row.Select((v, j) => v - mean[j]).ToArray();
            for (int a = 0; a < d; a++)
            {
                if (c[a] == 0) continue;
                for (int b = 0; b < d; b++) cov[a, b] += c[a] * c[b];
            }
        }
        var vec = Enumerable.Repeat(1.0, d).ToArray();
        double lambda = 0;
        for (int it = 0; it < 500; it++)
        {
            var next = new double[d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) next[a] += cov[a, b] * vec[b] / (n - 1);
            lambda = Math.Sqrt(next.Sum(v => v * v));
            vec = next.Select(v => v / lambda).ToArray();
        }
        Assert.Equal(lambda, r.Eigenvalues[0], 6);
        foreach (var run in r.Runs)
        {
            Assert.Equal(run.PcaTrainFromEigenvalues, run.PcaTrainError, 6);
            // Eckart–Young: no rank-k linear reconstruction beats PCA on the data it was fitted to.
            Assert.True(run.Untied.TrainError >= run.PcaTrainError * (1 - 1e-5), $"untied {run.Untied.TrainError} < PCA {run.PcaTrainError}");
            Assert.True(run.Tied.TrainError >= run.PcaTrainError * (1 - 1e-5), $"tied {run.Tied.TrainError} < PCA {run.PcaTrainError}");
            Assert.All(run.Untied.AnglesDegrees.Concat(run.Tied.AnglesDegrees), a => Assert.InRange(a, 0, 90));
            Assert.Equal(run.K, run.Untied.AnglesDegrees.Length);
        }
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_and_its_figures()
    {
        var result = new AutoencoderPcaLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["codes"] = "3", ["epochs"] = "1" }));
        foreach (var f in new[] { "report.md", "results.json", "principal_angles.png", "excess_error.png", "components.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        string md = File.ReadAllText(result.ReportPath);
        Assert.Contains("**k = 3.**", md);
        Assert.DoesNotContain("**k = 8.**", md);
        Assert.True(result.Metrics.ContainsKey("k3_pca_test_error"));
    }
}
