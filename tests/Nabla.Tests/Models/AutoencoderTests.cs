using Nabla.Models;

namespace Nabla.Tests.Models;

public class AutoencoderTests
{
    /// <summary>W, V of a float64 bias-free autoencoder set from seeded normals; returns (model, W, V) as arrays.</summary>
    private static (Autoencoder Model, double[] W, double[] V) Small(AutoencoderKind kind, string act, double weight, int d, int k, ulong seed)
    {
        var m = new Autoencoder(new AutoencoderOptions(d, k, kind, Nabla.NN.Activation.Parse(act), weight, Bias: false), DType.Float64);
        var gen = new Generator(seed);
        m.Encoder.Weight.CopyFrom_(Tensor.Randn([k, d], 0, 1, DType.Float64, gen));
        m.Decoder.Weight.CopyFrom_(Tensor.Randn([d, k], 0, 1, DType.Float64, gen));
        return (m, m.Encoder.Weight.ToDoubleArray(), m.Decoder.Weight.ToDoubleArray());
    }

    [Theory]
    [InlineData("sigmoid", 0.3)]
    [InlineData("relu", 0.7)]
    [InlineData("tanh", 0.0)]
    public void SparseGradientsMatchTheHandDerivedFormulas(string act, double lambda)
    {
        // L = Σ(x̃ − x)² + λΣ|h|, h = g(Wx), x̃ = Vh:
        // ∂L/∂V = 2(x̃ − x)hᵀ, ∂L/∂W = [(2Vᵀ(x̃ − x) + λ·sign(h)) ⊙ g'(Wx)] xᵀ.
        const int d = 5, k = 3;
        var (m, w, v) = Small(AutoencoderKind.Sparse, act, lambda, d, k, 7);
        double[] x = [0.9, -0.4, 0.25, 1.3, -0.7];
        m.Loss(Tensor.FromArray(x, 1, d)).Total.Backward();

        // Independent scalar computation.
        var a = new double[k]; var h = new double[k]; var gp = new double[k];
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i < d; i++) a[j] += w[j * d + i] * x[i];
            (h[j], gp[j]) = act switch
            {
                "sigmoid" => (1 / (1 + Math.Exp(-a[j])), 1 / (1 + Math.Exp(-a[j])) * (1 - 1 / (1 + Math.Exp(-a[j])))),
                "relu" => (Math.Max(a[j], 0), a[j] > 0 ? 1.0 : 0.0),
                _ => (Math.Tanh(a[j]), 1 - Math.Tanh(a[j]) * Math.Tanh(a[j])),
            };
        }
        var r = new double[d];                       // x̃ − x
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < k; j++) r[i] += v[i * k + j] * h[j];
            r[i] -= x[i];
        }
        var dV = new double[d * k];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < k; j++) dV[i * k + j] = 2 * r[i] * h[j];
        var dW = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            double back = 0;
            for (int i = 0; i < d; i++) back += 2 * v[i * k + j] * r[i];
            double delta = (back + lambda * Math.Sign(h[j])) * gp[j];
            for (int i = 0; i < d; i++) dW[j * d + i] = delta * x[i];
        }
        TestUtil.AssertClose(dV, m.Decoder.Weight.Grad!, 1e-12);
        TestUtil.AssertClose(dW, m.Encoder.Weight.Grad!, 1e-12);
    }

    [Fact]
    public void ContractivePenaltyEqualsTheJacobiansFrobeniusNormFromAutograd()
    {
        const int d = 4, k = 3;
        var (m, _, _) = Small(AutoencoderKind.Contractive, "sigmoid", 1, d, k, 3);
        var x = Tensor.FromArray(new[] { 0.2, -1.1, 0.6, 0.9 }, 1, d);
        // Build J row by row: ∂h_j/∂x via autograd of h_j.
        double frob = 0;
        for (int j = 0; j < k; j++)
        {
            var xi = x.Clone().RequiresGrad_();
            m.Encode(xi).Narrow(1, j, 1).Sum().Backward();
            frob += xi.Grad!.ToDoubleArray().Sum(g => g * g);
        }
        var h = m.Encode(x);
        Assert.Equal(frob, Autoencoder.ContractivePenalty(h, m.Encoder.Weight).Item(), 1e-12);
        // The loss adds λ·penalty to the reconstruction error.
        var loss = m.Loss(x);
        Assert.Equal(loss.Reconstruction.Item() + frob, loss.Total.Item(), 1e-12);
    }

    [Fact]
    public void ContractiveLossGradientsPassGradCheck()
    {
        var (m, _, _) = Small(AutoencoderKind.Contractive, "sigmoid", 0.5, 4, 3, 5);
        var x = Tensor.Randn([2, 4], 0, 1, DType.Float64, new Generator(9));
        TestUtil.AssertGrad(p =>
        {
            var h = (x.MatMul(p[0].T)).Sigmoid();
            return (h.MatMul(p[1].T) - x).Square().Sum() / 2 + Autoencoder.ContractivePenalty(h, p[0]).Sum() * (0.5 / 2);
        }, m.Encoder.Weight.Detach().Clone().RequiresGrad_(), m.Decoder.Weight.Detach().Clone().RequiresGrad_());
    }

    [Fact]
    public void DenoisingCorruptsOnlyInTrainingAndComparesWithTheCleanInput()
    {
        var x = Tensor.Ones([200, 50]);
        var c = Autoencoder.Corrupt(x, 0.3, new Generator(1)).ToArray<float>();
        Assert.All(c, v => Assert.True(v is 0 or 1));
        double dropped = c.Count(v => v == 0) / (double)c.Length;
        Assert.InRange(dropped, 0.27, 0.33);                     // 10,000 Bernoulli(0.3): σ ≈ 0.0046

        var m = new Autoencoder(new AutoencoderOptions(50, 8, AutoencoderKind.Denoising, Corruption: 0.5), generator: new Generator(2));
        var batch = Tensor.Rand([16, 50], 0, 1, DType.Float32, new Generator(3));
        m.Eval();
        double clean = ((m.Forward(batch) - batch).Square().Sum() / 16).Item();
        Assert.Equal(clean, m.Loss(batch).Total.Item(), 1e-4);
        m.Train();
        Assert.NotEqual(clean, m.Loss(batch, new Generator(4)).Total.Item(), 1e-3);
    }

    [Fact]
    public void BasicLossIsTheBatchMeanOfTheSquaredError()
    {
        var m = new Autoencoder(new AutoencoderOptions(3, 2, Bias: false, Activation: Nabla.NN.ActivationFunction.Identity), DType.Float64);
        m.Encoder.Weight.CopyFrom_(Tensor.FromArray(new double[] { 1, 0, 0, 0, 1, 0 }, 2, 3));
        m.Decoder.Weight.CopyFrom_(Tensor.FromArray(new double[] { 1, 0, 0, 1, 0, 0 }, 3, 2));
        // x̃ = (x1, x2, 0): error per example = x3²; batch (3, 5) → mean (9 + 25)/2 = 17.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 5 }, 2, 3);
        var l = m.Loss(x);
        Assert.Equal(17, l.Total.Item(), 1e-12);
        Assert.Equal(0, l.Penalty.Item());
        Assert.True(new AutoencoderOptions(784, 32).Undercomplete);
        Assert.False(new AutoencoderOptions(784, 1000).Undercomplete);
    }

    [Fact]
    public void InvalidOptionsAreRejectedWithTheirValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new Autoencoder(new AutoencoderOptions(784, 0)));
        Assert.Contains("code 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Autoencoder(new AutoencoderOptions(Kind: AutoencoderKind.Contractive, Activation: Nabla.NN.ActivationFunction.ReLU)));
        Assert.Contains("sigmoid", e.Message);
        Assert.Throws<ArgumentException>(() => new AutoencoderOptions(Corruption: 1).Validate());
    }
}
