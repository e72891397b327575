using Xunit.Abstractions;
using Nabla.Course;
using Nabla.NN;

namespace Nabla.Tests.Course;

/// <summary><see cref="ModuleLossModel"/>: an ordinary Module trained by the Solver through autograd.</summary>
public class SolverModuleLossModelTests(ITestOutputHelper output)
{
    private static Linear ZeroLinear(int inFeatures, int outFeatures, DType dtype = DType.Float64)
    {
        var linear = new Linear(inFeatures, outFeatures, dtype: dtype);
        linear.Weight.Fill_(0);
        linear.Bias!.Fill_(0);
        return linear;
    }

    [Fact]
    public void Params_are_the_named_parameters_and_assignment_copies_in_place()
    {
        var net = new Sequential(new Linear(3, 4, dtype: DType.Float64), new ReLU(), new Linear(4, 2, dtype: DType.Float64));
        var model = new ModuleLossModel(net);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.Params.Keys);
        var first = (Linear)net.Children[0].Module;
        Assert.Same(first.Weight, model.Params["0.weight"]);
        var w = Tensor.Full([4, 3], 0.25, DType.Float64);
        model.Params["0.weight"] = w;
        Assert.Same(first.Weight, model.Params["0.weight"]);   // still the module's tensor, now holding w's values
        Assert.All(first.Weight.ToDoubleArray(), v => Assert.Equal(0.25, v));
        w.Fill_(9);                                              // a copy, not an alias
        Assert.All(first.Weight.ToDoubleArray(), v => Assert.Equal(0.25, v));
        Assert.Throws<ArgumentException>(() => model.Params["0.weight"] = Tensor.Zeros([3, 4], DType.Float64));
        Assert.Throws<ArgumentException>(() => model.Params["0.weight"] = Tensor.Zeros([4, 3], DType.Float32));
        Assert.Throws<KeyNotFoundException>(() => model.Params["fc.weight"]);
        Assert.Throws<NotSupportedException>(() => model.Params.Add("extra", w));
        Assert.Throws<NotSupportedException>(() => model.Params.Remove("0.bias"));
    }

    [Fact]
    public void State_is_the_modules_buffers()
    {
        var bn = new BatchNorm1d(3, dtype: DType.Float64);
        var model = new ModuleLossModel(new Sequential(new Linear(2, 3, dtype: DType.Float64), bn));
        Assert.Equal([bn.RunningMean, bn.RunningVar], model.State.Take(2));
        Assert.Empty(new ModuleLossModel(ZeroLinear(2, 2)).State);
    }

    [Fact]
    public void Loss_returns_the_cross_entropy_gradients_without_accumulating()
    {
        // W = 0, b = 0: logits [0, 0], softmax [½, ½]; for label 0, dlogits = [½ − 1, ½] = [−½, ½] and loss = ln 2.
        // Weight [out, in]: dW = dlogitsᵀ·x = [[−½·1, −½·2], [½·1, ½·2]] = [[−0.5, −1], [0.5, 1]]; db = [−0.5, 0.5].
        var linear = ZeroLinear(2, 2);
        var model = new ModuleLossModel(linear);
        var x = Tensor.FromArray(new[] { 1.0, 2 }, 1, 2);
        var y = Tensor.FromArray(new[] { 0 }, 1);
        for (int call = 0; call < 2; call++)   // the second call gives the same gradients: nothing accumulates
        {
            var (loss, grads) = model.Loss(x, y);
            Assert.Equal(Math.Log(2), loss, 12);
            TestUtil.AssertClose([-0.5, -1, 0.5, 1], grads["weight"], 1e-12);
            TestUtil.AssertClose([-0.5, 0.5], grads["bias"], 1e-12);
        }
        Assert.Null(linear.Weight.Grad);
    }

    [Fact]
    public void A_custom_loss_is_used_and_must_be_scalar()
    {
        // loss = Σ s² with s = x·Wᵀ + b = b = [1, 2] (W = 0): dL/db = 2s = [2, 4], dL/dW = 2sᵀ·x = [[2·3], [4·3]] for x = [3].
        var linear = ZeroLinear(1, 2);
        linear.Bias!.CopyFrom_(Tensor.FromArray(new[] { 1.0, 2 }, 2));
        var model = new ModuleLossModel(linear, (s, _) => s.Mul(s).Sum());
        var (loss, grads) = model.Loss(Tensor.FromArray(new[] { 3.0 }, 1, 1), Tensor.FromArray(new[] { 0 }, 1));
        Assert.Equal(5.0, loss, 12);
        TestUtil.AssertClose([2, 4], grads["bias"], 1e-12);
        TestUtil.AssertClose([6, 12], grads["weight"], 1e-12);
        var bad = new ModuleLossModel(ZeroLinear(1, 2), (s, _) => s);
        Assert.Throws<InvalidOperationException>(() => bad.Loss(Tensor.FromArray(new[] { 3.0 }, 1, 1), Tensor.FromArray(new[] { 0 }, 1)));
    }

    [Fact]
    public void Scores_run_in_eval_mode_without_recording_and_restore_the_mode()
    {
        // Dropout(0.9) would zero ~90 % of the scores in training mode; in eval mode it is the identity.
        var linear = ZeroLinear(2, 3);
        linear.Bias!.CopyFrom_(Tensor.FromArray(new[] { 1.0, 2, 3 }, 3));
        var net = new Sequential(linear, new Dropout(0.9));
        var model = new ModuleLossModel(net);
        var scores = model.Scores(Tensor.Zeros([4, 2], DType.Float64));
        TestUtil.AssertClose([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], scores, 0);
        Assert.False(scores.RequiresGrad);
        Assert.Null(scores.GradFn);
        Assert.True(net.Training);
        net.Eval();
        model.Scores(Tensor.Zeros([1, 2], DType.Float64));
        Assert.False(net.Training);
    }

    [Fact]
    public void Solver_trains_a_Linear_module_on_three_blobs()
    {
        var (xTrain, yTrain) = Blobs.Make(300, seed: 1, DType.Float32);
        var (xVal, yVal) = Blobs.Make(150, seed: 2, DType.Float32);
        var linear = new Linear(2, 3, generator: new Generator(4));
        var model = new ModuleLossModel(linear);
        var solver = new Solver(model, new SolverData(xTrain, yTrain, xVal, yVal),
            new SolverOptions("adam", new Dictionary<string, double> { ["learning_rate"] = 0.05 }, BatchSize: 50, NumEpochs: 8, Seed: 3));
        solver.Train();
        output.WriteLine($"best val acc {solver.BestValAcc}, val acc history {string.Join(", ", solver.ValAccHistory)}, last loss {solver.LossHistory[^1]}");
        Assert.True(solver.ValAccHistory[0] < 0.7, $"first val acc {solver.ValAccHistory[0]}");   // it had to learn
        Assert.True(solver.BestValAcc >= 0.95, $"best val acc {solver.BestValAcc}");
        Assert.True(solver.LossHistory.TakeLast(6).Average() < 0.5 * solver.LossHistory[0],
            $"loss {solver.LossHistory[0]} → {string.Join(", ", solver.LossHistory.TakeLast(6))}");
        // The updates and the swap to the best parameters reached the module itself: its own forward pass scores the
        // validation set at the best accuracy.
        Assert.Equal(solver.BestValAcc, Accuracy(linear.Forward(xVal), yVal), 12);
        TestUtil.AssertClose(solver.BestParams["weight"].ToDoubleArray(), linear.Weight, 0);
    }

    private static double Accuracy(Tensor scores, Tensor y)
    {
        var s = scores.ToDoubleArray();
        var labels = y.ToArray<int>();
        int c = scores.Shape[1], right = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (s[i * c + j] > s[i * c + best]) best = j;
            if (best == labels[i]) right++;
        }
        return (double)right / labels.Length;
    }
}
