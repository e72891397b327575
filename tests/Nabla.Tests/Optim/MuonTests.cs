using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// Muon against values worked independently: the Newton–Schulz iteration keeps a matrix's singular vectors and maps
/// each singular value σ/‖G‖_F through the scalar quintic aσ + bσ³ + cσ⁵ (iterated here on numbers, not matrices), so
/// for G = U·diag(s)·Vᵀ with chosen rotations U, V the expected update is U·diag(f(s/‖s‖))·Vᵀ.
/// </summary>
public class MuonTests
{
    private const double A = 3.4445, B = -4.7750, C = 2.0315;

    /// <summary>The scalar quintic iterated <paramref name="steps"/> times from σ.</summary>
    private static double F(double sigma, int steps)
    {
        for (int i = 0; i < steps; i++) sigma = A * sigma + B * sigma * sigma * sigma + C * Math.Pow(sigma, 5);
        return sigma;
    }

    private static double[,] Rot2(double t) => new[,] { { Math.Cos(t), -Math.Sin(t) }, { Math.Sin(t), Math.Cos(t) } };

    /// <summary>A 3×3 rotation: about z by t, then about x by u.</summary>
    private static double[,] Rot3(double t, double u)
    {
        var z = new[,] { { Math.Cos(t), -Math.Sin(t), 0 }, { Math.Sin(t), Math.Cos(t), 0 }, { 0, 0, 1 } };
        var x = new[,] { { 1, 0, 0 }, { 0, Math.Cos(u), -Math.Sin(u) }, { 0, Math.Sin(u), Math.Cos(u) } };
        return Mul(x, z);
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        var r = new double[a.GetLength(0), b.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < b.GetLength(1); j++)
                for (int k = 0; k < a.GetLength(1); k++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }

    /// <summary>U·diag(d)·V[:, :2]ᵀ for a 2×2 U and a 3×3 V: a 2×3 matrix with singular values d.</summary>
    private static double[,] Compose(double[,] u, double[] d, double[,] v)
    {
        var r = new double[2, 3];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++) r[i, j] += u[i, k] * d[k] * v[j, k];
        return r;
    }

    private static void Close(double[,] expected, Tensor actual, double tol)
    {
        var a = actual.ToDoubleArray();
        int cols = expected.GetLength(1);
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < cols; j++)
                Assert.True(Math.Abs(expected[i, j] - a[i * cols + j]) <= tol, $"[{i},{j}]: expected {expected[i, j]}, got {a[i * cols + j]}");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    [InlineData(1)]
    public void Orthogonalize_maps_singular_values_through_the_quintic_and_keeps_the_vectors(int steps)
    {
        var u = Rot2(0.7);
        var v = Rot3(0.4, -1.1);
        var g = Compose(u, [3.0, 4.0], v);   // ‖G‖_F = 5: σ = 0.6, 0.8 after scaling
        var expected = Compose(u, [F(0.6, steps), F(0.8, steps)], v);
        var x = Muon.Orthogonalize(Tensor.FromArray(g), new MuonOptions(NsSteps: steps, Eps: 0));
        Close(expected, x, 1e-12);
    }

    [Fact]
    public void Orthogonalize_of_a_tall_matrix_is_the_transpose_of_the_wide_one()
    {
        var g = Compose(Rot2(-0.3), [1.0, 0.25], Rot3(1.3, 0.2));
        var wide = Muon.Orthogonalize(Tensor.FromArray(g), new MuonOptions(Eps: 0)).ToDoubleArray();
        var tall = Muon.Orthogonalize(Tensor.FromArray(g).T.Contiguous(), new MuonOptions(Eps: 0));
        Assert.Equal(new[] { 3L, 2L }, tall.Shape.ToArray().Select(s => (long)s));
        var t = tall.ToDoubleArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(wide[i * 3 + j], t[j * 2 + i], 12);
    }

