using Nabla.Course;
using static Nabla.Tests.Course.HandMlpReference;

namespace Nabla.Tests.Course;

public class HandMlpGradCheckTests
{
    public enum Bug { None, NoActivationDerivative, SumInsteadOfMean, TransposedSquareWeightGradient, SigmoidDerivativeOfPreActivation }

    /// <summary>A backward pass written in the test from the same formulas as <see cref="Ift6135Mlp.Backward"/>, with
    /// one deliberate mistake (or none): the check must accept the right one and reject every wrong one.</summary>
    private static List<double[]> Backward(Ift6135Mlp net, Ift6135Cache cache, int[] y, Bug bug)
    {
        int n = y.Length, layers = net.Weights.Count;
        var oneHot = Tensor.Zeros([n, net.Dims[^1]], DType.Float64);
        for (int i = 0; i < n; i++) oneHot.SetAt(1, i, y[i]);
        var delta = cache.Logits.Softmax(-1) - oneHot;                          // p − onehot
        if (bug != Bug.SumInsteadOfMean) delta = delta / n;
        var grads = new List<double[]>(new double[2 * layers][]);
        for (int l = layers - 1; l >= 0; l--)
        {
            var gw = delta.T.MatMul(cache.Activations[l]);
            if (bug == Bug.TransposedSquareWeightGradient && gw.Size(0) == gw.Size(1)) gw = gw.T.Contiguous();
            grads[2 * l] = gw.ToDoubleArray();
            grads[2 * l + 1] = delta.Sum(0).ToDoubleArray();
            if (l == 0) break;
            var back = delta.MatMul(net.Weights[l]);
            var h = cache.Activations[l];
            var a = cache.PreActivations[l - 1];
            delta = bug switch
            {
                Bug.NoActivationDerivative => back,
                Bug.SigmoidDerivativeOfPreActivation => back * a * (1 - a),
                _ => back * h * (1 - h),                                            // σ′ = h(1 − h)
            };
        }
        return grads;
    }

    [Theory]
    [InlineData(Bug.None)]
    [InlineData(Bug.NoActivationDerivative)]
    [InlineData(Bug.SumInsteadOfMean)]
    [InlineData(Bug.TransposedSquareWeightGradient)]
    [InlineData(Bug.SigmoidDerivativeOfPreActivation)]
    public void The_finite_difference_check_accepts_the_right_backward_and_catches_each_wrong_one(Bug bug)
    {
        var net = new Ift6135Mlp([5, 3, 3, 3, 2], HandActivation.Sigmoid, HandMlpInit.Normal, DType.Float64, new Generator(2));
        var (x, y) = Problem(3, 4, 5, 2);
        var grads = Backward(net, net.Forward(x), y, bug);
        double worst = 0;
        var all = net.Weights.Zip(net.Biases).SelectMany(p => new[] { p.First, p.Second }).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            var fd = HandGradCheck.Numeric(() => net.Loss(net.Forward(x).Logits, LabelsTensor(y)), all[i], Enumerable.Range(0, all[i].Numel).ToArray());
            worst = Math.Max(worst, HandGradCheck.Compare($"p{i}", grads[i], fd).MaxRelError);
        }
        if (bug == Bug.None) Assert.True(worst <= 1e-7, $"the right backward was rejected: max rel error {worst:E2}");
        else Assert.True(worst > 1e-2, $"{bug} was not caught: max rel error {worst:E2}");
    }

    [Fact]
    public void Compare_reports_absolute_and_tensor_relative_errors()
    {
        var e = HandGradCheck.Compare("w", [1.0, 0.0, -2.0], [1.0, 1e-3, -4.0]);
        Assert.Equal((3, 2.0, 0.5, 4.0), (e.Compared, e.MaxAbsError, e.MaxRelError, e.MaxReference));
        Assert.Equal(0, HandGradCheck.Compare("z", [0.0, 0.0], [0.0, 0.0]).MaxRelError);
        Assert.Equal(double.PositiveInfinity, HandGradCheck.Compare("z", [1e-9], [0.0]).MaxRelError);
        Assert.Equal(double.PositiveInfinity, HandGradCheck.Compare("nan", [double.NaN], [1.0]).MaxAbsError);
    }

    [Fact]
    public void Numeric_differentiates_a_known_function_and_restores_the_parameter()
    {
        // L(θ) = Σ θ_i³ → ∂L/∂θ_i = 3θ_i²; the central difference's error is ε²·θ_i⁽³⁾/6 = ε² exactly for a cubic.
        var p = Tensor.FromArray([0.5, -1.25, 2.0], 3);
        var before = p.ToArray<double>();
        var g = HandGradCheck.Numeric(() => p.ToArray<double>().Sum(v => v * v * v), p, [0, 2], eps: 1e-4);
        Assert.Equal(3 * 0.25 + 1e-8, g[0], 1e-10);
        Assert.Equal(3 * 4.0 + 1e-8, g[1], 1e-10);
        Assert.Equal(before, p.ToArray<double>());
        Assert.Throws<ArgumentException>(() => HandGradCheck.Numeric(() => 0, Tensor.Zeros(2), [0]));
    }

    [Fact]
    public void Entries_start_with_the_first_ten_then_sample_distinct_indices()
    {
        var idx = HandGradCheck.Entries(1000, 30, new Generator(1));
        Assert.Equal(30, idx.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 10), idx.Take(10));
        Assert.All(idx, i => Assert.InRange(i, 0, 999));
        Assert.Equal([0, 1, 2], HandGradCheck.Entries(3, 30, new Generator(1)));
    }
}

