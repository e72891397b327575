
namespace Nabla.Labs;

/// <summary>Parameters Θ = (ω⁽¹⁾, ω⁽²⁾) of y(x)_k = Σ_j ω⁽²⁾_kj·act(Σ_i ω⁽¹⁾_ji·x_i + ω⁽¹⁾_j0) + ω⁽²⁾_k0:
/// W1 [M, D], B1 [M], W2 [K, M], B2 [K] (row-major).</summary>
public sealed record TwoLayerParameters(int D, int M, int K, double[] W1, double[] B1, double[] W2, double[] B2);

/// <summary>IFT6135 Q4 on random inputs: max |y(x, Θ, σ) − y(x, Θ′, tanh)| with Θ′ from <see cref="EquivalentNetworks.ToTanh"/>,
/// the same with Θ unchanged (a control), and max |y| for scale.</summary>
public sealed record EquivalenceCheck(int D, int M, int K, int Inputs, double MaxDifference, double MaxDifferenceUntransformed, double MaxOutput,
    TwoLayerParameters Theta, TwoLayerParameters ThetaPrime);

public static class EquivalentNetworks
{
    /// <summary>σ(a) = (1 + tanh(a/2))/2, so Θ′: ω̃⁽¹⁾ = ω⁽¹⁾/2 (biases too), ω̃⁽²⁾_kj = ω⁽²⁾_kj/2 and
    /// ω̃⁽²⁾_k0 = ω⁽²⁾_k0 + ½Σ_j ω⁽²⁾_kj.</summary>
    public static TwoLayerParameters ToTanh(TwoLayerParameters p)
    {
        var b2 = new double[p.K];
        for (int k = 0; k < p.K; k++)
        {
            double rowSum = 0;
            for (int j = 0; j < p.M; j++) rowSum += p.W2[k * p.M + j];
            b2[k] = p.B2[k] + rowSum / 2;
        }
        return p with { W1 = Half(p.W1), B1 = Half(p.B1), W2 = Half(p.W2), B2 = b2 };
    }

    private static double[] Half(double[] a) => a.Select(v => v / 2).ToArray();

    /// <summary>The network with the library: X [N, D] → Linear → act → Linear → [N, K].</summary>
    public static Tensor Forward(Tensor x, TwoLayerParameters p, Func<Tensor, Tensor> act) =>
        act(x.Linear(Tensor.FromArray(p.W1, p.M, p.D), Tensor.FromArray(p.B1, p.M)))
            .Linear(Tensor.FromArray(p.W2, p.K, p.M), Tensor.FromArray(p.B2, p.K));

    public static EquivalenceCheck Check(int d, int m, int k, int inputs, Generator gen)
    {
        double[] R(int n) => Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
        var theta = new TwoLayerParameters(d, m, k, R(m * d), R(m), R(k * m), R(k));
        var prime = ToTanh(theta);
        var x = Tensor.Randn([inputs, d], 0, 2, DType.Float64, gen);
        var ySig = Forward(x, theta, t => t.Sigmoid());
        var yTanh = Forward(x, prime, t => t.Tanh());
        var yControl = Forward(x, theta, t => t.Tanh());
        return new EquivalenceCheck(d, m, k, inputs, (ySig - yTanh).Abs().Max().Item(), (ySig - yControl).Abs().Max().Item(),
            ySig.Abs().Max().Item(), theta, prime);
    }
}