    [Fact]
    public void Two_steps_match_the_formula_worked_by_hand()
    {
        // θ = I₂ (float64), lr 0.1, λ 0.1, μ 0.5 Nesterov, 5 iterations.
        // step 1: b = g₁ = diag(3, 4); u = g₁ + μb = diag(4.5, 6), σ = (0.6, 0.8); θ = 0.99·I − 0.1·diag(f(0.6), f(0.8))
        // step 2: g₂ = diag(−1, 2): b = 0.5·diag(3, 4) + g₂ = diag(0.5, 4); u = g₂ + 0.5b = diag(−0.75, 4);
        //         ‖u‖ = √16.5625 = 4.0697…, σ = (0.75, 4)/‖u‖ with the sign of −0.75 kept: diag(−f(s₁), f(s₂))
        var p = Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 } }).RequiresGrad_();
        var opt = new Muon([p], new MuonOptions(LearningRate: 0.1, WeightDecay: 0.1, Momentum: 0.5, Nesterov: true, Eps: 0));
        p.Grad = Tensor.FromArray(new double[,] { { 3, 0 }, { 0, 4 } });
        opt.Step();
        double a1 = 0.99 - 0.1 * F(0.6, 5), d1 = 0.99 - 0.1 * F(0.8, 5);
        Close(new[,] { { a1, 0 }, { 0, d1 } }, p, 1e-12);
        p.Grad = Tensor.FromArray(new double[,] { { -1, 0 }, { 0, 2 } });
        opt.Step();
        double norm = Math.Sqrt(0.75 * 0.75 + 16);
        double a2 = a1 * 0.99 + 0.1 * F(0.75 / norm, 5), d2 = d1 * 0.99 - 0.1 * F(4 / norm, 5);
        Close(new[,] { { a2, 0 }, { 0, d2 } }, p, 1e-12);
    }

    [Fact]
    public void A_conv_weight_is_updated_as_its_out_by_in_k_k_matrix()
    {
        var g = new Generator(5);
        var w4 = Tensor.Randn([4, 2, 3, 3], dtype: DType.Float64, generator: g).RequiresGrad_();
        var w2 = w4.Detach().Reshape(4, 18).Clone().RequiresGrad_();
        var grad = Tensor.Randn([4, 2, 3, 3], dtype: DType.Float64, generator: g);
        var o4 = new Muon([w4], new MuonOptions(LearningRate: 0.05));
        var o2 = new Muon([w2], new MuonOptions(LearningRate: 0.05));
        for (int s = 0; s < 3; s++)
        {
            w4.Grad = grad * (s + 1.0);
            w2.Grad = (grad * (s + 1.0)).Reshape(4, 18);
            o4.Step();
            o2.Step();
        }
        Assert.Equal(w2.ToDoubleArray(), w4.ToDoubleArray());
    }

    [Fact]
    public void Weight_normalisation_rescales_to_root_rows_before_the_step()
    {
        var p = Tensor.FromArray(new double[,] { { 3, 0, 0 }, { 0, 0, 4 }, { 0, 0, 0 }, { 0, 0, 0 } }).RequiresGrad_();   // ‖θ‖ = 5, 4 rows
        var opt = new Muon([p], new MuonOptions(LearningRate: 0, WeightDecay: 0, NormalizeWeights: true));
        p.Grad = Tensor.Ones([4, 3], DType.Float64);
        opt.Step();
        Close(new double[,] { { 1.2, 0, 0 }, { 0, 0, 1.6 }, { 0, 0, 0 }, { 0, 0, 0 } }, p, 1e-12);   // × 2/5
    }

    [Fact]
    public void Float32_steps_agree_with_float64()
    {
        var g = new Generator(9);
        var p64 = Tensor.Randn([8, 12], dtype: DType.Float64, generator: g).RequiresGrad_();
        var p32 = p64.Detach().To(DType.Float32).RequiresGrad_();
        var grad = Tensor.Randn([8, 12], dtype: DType.Float64, generator: g);
        var o64 = new Muon([p64], new MuonOptions(LearningRate: 0.02));
        var o32 = new Muon([p32], new MuonOptions(LearningRate: 0.02));
        p64.Grad = grad; p32.Grad = grad.To(DType.Float32);
        o64.Step(); o32.Step();
        var a = p64.ToDoubleArray();
        var b = p32.ToDoubleArray();
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"{i}: {a[i]} vs {b[i]}");
    }

    [Fact]
    public void Lr_adjustment_follows_the_shape()
    {
        // A tall 8×2 matrix: "original" scales η by √(8/2) = 2, "match_rms_adamw" by 0.2·√8; measured as the step size
        // against the unadjusted optimiser (same direction).
        double Step(MuonLrAdjust adjust)
        {
            var p = Tensor.Zeros([8, 2], DType.Float64).RequiresGrad_();
            var opt = new Muon([p], new MuonOptions(LearningRate: 0.1, WeightDecay: 0, Momentum: 0, Nesterov: false, AdjustLr: adjust));
            p.Grad = Tensor.Arange(16, DType.Float64).Reshape(8, 2) - 7.0;
            opt.Step();
            return Math.Sqrt(p.Square().Sum().Item());
        }
        double none = Step(MuonLrAdjust.None);
        Assert.Equal(2.0, Step(MuonLrAdjust.Original) / none, 12);
        Assert.Equal(0.2 * Math.Sqrt(8), Step(MuonLrAdjust.MatchRmsAdamW) / none, 12);
    }

    [Fact]
    public void Vectors_and_bad_options_are_refused_with_a_message()
    {
        var bias = Tensor.Zeros([5]).RequiresGrad_();
        var e = Assert.Throws<ArgumentException>(() => new Muon([bias]));
        Assert.Contains("[5]", e.Message);
        var w = Tensor.Zeros([2, 2]).RequiresGrad_();
        Assert.Throws<ArgumentException>(() => new Muon([w], new MuonOptions(Momentum: 1)));
        Assert.Throws<ArgumentException>(() => new Muon([w], new MuonOptions(LearningRate: double.NaN)));
        Assert.Throws<ArgumentException>(() => new Muon([w], new MuonOptions(NsSteps: 0)));
        Assert.Throws<ArgumentException>(() => new Muon([w], new MuonOptions(Momentum: 0, Nesterov: true)));
    }

    [Fact]
    public void State_dict_resumes_the_momentum()
    {
        var g = new Generator(3);
        var start = Tensor.Randn([3, 4], dtype: DType.Float64, generator: g);
        var grads = Enumerable.Range(0, 3).Select(_ => Tensor.Randn([3, 4], dtype: DType.Float64, generator: g)).ToArray();
        var a = start.Clone().RequiresGrad_();
        var oa = new Muon([a], new MuonOptions(LearningRate: 0.1));
        foreach (var gr in grads) { a.Grad = gr; oa.Step(); }

        var b = start.Clone().RequiresGrad_();
        var ob = new Muon([b], new MuonOptions(LearningRate: 0.1));
        b.Grad = grads[0]; ob.Step();
        var saved = ob.StateDict();
        var c = b.Detach().Clone().RequiresGrad_();
        var oc = new Muon([c], new MuonOptions(LearningRate: 0.1));
        oc.LoadStateDict(saved);
        foreach (var gr in grads[1..]) { c.Grad = gr; oc.Step(); }
        Assert.Equal(a.ToDoubleArray(), c.ToDoubleArray());
    }
}
