using Nabla.Course;
using Nabla.NN;
using Nabla.Optim;
using static Nabla.Tests.Course.HandMlpReference;

namespace Nabla.Tests.Course;

public class HandMlpIft6135Tests
{
    public static TheoryData<HandActivation, int[], int> Cases()
    {
        var data = new TheoryData<HandActivation, int[], int>();
        foreach (var act in Enum.GetValues<HandActivation>())
        {
            data.Add(act, [7, 5, 3], 1);            // one hidden layer, batch of one
            data.Add(act, [6, 9, 4, 5], 4);         // the homework's two hidden layers, odd widths
            data.Add(act, [5, 3, 3, 3, 2], 3);      // three hidden layers with a square W (a transposed ∂W would fit its shape)
        }
        return data;
    }

    /// <summary>A float64 network with N(0, 1) weights and N(0, 0.5²) biases (non-zero, so bias bugs show).</summary>
    private static Ift6135Mlp Net(int[] dims, HandActivation act, ulong seed)
    {
        var net = new Ift6135Mlp(dims, act, HandMlpInit.Normal, DType.Float64, new Generator(seed));
        var g = new Generator(seed + 100);
        foreach (var b in net.Biases) b.CopyFrom_(Tensor.Randn(b.Shape.ToArray(), 0, 0.5, DType.Float64, g));
        return net;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_autograd_and_finite_differences(HandActivation act, int[] dims, int batch)
    {
        var net = Net(dims, act, 7);
        var (x, y) = Problem(11, batch, dims[0], dims[^1]);
        var cache = net.Forward(x);
        double loss = net.Loss(cache.Logits, LabelsTensor(y));
        var grads = net.Backward(cache, LabelsTensor(y));
        var (autoLoss, auto) = AutogradGradients(net.Weights, net.Biases, act, x, y, outIn: true);
        Assert.Equal(autoLoss, loss, 1e-13);
        for (int l = 0; l < net.Weights.Count; l++)
        {
            foreach (var (name, p, g, a) in new[] { ($"W{l + 1}", net.Weights[l], grads.Weights[l], auto[2 * l]), ($"b{l + 1}", net.Biases[l], grads.Biases[l], auto[2 * l + 1]) })
            {
                TestUtil.AssertShape(g, p.Shape.ToArray());
                AssertWithin(HandGradCheck.Compare(name, g.ToDoubleArray(), a), 1e-12, "explicit vs autograd");
                var all = Enumerable.Range(0, p.Numel).ToArray();
                var fd = HandGradCheck.Numeric(() => net.Loss(net.Forward(x).Logits, LabelsTensor(y)), p, all);
                AssertWithin(HandGradCheck.Compare(name, g.ToDoubleArray(), fd), 1e-7, "explicit vs finite differences");
            }
        }
    }

    [Fact]
    public void One_update_on_a_tiny_net_matches_the_hand_computation()
    {
        // x = [1, 2], y = 0. W1 = [[1, −1], [0.5, 2]], b1 = [0, −1] → a1 = [1 − 2, 0.5 + 4 − 1] = [−1, 3.5], h1 = [0, 3.5].
        // W2 = [[1, 0], [−1, 1]], b2 = [0.5, 0] → a2 = [0.5, 3.5], p = softmax(a2) = [1 − s, s] with s = σ(3).
        // L = −log(1 − s) = log(1 + e³). δ2 = p − onehot(0) = [−s, s]; ∂W2 = δ2ᵀ·h1 = [[0, −3.5s], [0, 3.5s]]; ∂b2 = [−s, s].
        // δ1 = (δ2·W2) ⊙ 1[a1 > 0] = [−s − s, s] ⊙ [0, 1] = [0, s]; ∂W1 = δ1ᵀ·x = [[0, 0], [s, 2s]]; ∂b1 = [0, s].
        // With η = 0.5: W1 = [[1, −1], [0.5 − s/2, 2 − s]], b1 = [0, −1 − s/2], W2 = [[1, 1.75s], [−1, 1 − 1.75s]], b2 = [0.5 + s/2, −s/2].
        double s = 1 / (1 + Math.Exp(-3));
        var net = new Ift6135Mlp([2, 2, 2], HandActivation.Relu, HandMlpInit.Zero);
        net.Weights[0].CopyFrom_(Tensor.FromArray(new double[,] { { 1, -1 }, { 0.5, 2 } }));
        net.Biases[0].CopyFrom_(Tensor.FromArray([0.0, -1], 2));
        net.Weights[1].CopyFrom_(Tensor.FromArray(new double[,] { { 1, 0 }, { -1, 1 } }));
        net.Biases[1].CopyFrom_(Tensor.FromArray([0.5, 0], 2));
        var x = Tensor.FromArray([1.0, 2], 1, 2);
        var y = Tensor.FromArray([0], 1);
        var cache = net.Forward(x);
        Assert.Equal(Math.Log(1 + Math.Exp(3)), net.Loss(cache.Logits, y), 1e-14);
        TestUtil.AssertClose([1 - s, s], net.Softmax(cache.Logits), 1e-15);
        var grads = net.Backward(cache, y);
        TestUtil.AssertClose([0, -3.5 * s, 0, 3.5 * s], grads.Weights[1], 1e-15);
        TestUtil.AssertClose([-s, s], grads.Biases[1], 1e-15);
        TestUtil.AssertClose([0, 0, s, 2 * s], grads.Weights[0], 1e-15);
        TestUtil.AssertClose([0, s], grads.Biases[0], 1e-15);
        net.Update(grads, 0.5);
        TestUtil.AssertClose([1, -1, 0.5 - s / 2, 2 - s], net.Weights[0], 1e-15);
        TestUtil.AssertClose([0, -1 - s / 2], net.Biases[0], 1e-15);
        TestUtil.AssertClose([1, 1.75 * s, -1, 1 - 1.75 * s], net.Weights[1], 1e-15);
        TestUtil.AssertClose([0.5 + s / 2, -s / 2], net.Biases[1], 1e-15);
    }

    [Fact]
    public void Float32_gradients_agree_with_float64_to_single_precision()
    {
        int[] dims = [13, 11, 7, 3];
        var net64 = Net(dims, HandActivation.Tanh, 3);
        var net32 = new Ift6135Mlp(dims, HandActivation.Tanh, HandMlpInit.Zero, DType.Float32);
        for (int l = 0; l < net64.Weights.Count; l++)
        {
            net32.Weights[l].CopyFrom_(net64.Weights[l].To(DType.Float32));
            net32.Biases[l].CopyFrom_(net64.Biases[l].To(DType.Float32));
        }
        var (x, y) = Problem(5, 8, dims[0], dims[^1]);
        var g64 = net64.Backward(net64.Forward(x), LabelsTensor(y));
        var g32 = net32.Backward(net32.Forward(x), LabelsTensor(y));   // x is converted to the parameters' dtype
        Assert.Equal(DType.Float32, g32.Weights[0].DType);
        for (int l = 0; l < dims.Length - 1; l++)
        {
            AssertWithin(HandGradCheck.Compare($"W{l + 1}", g32.Weights[l].ToDoubleArray(), g64.Weights[l].ToDoubleArray()), 1e-5, "float32 vs float64");
            AssertWithin(HandGradCheck.Compare($"b{l + 1}", g32.Biases[l].ToDoubleArray(), g64.Biases[l].ToDoubleArray()), 1e-5, "float32 vs float64");
        }
    }

    [Fact]
    public void Initializations_follow_their_formulas_and_the_homework_net_has_669706_parameters()
    {
        var net = new Ift6135Mlp([784, 512, 512, 10], HandActivation.Relu, HandMlpInit.Glorot, DType.Float32, new Generator(1));
        Assert.Equal(784L * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, net.ParameterCount);   // 669,706 ∈ [0.5M, 1M]
        double d1 = Math.Sqrt(6.0 / (784 + 512));                                              // 0.06804
        var w1 = net.Weights[0].ToDoubleArray();
        Assert.InRange(w1.Max(Math.Abs), 0.999 * d1, d1 * (1 + 1e-6));   // d rounded to float32
        Assert.All(net.Biases, b => Assert.All(b.ToDoubleArray(), v => Assert.Equal(0, v)));

        net.InitializeWeights(HandMlpInit.Normal, new Generator(2));
        var n1 = net.Weights[0].ToDoubleArray();                                               // 401,408 draws of N(0, 1)
        double mean = n1.Average(), std = Math.Sqrt(n1.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);

        net.InitializeWeights(HandMlpInit.Zero);
        Assert.All(net.Weights, w => Assert.All(w.ToDoubleArray(), v => Assert.Equal(0, v)));
    }

    [Fact]
    public void Zero_init_with_relu_learns_only_the_output_bias()
    {
        // a^l = 0 everywhere, and ReLU′(0) = 0 stops δ below the top layer; ∂W^L = δᵀ·h^{L−1} = 0 because h^{L−1} = 0.
        var teacher = Tensor.Randn([6, 3], dtype: DType.Float64, generator: new Generator(1));
        var (x, y) = Separable(2, 64, 6, 3, teacher);
        var net = new Ift6135Mlp([6, 8, 8, 3], HandActivation.Relu, HandMlpInit.Zero);
        net.Train(x, LabelsTensor(y), new HandMlpTrainOptions(Epochs: 3, BatchSize: 16, LearningRate: 0.5));
        Assert.All(net.Weights, w => Assert.All(w.ToDoubleArray(), v => Assert.Equal(0, v)));
        Assert.All(net.Biases.Take(2), b => Assert.All(b.ToDoubleArray(), v => Assert.Equal(0, v)));
        Assert.Contains(net.Biases[^1].ToDoubleArray(), v => v != 0);
    }

    [Fact]
    public void Train_is_the_hand_loop_and_coincides_with_autograd_sgd_from_the_same_weights()
    {
        int[] dims = [9, 7, 5, 4];
        var (x, y) = Problem(21, 40, dims[0], dims[^1]);
        var options = new HandMlpTrainOptions(Epochs: 2, BatchSize: 16, LearningRate: 0.2, Seed: 5, EvaluateTrainingSet: false);
        var net = Net(dims, HandActivation.Sigmoid, 9);
        var byHand = Net(dims, HandActivation.Sigmoid, 9);

        // The autograd twin: library Linear layers (weights [out, in], as here) and Sgd, on the same batches.
        var twin = new Sequential(new Linear(9, 7, dtype: DType.Float64), new Sigmoid(), new Linear(7, 5, dtype: DType.Float64), new Sigmoid(),
            new Linear(5, 4, dtype: DType.Float64));
        var linears = twin.Layers.OfType<Linear>().ToList();
        for (int l = 0; l < 3; l++) { linears[l].Weight.CopyFrom_(net.Weights[l]); linears[l].Bias!.CopyFrom_(net.Biases[l]); }
        var sgd = new Sgd(twin.Parameters(), new SgdOptions(LearningRate: 0.2));

        var history = net.Train(x, LabelsTensor(y), options);
        var handLosses = new List<double>();
        var twinLosses = new List<double>();
        for (int e = 0; e < 2; e++)
            foreach (var idx in HandMlpBatches.Epoch(40, 16, 5, e))
            {
                var xb = x.IndexSelect(0, Tensor.FromArray(idx, idx.Length));
                var yb = Tensor.FromArray(idx.Select(i => y[i]).ToArray(), idx.Length);
                var cache = byHand.Forward(xb);
                handLosses.Add(byHand.Loss(cache.Logits, yb));
                byHand.Update(byHand.Backward(cache, yb), 0.2);

                sgd.ZeroGrad();
                var loss = twin.Forward(xb).CrossEntropy(yb);
                loss.Backward();
                sgd.Step();
                twinLosses.Add(loss.Item());
            }
        Assert.Equal(6, history.StepLosses.Count);                           // ⌈40/16⌉ = 3 batches × 2 epochs
        Assert.Equal(handLosses, history.StepLosses);                        // bit for bit: Train is that loop
        for (int i = 0; i < 6; i++) Assert.Equal(twinLosses[i], history.StepLosses[i], 1e-12);
        for (int l = 0; l < 3; l++) AssertWithin(HandGradCheck.Compare($"W{l + 1}", net.Weights[l].ToDoubleArray(), linears[l].Weight.ToDoubleArray()), 1e-12, "weights after training");
        Assert.Equal(2, history.Epochs.Count);
        Assert.True(double.IsNaN(history.Epochs[0].TrainLoss));              // EvaluateTrainingSet: false
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Training_on_a_separable_problem_reaches_95_percent_test_accuracy(DType dtype)
    {
        var teacher = Tensor.Randn([10, 3], dtype: DType.Float64, generator: new Generator(1));
        var (x, y) = Separable(2, 800, 10, 3, teacher);
        var (xt, yt) = Separable(3, 400, 10, 3, teacher);
        var net = new Ift6135Mlp([10, 31, 17, 3], HandActivation.Relu, HandMlpInit.Glorot, dtype, new Generator(4));
        double before = net.Test(xt, LabelsTensor(yt)).Accuracy;
        var h = net.Train(x, LabelsTensor(y), new HandMlpTrainOptions(Epochs: 30, BatchSize: 16, LearningRate: 0.1), xt, LabelsTensor(yt));
        var (loss, acc) = net.Test(xt, LabelsTensor(yt));
        Assert.True(acc >= 0.95, $"test accuracy {acc:P2} (before training {before:P2}, loss {loss:F4})");
        Assert.True(h.Epochs[^1].TrainLoss < h.Epochs[0].TrainLoss / 2, $"training loss {h.Epochs[0].TrainLoss:F4} → {h.Epochs[^1].TrainLoss:F4}");
        Assert.Equal(acc, h.Epochs[^1].ValidAccuracy);
    }

    [Fact]
    public void Bad_shapes_and_labels_are_typed_errors()
    {
        var net = new Ift6135Mlp([4, 3, 2]);
        Assert.Throws<ShapeMismatchException>(() => net.Forward(Tensor.Zeros([2, 5], DType.Float64)));
        var cache = net.Forward(Tensor.Zeros([2, 4], DType.Float64));
        Assert.Throws<ShapeMismatchException>(() => net.Backward(cache, Tensor.FromArray([0, 1, 1], 3)));
        Assert.Throws<ArgumentException>(() => net.Backward(cache, Tensor.FromArray([0, 2], 2)));
        var grads = net.Backward(cache, Tensor.FromArray([0, 1], 2));
        var wrong = new Ift6135Gradients([grads.Weights[1], grads.Weights[0]], grads.Biases);
        Assert.Throws<ShapeMismatchException>(() => net.Update(wrong, 0.1));
        Assert.Throws<ArgumentException>(() => new Ift6135Mlp([4]));
    }
}
