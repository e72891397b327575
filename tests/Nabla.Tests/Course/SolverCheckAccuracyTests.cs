using Nabla.Course;

namespace Nabla.Tests.Course;

/// <summary><see cref="Solver.CheckAccuracy"/> with <see cref="IndexScoreModel"/>: point i is predicted class 1 iff
/// i % 4 == 0, and every label is 0, so a point is classified right iff i % 4 ≠ 0.</summary>
public class SolverCheckAccuracyTests
{
    private const int N = 250;

    private static (Tensor X, Tensor Y) Points(int n = N) =>
        (Tensor.FromArray(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), n, 1), Tensor.FromArray(new int[n], n));

    private static Solver SolverFor(IndexScoreModel model, ulong seed = 0)
    {
        var (x, y) = Points(4);
        return new Solver(model, new SolverData(x, y, x, y), new SolverOptions(Seed: seed));
    }

    [Theory]
    [InlineData(null, 100, new[] { 100, 100, 50 })]
    [InlineData(1000, 100, new[] { 100, 100, 50 })]   // numSamples ≥ N: no subsampling
    [InlineData(250, 250, new[] { 250 })]
    [InlineData(null, 64, new[] { 64, 64, 64, 58 })]
    public void All_points_in_order_batch_by_batch(int? numSamples, int batchSize, int[] batches)
    {
        var model = new IndexScoreModel();
        var (x, y) = Points();
        double acc = SolverFor(model).CheckAccuracy(x, y, numSamples, batchSize);
        // i % 4 == 0 for i = 0, 4, …, 248: 63 points wrong, 187 right.
        Assert.Equal(187.0 / 250, acc, 15);
        Assert.Equal(batches, model.ScoreBatches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, N).Select(i => (double)i), model.ScoreBatches.SelectMany(b => b));
    }

    [Fact]
    public void Subsampling_draws_num_samples_points_with_replacement_and_scores_them_in_batches()
    {
        var model = new IndexScoreModel();
        var (x, y) = Points();
        double acc = SolverFor(model, seed: 5).CheckAccuracy(x, y, numSamples: 40, batchSize: 16);
        Assert.Equal([16, 16, 8], model.ScoreBatches.Select(b => b.Length));
        var seen = model.ScoreBatches.SelectMany(b => b).ToArray();
        Assert.All(seen, i => Assert.InRange(i, 0, N - 1));
        Assert.NotEqual(Enumerable.Range(0, 40).Select(i => (double)i), seen);   // drawn at random, not the first 40
        // The accuracy is that of the points actually scored.
        Assert.Equal(seen.Count(i => i % 4 != 0) / 40.0, acc, 15);
        // Seeded: the same seed draws the same points, another seed others.
        var same = new IndexScoreModel();
        SolverFor(same, seed: 5).CheckAccuracy(x, y, 40, 16);
        Assert.Equal(seen, same.ScoreBatches.SelectMany(b => b));
        var other = new IndexScoreModel();
        SolverFor(other, seed: 6).CheckAccuracy(x, y, 40, 16);
        Assert.NotEqual(seen, other.ScoreBatches.SelectMany(b => b));
    }

    [Theory]
    [InlineData(new int[0])]      // scores [N]
    [InlineData(new[] { 1 })]     // scores [N, 1]
    public void Binary_scores_predict_one_when_positive(int[] trailing)
    {
        // Points 0..7: score +1 for i = 0, 4 (predicted 1), −1 otherwise (predicted 0).
        // Labels 1 for i = 0, 1, 2 → right at i = 0 and at 3..7 except 4 → {0, 3, 5, 6, 7} = 5/8.
        var model = new IndexScoreModel { Binary = trailing };
        var x = Points(8).X;
        var y = Tensor.FromArray(new[] { 1, 1, 1, 0, 0, 0, 0, 0 }, 8);
        Assert.Equal(5.0 / 8, SolverFor(model).CheckAccuracy(x, y), 15);
        // Float 0/1 labels work the same.
        Assert.Equal(5.0 / 8, SolverFor(model).CheckAccuracy(x, y.To(DType.Float32)), 15);
    }

    [Fact]
    public void Argmax_takes_the_first_maximum_and_zero_is_not_positive()
    {
        var data = new SolverData(Tensor.Zeros([1, 1]), Tensor.FromArray(new[] { 0 }, 1), Tensor.Zeros([1, 1]), Tensor.FromArray(new[] { 0 }, 1));
        // Ties [1, 1, 0] → class 0 (np.argmax); a binary score of exactly 0 → class 0.
        var tie = new Solver(new FixedScores(Tensor.FromArray(new[] { 1.0, 1, 0 }, 1, 3)), data);
        Assert.Equal(1.0, tie.CheckAccuracy(data.XVal, Tensor.FromArray(new[] { 0 }, 1)));
        var zero = new Solver(new FixedScores(Tensor.FromArray(new[] { 0.0 }, 1)), data);
        Assert.Equal(0.0, zero.CheckAccuracy(data.XVal, Tensor.FromArray(new[] { 1 }, 1)));
    }

    [Fact]
    public void Scores_of_the_wrong_shape_or_bad_arguments_are_errors()
    {
        var (x, y) = Points(10);
        var wrong = SolverFor(new IndexScoreModel { WrongShape = [3, 2] });
        var e = Assert.Throws<InvalidOperationException>(() => wrong.CheckAccuracy(x, y));
        Assert.Contains("[3, 2]", e.Message);
        var solver = SolverFor(new IndexScoreModel());
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.CheckAccuracy(x, y, numSamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.CheckAccuracy(x, y, batchSize: 0));
    }

    private sealed class FixedScores(Tensor scores) : ILossModel
    {
        public IDictionary<string, Tensor> Params { get; } = new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([1]) };
        public Tensor Scores(Tensor x) => scores;
        public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y) => (0, new() { ["w"] = Tensor.Zeros([1]) });
    }
}
