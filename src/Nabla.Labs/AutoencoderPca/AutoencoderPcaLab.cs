using System.Diagnostics;
using System.Globalization;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Sizes of the autoencoder-pca lab.</summary>
public sealed record AutoencoderPcaSettings
{
    [Setting("training images (the first of the 50k training part); PCA and the autoencoders see the same ones", Min = 10, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("test images (the first of the test file)", Min = 10, Max = 10_000)] public int TestImages { get; init; }
    [Setting("code sizes k (one PCA and two linear autoencoders each)", Min = 1, Max = 783)] public int[] Codes { get; init; } = [];
    [Setting("epochs of Adam per autoencoder", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("mini-batch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; }
    [Setting("Adam learning rate at the start (annealed to 0 by a cosine over the epochs)", Min = 1e-7, Max = 1)] public double LearningRate { get; init; }
    [Setting("components drawn per row of the figure", Min = 1, Max = 32)] public int ShownComponents { get; init; }
}

/// <summary>
/// One trained linear autoencoder, measured against PCA with the same k. Errors are mean per-image Σ_d (x̂ − x)² on
/// centred pixels in [0, 1]. <see cref="AnglesDegrees"/>: principal angles between span(decoder columns) and the top-k
/// PCA subspace, ascending. <see cref="BestMatchCos"/>[j] = max_i |cos(column j, u_i)| over the top-k components;
/// <see cref="MaxColumnCos"/> = max_{i≠j} |cos(column i, column j)|; column norms min/max. <see cref="RitzValues"/> and
/// <see cref="RotatedCos"/>: the eigen-decomposition of the codes' covariance inside span(columns) (k×k), its variances,
/// and |cos(r_i, u_i)| of its i-th direction with the i-th principal component.
/// </summary>
public sealed record LinearAeFit(bool Tied, double[] TrainLoss, double TrainError, double TestError, double[] AnglesDegrees,
    double[] BestMatchCos, double MaxColumnCos, double MinColumnNorm, double MaxColumnNorm, double[] RitzValues, double[] RotatedCos,
    string Outcome, double Seconds);

/// <summary>One code size k: PCA's errors (training error from the discarded eigenvalues and measured directly, test
/// error), the share of variance of the top k, λ_k/λ_{k+1}, and the untied and tied autoencoders.</summary>
public sealed record PcaCodeRun(int K, double ExplainedVariance, double PcaTrainFromEigenvalues, double PcaTrainError, double PcaTestError,
    double EigenGap, LinearAeFit Untied, LinearAeFit Tied);

/// <summary>The figure's images for code size <see cref="K"/>: the first PCA components, the untied and tied decoders'
/// first columns, and the untied autoencoder's directions after the k×k eigen-decomposition of its codes (each given the
/// sign of the matching component, since an eigenvector's sign is arbitrary).</summary>
public sealed record ComponentImages(int K, float[][] Pca, float[][] Untied, float[][] Tied, float[][] Rotated);

/// <summary><see cref="Eigenvalues"/>: the largest PCA variances, at least 100 and one past the largest code size.</summary>
public sealed record AutoencoderPcaResult(int TrainCount, int TestCount, int Dimensions, double[] Eigenvalues, double TotalVariance,
    double PcaSeconds, IReadOnlyList<PcaCodeRun> Runs, ComponentImages Images, double Seconds)
{
    public PcaCodeRun this[int k] => Runs.Single(r => r.K == k);
}

/// <summary>
/// Workbook Q18e: a linear autoencoder (no non-linearity, MSE, centred MNIST) against PCA with the same number of
/// components, PCA computed here (covariance and a Householder + QL eigen-decomposition in double). For each code size:
/// principal angles between the decoder's column space and the top-k PCA subspace, reconstruction errors of both on
/// test images, whether the columns are the individual components (untied and tied weights), and the k×k
/// eigen-decomposition of the codes that turns the autoencoder's basis into the components.
/// </summary>
public sealed partial class AutoencoderPcaLab : Lab<AutoencoderPcaSettings, AutoencoderPcaResult>
{
    public override string Name => "autoencoder-pca";

    public override string Description => "linear autoencoder vs PCA on MNIST: principal angles, reconstruction errors, components";

    public override string Title => "A linear autoencoder and PCA on MNIST";

    public override AutoencoderPcaSettings Quick => new()
    {
        TrainImages = 2000, TestImages = 500, Codes = [2, 8], Epochs = 3, BatchSize = 64, LearningRate = 3e-3, ShownComponents = 8,
    };

    public override AutoencoderPcaSettings Full => new()
    {
        TrainImages = 50_000, TestImages = 10_000, Codes = [2, 8, 32], Epochs = 30, BatchSize = 128, LearningRate = 1e-3, ShownComponents = 8,
    };

    public override AutoencoderPcaResult Experiment(AutoencoderPcaSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        var data = kit.Mnist(new MnistRequest(s.TrainImages, 0, s.TestImages) { Scaling = MnistScaling.Unit, Flatten = true });
        var trainX = LabKit.ToTensors(data.Train).X;   // [N, 784], pixels in [0, 1]
        var testX = LabKit.ToTensors(data.Test).X;
        int d = trainX.Size(1);
        foreach (int k in s.Codes)
            if (k >= d || k >= trainX.Size(0)) throw new ArgumentException($"autoencoder-pca: code size {k} must be below the dimension {d} and the number of training images {trainX.Size(0)}");

        var pcaClock = Stopwatch.StartNew();
        var pca = PcaModel.Fit(trainX);
        double pcaSeconds = pcaClock.Elapsed.TotalSeconds;
        kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"autoencoder-pca: PCA of {trainX.Size(0)} × {d} in {pcaSeconds:F1} s; λ₁ = {pca.Values[0]:F3}, total variance {pca.Values.Sum():F3}"));
        // The centring the question asks for: both models see x − μ (μ = the training mean); μ is added back for errors.
        var mu = Tensor.FromArray(pca.Mean.Select(v => (float)v).ToArray(), 1, d);
        var trainC = trainX.Sub(mu);
        var testC = testX.Sub(mu);
        var zero = new double[d];

        var runs = new List<PcaCodeRun>();
        var codes = s.Codes.Distinct().Order().ToArray();
        int figureK = codes.Where(k => k >= s.ShownComponents).DefaultIfEmpty(codes[^1]).First();
        ComponentImages? images = null;
        foreach (int k in codes)
        {
            var top = pca.Top(k);
            var fits = new List<LinearAeFit>();
            var drawn = new List<(double[][] Columns, double[][] Rotated)>();
            foreach (bool tied in new[] { false, true })
            {
                var (fit, columns, rotated) = TrainAutoencoder(k, tied, trainC, testC, top, zero, s, kit);
                fits.Add(fit);
                drawn.Add((columns, rotated));
            }
            if (k == figureK) images = Images(k, Math.Min(k, s.ShownComponents), top, drawn[0].Columns, drawn[1].Columns, drawn[0].Rotated);
            runs.Add(new PcaCodeRun(k, pca.Values.Take(k).Sum() / pca.Values.Sum(), pca.DiscardedVariance(k),
                pca.ReconstructionError(trainX, k), pca.ReconstructionError(testX, k), pca.Values[k - 1] / pca.Values[k], fits[0], fits[1]));
            kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  k = {k}: PCA test error {runs[^1].PcaTestError:F3}; AE untied {fits[0].TestError:F3} (max angle {fits[0].AnglesDegrees[^1]:F2}°), tied {fits[1].TestError:F3} (max angle {fits[1].AnglesDegrees[^1]:F2}°)"));
        }
        return new AutoencoderPcaResult(trainX.Size(0), testX.Size(0), d, pca.Values.Take(Math.Max(100, codes[^1] + 1)).ToArray(), pca.Values.Sum(), pcaSeconds, runs,
            images!, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Adam on the mean squared error of x̂ against x (centred), through the library's Trainer; then the
    /// measurements of <see cref="LinearAeFit"/>.</summary>
    private static (LinearAeFit Fit, double[][] Columns, double[][] Rotated) TrainAutoencoder(int k, bool tied, Tensor trainC, Tensor testC,
        double[][] top, double[] zero, AutoencoderPcaSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        var trained = TrainModel(k, tied, trainC, s, kit);
        var cols = trained.Model.DecoderColumns();
        var angles = Subspace.PrincipalAngles(cols, top).Select(Subspace.Degrees).ToArray();
        var best = cols.Select(c => top.Max(u => Subspace.AbsCos(c, u))).ToArray();
        double maxColumnCos = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++) maxColumnCos = Math.Max(maxColumnCos, Subspace.AbsCos(cols[i], cols[j]));
        var norms = cols.Select(Subspace.Norm).ToArray();
        var (ritz, rotated) = RitzComponents(trainC, zero, cols);
        var rotatedCos = rotated.Select((r, i) => Subspace.AbsCos(r, top[i])).ToArray();
        return (new LinearAeFit(tied, trained.History, Error(trained.Model, trainC), Error(trained.Model, testC), angles, best, maxColumnCos,
            norms.Min(), norms.Max(), ritz, rotatedCos, trained.Outcome, clock.Elapsed.TotalSeconds), cols, rotated);
    }

    /// <summary>The first <paramref name="m"/> images of each row of the figure; the rotated directions take the sign of
    /// the component they are compared with.</summary>
    private static ComponentImages Images(int k, int m, double[][] top, double[][] untied, double[][] tied, double[][] rotated)
    {
        static float[] F(double[] v, double sign = 1) => v.Select(a => (float)(sign * a)).ToArray();
        return new ComponentImages(k, top.Take(m).Select(u => F(u)).ToArray(), untied.Take(m).Select(c => F(c)).ToArray(),
            tied.Take(m).Select(c => F(c)).ToArray(),
            rotated.Take(m).Select((r, i) => F(r, Math.Sign(Subspace.Dot(r, top[i])) is 0 ? 1 : Math.Sign(Subspace.Dot(r, top[i])))).ToArray());
    }

    private sealed record Trained(LinearAutoencoder Model, double[] History, string Outcome);

    private static Trained TrainModel(int k, bool tied, Tensor trainC, AutoencoderPcaSettings s, LabKit kit)
    {
        ulong offset = 400 + (ulong)k * 2 + (tied ? 1UL : 0);
        var model = new LinearAutoencoder(trainC.Size(1), k, tied, kit.Generator(offset));
        var optimizer = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
        // Annealing the rate to 0 removes the noise floor a constant Adam step leaves in the slow directions.
        var trainer = new Trainer(model, optimizer, (y, x) => y.MseLoss(x), new TrainerOptions(s.Epochs, kit.Seed + offset),
            new CosineAnnealingLR(optimizer, s.Epochs));
        var fit = trainer.Fit(epoch => Batches(trainC, s.BatchSize, kit.Generator(offset * 1000 + (ulong)epoch)));
        int d = trainC.Size(1);
        // MseLoss averages over the D pixels too: ×D gives the per-image Σ_d (x̂ − x)² of the report.
        var history = MlpTraining.Series(fit, s.Epochs, e => e.TrainLoss * d);
        kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {(tied ? "tied" : "untied")} k = {k}: training error per image {history[0]:F3} after epoch 1, {history[^1]:F3} after epoch {s.Epochs}"));
        return new Trained(model, history, fit.Diverged ? fit.StopReason : "completed");
    }

    /// <summary>One epoch of (x, x) mini-batches of the rows of <paramref name="x"/> in a seeded random order.</summary>
    private static IEnumerable<(Tensor Input, Tensor Target)> Batches(Tensor x, int batchSize, Generator generator)
    {
        foreach (var idx in LabKit.BatchIndices(x.Size(0), batchSize, generator))
        {
            var xb = x.IndexSelect(0, idx);
            yield return (xb, xb);
        }
    }

    /// <summary>Mean per-image Σ_d (x̂ − x)² of <paramref name="model"/> on the rows of <paramref name="x"/> (no recording).</summary>
    private static double Error(LinearAutoencoder model, Tensor x)
    {
        using var _ = GradMode.NoGrad();
        int n = x.Size(0);
        double sum = 0;
        for (int s = 0; s < n; s += 5000)
        {
            var xb = x.Narrow(0, s, Math.Min(5000, n - s));
            sum += model.Forward(xb).Sub(xb).To(DType.Float64).Square().Sum().Item();
        }
        return sum / n;
    }

    /// <summary>PCA inside the autoencoder's subspace (Rayleigh–Ritz): orthonormalise the decoder's columns (Q), take the
    /// codes' coordinates Z = (X − μ)Q, eigen-decompose their k×k covariance, and rotate Q by its eigenvectors. Returns the
    /// variances (descending) and the rotated directions r_i = Q·v_i.</summary>
    public static (double[] Values, double[][] Directions) RitzComponents(Tensor xCentred, double[] mean, IReadOnlyList<double[]> columns)
    {
        var q = Subspace.Orthonormalize(columns);
        var inner = PcaModel.Fit(PcaModel.Coordinates(xCentred, mean, q));
        int d = q[0].Length;
        var directions = inner.Components.Select(v =>
        {
            var r = new double[d];
            for (int j = 0; j < q.Length; j++)
                for (int i = 0; i < d; i++) r[i] += v[j] * q[j][i];
            return r;
        }).ToArray();
        return (inner.Values, directions);
    }
}