/// <summary>
/// Independent references for the explicit-backprop MLPs: the same network built from library ops with autograd
/// (Linear/MatMul, Sigmoid/Tanh/Relu, the fused CrossEntropy), and random float64 problems of awkward sizes.
/// </summary>
internal static class HandMlpReference
{
    /// <summary>Gradients of mean softmax cross-entropy by autograd. <paramref name="outIn"/>: weights are [out, in]
    /// (IFT6135) rather than [in, out] (24789). Returns the loss and the gradients of W_1, b_1, W_2, b_2, ….</summary>
    public static (double Loss, List<double[]> Grads) AutogradGradients(IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> biases,
        HandActivation act, Tensor x, int[] labels, bool outIn)
    {
        var ws = weights.Select(w => w.Detach().Clone().RequiresGrad_()).ToList();
        var bs = biases.Select(b => b.Detach().Clone().RequiresGrad_()).ToList();
        var h = x.DType == ws[0].DType ? x : x.To(ws[0].DType);
        for (int l = 0; l < ws.Count; l++)
        {
            var z = (outIn ? h.MatMul(ws[l].T) : h.MatMul(ws[l])) + bs[l];
            h = l == ws.Count - 1 ? z : act switch
            {
                HandActivation.Sigmoid => z.Sigmoid(),
                HandActivation.Tanh => z.Tanh(),
                _ => z.Relu(),
            };
        }
        var loss = h.CrossEntropy(Tensor.FromArray(labels, labels.Length));
        loss.Backward();
        var grads = new List<double[]>();
        for (int l = 0; l < ws.Count; l++)
        {
            grads.Add(ws[l].Grad!.ToDoubleArray());
            grads.Add(bs[l].Grad!.ToDoubleArray());
        }
        return (loss.Item(), grads);
    }

    /// <summary>x ~ N(0, 1) [n, d] in float64 and labels uniform in 0..k−1.</summary>
    public static (Tensor X, int[] Labels) Problem(ulong seed, int n, int d, int k)
    {
        var g = new Generator(seed);
        var x = Tensor.Randn([n, d], dtype: DType.Float64, generator: g);
        var y = Enumerable.Range(0, n).Select(_ => g.NextInt(k)).ToArray();
        return (x, y);
    }

    public static Tensor LabelsTensor(int[] y) => Tensor.FromArray(y, y.Length);

    /// <summary>
    /// A linearly separable K-class problem: y = argmax_k (x·T)_k for a random teacher T [d, K], x ~ N(0, 1).
    /// </summary>
    public static (Tensor X, int[] Labels) Separable(ulong seed, int n, int d, int k, Tensor teacher)
    {
        var x = Tensor.Randn([n, d], dtype: DType.Float64, generator: new Generator(seed));
        var s = x.MatMul(teacher).ToDoubleArray();
        var y = new int[n];
        for (int i = 0; i < n; i++)
            for (int j = 1; j < k; j++) if (s[i * k + j] > s[i * k + y[i]]) y[i] = j;
        return (x, y);
    }

    /// <summary>Asserts max |g − r| ≤ tol · max(max |r|, 1e-3): relative to the tensor's largest reference entry, but
    /// never to less than 1e-3 (a gradient that has all but vanished through dead or saturated units carries no digits
    /// to compare; its absolute error is still held to tol·1e-3).</summary>
    public static void AssertWithin(HandGradError e, double relTol, string what) =>
        Assert.True(e.MaxAbsError <= relTol * Math.Max(e.MaxReference, 1e-3),
            $"{what} {e.Name}: max abs error {e.MaxAbsError:E2} > {relTol:E0} · max(max |ref| = {e.MaxReference:E2}, 1e-3) (rel {e.MaxRelError:E2})");
}
