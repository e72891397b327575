using Nabla.Course;
using static Nabla.Tests.Course.HandMlpReference;

namespace Nabla.Tests.Course;

public class HandMlpTemplate24789Tests
{
    public static TheoryData<HandActivation, int[], int> Cases()
    {
        var data = new TheoryData<HandActivation, int[], int>();
        foreach (var act in Enum.GetValues<HandActivation>())
        {
            data.Add(act, [7, 5, 3], 1);
            data.Add(act, [6, 9, 4, 5], 4);
            data.Add(act, [5, 3, 3, 3, 2], 3);
        }
        return data;
    }

    /// <summary>A float64 template MLP with N(0, 0.8²) weights (the standard normal would saturate tanh and sigmoid
    /// units and leave gradients of 1e-10, which test nothing) and N(0, 0.5²) biases.</summary>
    private static Template24789Mlp Net(int[] sizes, HandActivation act, ulong seed, double lr = 0.1)
    {
        var g = new Generator(seed);
        int hidden = sizes.Length - 2;
        return new Template24789Mlp(sizes[0], sizes[^1], sizes[1..^1], Enumerable.Repeat(act, hidden).ToArray(),
            (d0, d1) => Tensor.Randn([d0, d1], 0, 0.8, DType.Float64, g), d => Tensor.Randn([d], 0, 0.5, DType.Float64, g), lr);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_autograd_and_finite_differences(HandActivation act, int[] sizes, int batch)
    {
        var net = Net(sizes, act, 17);
        var (x, y) = Problem(19, batch, sizes[0], sizes[^1]);
        net.ZeroGrads();
        net.Forward(x);
        double loss = net.GetLoss(LabelsTensor(y));
        net.Backward(LabelsTensor(y));
        var (autoLoss, auto) = AutogradGradients(net.W, net.B, act, x, y, outIn: false);
        Assert.Equal(autoLoss, loss, 1e-13);
        double Loss() { net.Forward(x); return net.GetLoss(LabelsTensor(y)); }
        for (int l = 0; l < net.W.Count; l++)
        {
            foreach (var (name, p, g, a) in new[] { ($"W{l + 1}", net.W[l], net.DW[l], auto[2 * l]), ($"b{l + 1}", net.B[l], net.DB[l], auto[2 * l + 1]) })
            {
                TestUtil.AssertShape(g, p.Shape.ToArray());
                AssertWithin(HandGradCheck.Compare(name, g.ToDoubleArray(), a), 1e-12, "explicit vs autograd");
                var fd = HandGradCheck.Numeric(Loss, p, Enumerable.Range(0, p.Numel).ToArray());
                AssertWithin(HandGradCheck.Compare(name, g.ToDoubleArray(), fd), 1e-7, "explicit vs finite differences");
            }
        }
    }

    [Fact]
    public void One_step_on_a_tiny_net_matches_the_hand_computation()
    {
        // The IFT6135 tiny net of HandMlpIft6135Tests with weights transposed to [in, out] (f = h·W + b):
        // W1 = [[1, 0.5], [−1, 2]], b1 = [0, −1]; W2 = [[1, −1], [0, 1]], b2 = [0.5, 0]; x = [1, 2], y = 0 (one-hot [1, 0]).
        // f1 = [−1, 3.5], h1 = [0, 3.5], f2 = [0.5, 3.5], o = [1 − s, s], s = σ(3); E = log(1 + e³).
        // δ2 = o − y = [−s, s]; ∂W2 = h1ᵀ·δ2 = [[0, 0], [−3.5s, 3.5s]]; δ1 = (δ2·W2ᵀ) ⊙ 1[f1 > 0] = [0, s];
        // ∂W1 = xᵀ·δ1 = [[0, s], [0, 2s]]; ∂b1 = [0, s]; ∂b2 = [−s, s]. With η = 0.5 each θ moves by −η·∂θ.
        double s = 1 / (1 + Math.Exp(-3));
        var ws = new Queue<double[,]>([new double[,] { { 1, 0.5 }, { -1, 2 } }, new double[,] { { 1, -1 }, { 0, 1 } }]);
        var bs = new Queue<double[]>([[0, -1], [0.5, 0]]);
        var net = new Template24789Mlp(2, 2, [2], [HandActivation.Relu], (_, _) => Tensor.FromArray(ws.Dequeue()),
            d => Tensor.FromArray(bs.Dequeue(), d), 0.5);
        var x = Tensor.FromArray([1.0, 2], 1, 2);
        var oneHot = Tensor.FromArray([1.0, 0], 1, 2);
        net.ZeroGrads();
        net.Forward(x);
        Assert.Equal(Math.Log(1 + Math.Exp(3)), net.GetLoss(oneHot), 1e-14);
        Assert.Equal(1, net.GetError(Tensor.FromArray([0], 1)));   // argmax is class 1
        net.Backward(oneHot);
        TestUtil.AssertClose([0, 0, -3.5 * s, 3.5 * s], net.DW[1], 1e-15);
        TestUtil.AssertClose([-s, s], net.DB[1], 1e-15);
        TestUtil.AssertClose([0, s, 0, 2 * s], net.DW[0], 1e-15);
        TestUtil.AssertClose([0, s], net.DB[0], 1e-15);
        net.Step();
        TestUtil.AssertClose([1, 0.5 - s / 2, -1, 2 - s], net.W[0], 1e-15);
        TestUtil.AssertClose([0, -1 - s / 2], net.B[0], 1e-15);
        TestUtil.AssertClose([1, -1, 1.75 * s, 1 - 1.75 * s], net.W[1], 1e-15);
        TestUtil.AssertClose([0.5 + s / 2, -s / 2], net.B[1], 1e-15);
    }

    [Fact]
    public void Backward_accumulates_until_zero_grads()
    {
        var net = Net([6, 5, 4], HandActivation.Tanh, 3);
        var (x, y) = Problem(4, 5, 6, 4);
        net.ZeroGrads();
        net.Forward(x);
        net.Backward(LabelsTensor(y));
        var once = net.DW[0].ToDoubleArray();
        net.Backward(LabelsTensor(y));
        TestUtil.AssertClose(once.Select(v => 2 * v).ToArray(), net.DW[0], 1e-15);
        net.ZeroGrads();
        Assert.All(net.DW.Concat(net.DB), g => Assert.All(g.ToDoubleArray(), v => Assert.Equal(0, v)));
        Assert.Throws<InvalidOperationException>(() => new Template24789Mlp(2, 2, [], [], (a, b) => Tensor.Zeros([a, b], DType.Float64),
            d => Template24789Mlp.ZerosBiasInit(d), 0.1).Backward(Tensor.FromArray([0], 1)));
    }

    [Fact]
    public void Template_initialisers_are_the_standard_normal_and_zeros_in_the_requested_dtype()
    {
        var w = Template24789Mlp.RandomNormalWeightInit(400, 500, new Generator(3), DType.Float32);   // 200,000 draws
        Assert.Equal(DType.Float32, w.DType);
        TestUtil.AssertShape(w, 400, 500);
        var v = w.ToDoubleArray();
        double mean = v.Average(), std = Math.Sqrt(v.Select(a => (a - mean) * (a - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);
        Assert.All(Template24789Mlp.ZerosBiasInit(7).ToDoubleArray(), b => Assert.Equal(0, b));

        // The weights' dtype is the network's: float64 biases are converted to float32 weights' dtype.
        var g = new Generator(1);
        var net = new Template24789Mlp(3, 2, [4], [HandActivation.Sigmoid], (a, b) => Template24789Mlp.RandomNormalWeightInit(a, b, g, DType.Float32),
            d => Template24789Mlp.ZerosBiasInit(d), 0.1);
        Assert.Equal(DType.Float32, net.DType);
        Assert.All(net.B.Concat(net.DW), t => Assert.Equal(DType.Float32, t.DType));
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, net.ParameterCount);
    }

    [Fact]
    public void One_hot_and_index_labels_give_the_same_loss_error_and_gradients()
    {
        var net = Net([5, 4, 3], HandActivation.Sigmoid, 8);
        var (x, y) = Problem(6, 6, 5, 3);
        var oneHot = Tensor.Zeros([6, 3], DType.Float64);
        for (int i = 0; i < 6; i++) oneHot.SetAt(1, i, y[i]);
        net.ZeroGrads();
        net.Forward(x);
        double l1 = net.GetLoss(LabelsTensor(y));
        int e1 = net.GetError(LabelsTensor(y));
        net.Backward(LabelsTensor(y));
        var g1 = net.DW[0].ToDoubleArray();
        net.ZeroGrads();
        Assert.Equal(l1, net.GetLoss(oneHot));
        Assert.Equal(e1, net.GetError(oneHot));
        net.Backward(oneHot);
        Assert.Equal(g1, net.DW[0].ToDoubleArray());
        var pred = HandArgMax(net.Output!);
        Assert.Equal(y.Zip(pred).Count(p => p.First != p.Second), e1);
    }

    private static int[] HandArgMax(Tensor z)
    {
        var v = z.ToDoubleArray();
        int k = z.Size(1);
        return Enumerable.Range(0, z.Size(0)).Select(i => Enumerable.Range(0, k).MaxBy(j => v[i * k + j])).ToArray();
    }

    [Theory]
    [InlineData(HandActivation.Sigmoid, 1.0)]
    [InlineData(HandActivation.Tanh, 0.1)]
    [InlineData(HandActivation.Relu, 0.1)]
    public void Get_training_stats_on_a_separable_problem_reaches_95_percent_test_accuracy(HandActivation act, double lr)
    {
        var teacher = Tensor.Randn([10, 3], dtype: DType.Float64, generator: new Generator(1));
        var (x, y) = Separable(2, 800, 10, 3, teacher);
        var (xt, yt) = Separable(3, 400, 10, 3, teacher);
        var g = new Generator(5);
        // Glorot-scaled normal weights N(0, 2/(d0 + d1)) in float32: the standard normal is what the lab compares.
        var net = new Template24789Mlp(10, 3, [31, 17], [act, act], (a, b) => Tensor.Randn([a, b], 0, Math.Sqrt(2.0 / (a + b)), DType.Float32, g),
            d => Template24789Mlp.ZerosBiasInit(d, DType.Float32), lr);
        var h = net.GetTrainingStats(x, LabelsTensor(y), new HandMlpTrainOptions(Epochs: 30, BatchSize: 16), xt, LabelsTensor(yt));
        var (_, acc) = net.Evaluate(xt, LabelsTensor(yt));
        Assert.True(acc >= 0.95, $"{act}: test accuracy {acc:P2}");
        Assert.Equal(30 * 50, h.StepLosses.Count);
        Assert.True(h.Epochs[^1].TrainLoss < h.Epochs[0].TrainLoss, $"training loss {h.Epochs[0].TrainLoss:F4} → {h.Epochs[^1].TrainLoss:F4}");
        net.Forward(xt);
        Assert.Equal((int)Math.Round((1 - acc) * 400), net.GetError(LabelsTensor(yt)));
    }
}
