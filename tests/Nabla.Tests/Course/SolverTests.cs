using Xunit.Abstractions;
using Nabla.Course;

namespace Nabla.Tests.Course;

public class SolverTests(ITestOutputHelper output)
{
    private static Tensor Col(params double[] x) => Tensor.FromArray(x, x.Length, 1);

    private static Tensor Labels(params int[] y) => Tensor.FromArray(y, y.Length);

    private static Dictionary<string, double> Lr(double lr) => new() { ["learning_rate"] = lr };

    /// <summary>Train x = 1..4 (all class 1), the given validation set; SGD with lr 1 and batch 2, so an epoch is two
    /// iterations and w (see <see cref="ConstantGradientModel"/>) equals the number of steps taken.</summary>
    private static (Solver Solver, ConstantGradientModel Model) Unit(Tensor xVal, Tensor yVal, int epochs, double lrDecay = 1.0, TextWriter? log = null, int printEvery = 10)
    {
        var model = new ConstantGradientModel();
        var data = new SolverData(Col(1, 2, 3, 4), Labels(1, 1, 1, 1), xVal, yVal);
        var solver = new Solver(model, data, new SolverOptions(OptimConfig: Lr(1), LrDecay: lrDecay, BatchSize: 2, NumEpochs: epochs,
            Verbose: log, PrintEvery: printEvery));
        return (solver, model);
    }

    [Fact]
    public void Train_restores_the_parameters_of_the_best_validation_epoch()
    {
        // Checks after iteration t = 0 (w = 1), then at each epoch end (w = 2, 4, 6, 8).
        // Val x = 1..8, labels 1 for x ≤ 4, prediction 1 iff x ≤ w:
        //   w = 1: x=1 right, 2..4 wrong, 5..8 right → 5/8;  w = 2: 6/8;  w = 4: 8/8;
        //   w = 6: 1..4 right, 5,6 wrong, 7,8 right → 6/8;  w = 8: 4/8.  Peak at epoch 2 with w = 4.
        var (solver, model) = Unit(Col(1, 2, 3, 4, 5, 6, 7, 8), Labels(1, 1, 1, 1, 0, 0, 0, 0), epochs: 4);
        solver.Train();
        Assert.Equal([0.625, 0.75, 1.0, 0.75, 0.5], solver.ValAccHistory);
        Assert.Equal(1.0, solver.BestValAcc);
        Assert.Equal(4.0, model.Params["w"].Item());            // swapped back from the final w = 8
        Assert.Equal(4.0, solver.BestParams["w"].Item());
        // Train x = 1..4 (class 1): right iff x ≤ w → 1/4, 2/4, then 1.
        Assert.Equal([0.25, 0.5, 1.0, 1.0, 1.0], solver.TrainAccHistory);
        // loss = 10 − w before each step: 10, 9, …, 3.
        Assert.Equal([10.0, 9, 8, 7, 6, 5, 4, 3], solver.LossHistory);
        Assert.Equal(4, solver.Epoch);
        // The restored parameter is a copy: changing it leaves BestParams alone.
        model.Params["w"].Fill_(-1);
        Assert.Equal(4.0, solver.BestParams["w"].Item());
    }

    [Fact]
    public void Train_restores_the_state_of_the_best_validation_epoch_with_its_parameters()
    {
        // As above, the best check is epoch 2, after 4 iterations; the counter then read 4 (one raise per Loss call),
        // and 8 at the end. The state is put back with the parameters, as a copy into the model's own tensor.
        var model = new ConstantGradientModel { Counter = Tensor.Zeros([1], DType.Float64) };
        var counter = model.Counter!;
        var data = new SolverData(Col(1, 2, 3, 4), Labels(1, 1, 1, 1), Col(1, 2, 3, 4, 5, 6, 7, 8), Labels(1, 1, 1, 1, 0, 0, 0, 0));
        var solver = new Solver(model, data, new SolverOptions(OptimConfig: Lr(1), BatchSize: 2, NumEpochs: 4));
        solver.Train();
        Assert.Equal(8, model.LossBatches.Count);
        Assert.Equal(4.0, model.Params["w"].Item());
        Assert.Equal(4.0, counter.Item());
        Assert.Same(counter, model.State.Single());
    }

    [Fact]
    public void A_tie_with_the_best_validation_accuracy_keeps_the_earlier_parameters()
    {
        // Val labels 1 for x ≤ 3: w = 1 → 6/8; w = 2 → x=3 wrong → 7/8; w = 4 → x=4 wrong → 7/8 (tie, not better);
        // w = 6 → 4,5,6 wrong → 5/8.  solver.py replaces the best only on a strict improvement: w = 2 stays.
        var (solver, model) = Unit(Col(1, 2, 3, 4, 5, 6, 7, 8), Labels(1, 1, 1, 0, 0, 0, 0, 0), epochs: 3);
        solver.Train();
        Assert.Equal([0.75, 0.875, 0.875, 0.625], solver.ValAccHistory);
        Assert.Equal(2.0, model.Params["w"].Item());
    }

    [Fact]
    public void Learning_rate_decays_by_lr_decay_after_each_epoch()
    {
        // lr 1, lr_decay 0.5, two steps per epoch: epoch 1 steps by 1, epoch 2 by 0.5, epoch 3 by 0.25, so w before
        // each step is 0, 1, 2, 2.5, 3, 3.25 (loss = 10 − w) and ends at 2·(1 + 0.5 + 0.25) = 3.5; lr after 3 epochs = 0.5³.
        // Val x = 1, 2, 3, 3.5 (all class 1) gives accuracy 1/4, 2/4, 3/4, 1 at w = 1, 2, 3, 3.5: the last check is best,
        // so the swap at the end keeps w = 3.5.
        var (solver, model) = Unit(Col(1, 2, 3, 3.5), Labels(1, 1, 1, 1), epochs: 3, lrDecay: 0.5);
        solver.Train();
        Assert.Equal([10.0, 9, 8, 7.5, 7, 6.75], solver.LossHistory);
        Assert.Equal(3.5, model.Params["w"].Item(), 12);
        Assert.Equal(0.125, solver.OptimConfigs["w"].LearningRate, 15);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], solver.ValAccHistory);
    }

    [Theory]
    [InlineData("sgd", 0.2, 0.2)]
    [InlineData("sgd_momentum", 0.2, 0.2)]
    [InlineData("rmsprop", null, 1e-2)]   // optim.py's default learning rate, decayed like a given one
    [InlineData("adam", null, 1e-3)]
    public void Every_rule_learning_rate_is_lr0_times_decay_to_the_k(string rule, double? given, double lr0)
    {
        var model = new ConstantGradientModel();
        var data = new SolverData(Col(1, 2, 3, 4, 5, 6), Labels(1, 1, 1, 1, 1, 1), Col(1), Labels(1));
        var config = given is double g ? Lr(g) : new Dictionary<string, double>();
        // N = 6, batch 2: 3 iterations per epoch, 4 epochs → lr = lr0·0.8⁴.
        var solver = new Solver(model, data, new SolverOptions(rule, config, LrDecay: 0.8, BatchSize: 2, NumEpochs: 4));
        solver.Train();
        Assert.Equal(lr0 * 0.4096, solver.OptimConfigs["w"].LearningRate, 15);
        Assert.Equal(12, solver.LossHistory.Count);
    }

    [Theory]
    [InlineData(10, 3, 4, 12, 5)]    // 3 iterations per epoch: the first-iteration check plus 4 epoch ends
    [InlineData(2, 5, 3, 3, 3)]      // N < batch: max(0, 1) = 1 iteration per epoch; the first check is epoch 1's end
    [InlineData(7, 2, 1, 3, 2)]      // 7 / 2 = 3 iterations (integer division)
    [InlineData(100, 100, 2, 2, 2)]
    public void History_lengths(int n, int batch, int epochs, int iterations, int checks)
    {
        var x = Col(Enumerable.Range(0, n).Select(i => (double)i).ToArray());
        var y = Labels(new int[n]);
        var solver = new Solver(new ConstantGradientModel(), new SolverData(x, y, x, y),
            new SolverOptions(OptimConfig: Lr(0), BatchSize: batch, NumEpochs: epochs));
        Assert.Equal(iterations, solver.NumIterations);
        solver.Train();
        Assert.Equal(iterations, solver.LossHistory.Count);
        Assert.Equal(checks, solver.TrainAccHistory.Count);
        Assert.Equal(checks, solver.ValAccHistory.Count);
        Assert.Equal(epochs, solver.Epoch);
    }

    [Fact]
    public void Step_draws_a_seeded_minibatch_with_replacement_and_updates_the_parameters()
    {
        var model = new ConstantGradientModel();
        var x = Col(0, 1, 2, 3);
        var data = new SolverData(x, Labels(0, 0, 0, 0), x, Labels(0, 0, 0, 0));
        var solver = new Solver(model, data, new SolverOptions(OptimConfig: Lr(0.5), BatchSize: 4, Seed: 11));
        for (int i = 0; i < 20; i++) solver.Step();
        Assert.Equal(10.0, model.Params["w"].Item(), 12);   // 20 steps of 0.5
        Assert.Equal(20, solver.LossHistory.Count);
        Assert.All(model.LossBatches, b => Assert.Equal(4, b.Length));
        Assert.All(model.LossBatches, b => Assert.All(b, v => Assert.InRange(v, 0, 3)));
        // With replacement: batches of 4 out of 4 points repeat a point (each batch has all 4 distinct with p = 4!/4⁴ ≈ 0.09).
        Assert.Contains(model.LossBatches, b => b.Distinct().Count() < 4);
        // Same seed, same batches; another seed, other batches.
        var again = new ConstantGradientModel();
        var s2 = new Solver(again, data, new SolverOptions(OptimConfig: Lr(0.5), BatchSize: 4, Seed: 11));
        var other = new ConstantGradientModel();
        var s3 = new Solver(other, data, new SolverOptions(OptimConfig: Lr(0.5), BatchSize: 4, Seed: 12));
        for (int i = 0; i < 20; i++) { s2.Step(); s3.Step(); }
        Assert.Equal(model.LossBatches.SelectMany(b => b), again.LossBatches.SelectMany(b => b));
        Assert.NotEqual(model.LossBatches.SelectMany(b => b), other.LossBatches.SelectMany(b => b));
    }

    [Fact]
    public void Verbose_prints_solver_py_lines()
    {
        var log = new StringWriter();
        var (solver, _) = Unit(Col(1, 2, 3, 4, 5, 6, 7, 8), Labels(1, 1, 1, 1, 0, 0, 0, 0), epochs: 4, log: log, printEvery: 3);
        solver.Train();
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        // Iterations t = 0, 3, 6 print (t % 3 == 0) with loss 10 − w = 10, 7, 4; an iteration's line comes before its epoch's check (values as in the best-epoch test).
        Assert.Equal([
            "(Iteration 1 / 8) loss: 10.000000",
            "(Epoch 0 / 4) train acc: 0.250000; val_acc: 0.625000",
            "(Epoch 1 / 4) train acc: 0.500000; val_acc: 0.750000",
            "(Iteration 4 / 8) loss: 7.000000",
            "(Epoch 2 / 4) train acc: 1.000000; val_acc: 1.000000",
            "(Epoch 3 / 4) train acc: 1.000000; val_acc: 0.750000",
            "(Iteration 7 / 8) loss: 4.000000",
            "(Epoch 4 / 4) train acc: 1.000000; val_acc: 0.500000",
        ], lines);
    }

    [Fact]
    public void Softmax_regression_learns_three_blobs()
    {
        var (xTrain, yTrain) = Blobs.Make(300, seed: 1);
        var (xVal, yVal) = Blobs.Make(150, seed: 2);
        var model = new SoftmaxRegressionModel(2, 3, reg: 1e-3);
        var solver = new Solver(model, new SolverData(xTrain, yTrain, xVal, yVal),
            new SolverOptions("sgd_momentum", Lr(0.1), LrDecay: 0.9, BatchSize: 50, NumEpochs: 15, Seed: 3));
        solver.Train();
        output.WriteLine($"best val acc {solver.BestValAcc}, val acc history {string.Join(", ", solver.ValAccHistory)}, last loss {solver.LossHistory[^1]}");
        // W = 0 at first: every class has probability 1/3, loss ln 3 ≈ 1.0986.
        Assert.Equal(Math.Log(3), solver.LossHistory[0], 12);
        Assert.True(solver.LossHistory.TakeLast(6).Average() < 0.3, $"final losses {string.Join(", ", solver.LossHistory.TakeLast(6))}");
        Assert.True(solver.ValAccHistory[0] < 0.7, $"first val acc {solver.ValAccHistory[0]}");   // it had to learn
        Assert.True(solver.BestValAcc >= 0.95, $"best val acc {solver.BestValAcc}");
        Assert.Equal(solver.BestValAcc, solver.CheckAccuracy(xVal, yVal), 12);   // the model now holds the best parameters
        Assert.True(solver.TrainAccHistory[^1] >= 0.95, $"train acc {solver.TrainAccHistory[^1]}");
    }

    [Fact]
    public void Mismatched_lengths_are_argument_errors_naming_the_split()
    {
        var model = new ConstantGradientModel();
        var e = Assert.Throws<ArgumentException>(() => new Solver(model, new SolverData(Col(1, 2, 3, 4, 5), Labels(1, 1, 1, 1), Col(1), Labels(1))));
        Assert.Contains("X_train has 5 rows", e.Message);
        Assert.Contains("y_train has 4 labels", e.Message);
        var v = Assert.Throws<ArgumentException>(() => new Solver(model, new SolverData(Col(1), Labels(1), Col(1, 2), Labels(1))));
        Assert.Contains("X_val", v.Message);
        var solver = new Solver(model, new SolverData(Col(1), Labels(1), Col(1), Labels(1)));
        Assert.Throws<ArgumentException>(() => solver.CheckAccuracy(Col(1, 2, 3), Labels(1, 1)));
        // Labels must be class indices.
        var f = Assert.Throws<ArgumentException>(() => new Solver(model, new SolverData(Col(1), Tensor.FromArray([0.5], 1), Col(1), Labels(1))));
        Assert.Contains("y_train[0] = 0.5", f.Message);
    }

    [Fact]
    public void Unknown_update_rule_is_an_argument_error_listing_the_valid_ones()
    {
        var data = new SolverData(Col(1), Labels(1), Col(1), Labels(1));
        var e = Assert.Throws<ArgumentException>(() => new Solver(new ConstantGradientModel(), data, new SolverOptions("nesterov")));
        Assert.Contains("\"nesterov\"", e.Message);
        Assert.Contains("sgd, sgd_momentum, rmsprop, adam", e.Message);
        // A hyper-parameter the rule does not read is rejected too (solver.py rejects unknown kwargs the same way).
        var k = Assert.Throws<ArgumentException>(() => new Solver(new ConstantGradientModel(), data,
            new SolverOptions("sgd", new Dictionary<string, double> { ["momentum"] = 0.9 })));
        Assert.Contains("momentum", k.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.1)]
    public void Non_finite_or_negative_learning_rate_is_rejected(double lr)
    {
        var data = new SolverData(Col(1), Labels(1), Col(1), Labels(1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(new ConstantGradientModel(), data, new SolverOptions("adam", Lr(lr))));
        Assert.Contains("learning_rate", e.Message);
    }

    [Fact]
    public void Other_bad_options_are_rejected()
    {
        var data = new SolverData(Col(1), Labels(1), Col(1), Labels(1));
        var m = new ConstantGradientModel();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(LrDecay: double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(LrDecay: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(BatchSize: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(NumEpochs: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(NumTrainSamples: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions(PrintEvery: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver(m, data, new SolverOptions("rmsprop", new Dictionary<string, double> { ["decay_rate"] = 1.5 })));
    }

    [Fact]
    public void A_model_that_omits_a_gradient_fails_the_step_naming_the_parameter()
    {
        var data = new SolverData(Col(1), Labels(1), Col(1), Labels(1));
        var solver = new Solver(new ConstantGradientModel { OmitGradient = true }, data);
        var e = Assert.Throws<InvalidOperationException>(solver.Step);
        Assert.Contains("'w'", e.Message);
    }
}
