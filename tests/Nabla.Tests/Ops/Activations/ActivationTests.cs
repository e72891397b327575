namespace Nabla.Tests.Ops.Activations;

public class ActivationTests
{
    private static readonly double[] Points = [-3.0, -1.5, -0.5, 0.0, 0.25, 1.0, 2.5, 30.0];

    // Values and gradients (of the sum) at Points, from PyTorch 1.13 in float64 (torch.nn.functional.*).
    public static TheoryData<string, double[]> ForwardReference => new()
    {
        { "relu", [0.0, 0.0, 0.0, 0.0, 0.25, 1.0, 2.5, 30.0] },
        { "leaky0.2", [-0.6000000000000001, -0.30000000000000004, -0.1, 0.0, 0.25, 1.0, 2.5, 30.0] },
        { "elu", [-0.950212931632136, -0.7768698398515702, -0.3934693402873666, 0.0, 0.25, 1.0, 2.5, 30.0] },
        { "elu0.5", [-0.475106465816068, -0.3884349199257851, -0.1967346701436833, 0.0, 0.25, 1.0, 2.5, 30.0] },
        { "softplus", [0.04858735157374206, 0.2014132779827524, 0.4740769841801067, 0.6931471805599453, 0.8259394198788436, 1.3132616875182228, 2.5788897342925496, 30.0] },
        { "softplus_b2_t5", [0.0012378425688652247, 0.02429367578687103, 0.15663084375911143, 0.34657359027997264, 0.48703849209005334, 1.0634640055214863, 2.503357674244559, 30.0] },
        { "gelu", [-0.00404969409489031, -0.10021080190328704, -0.15426876936299344, 0.0, 0.14967658142073093, 0.841344746068543, 2.4844758366855597, 30.0] },
        { "gelu_tanh", [-0.0036373920817729943, -0.10042842301976707, -0.15428599017485606, 0.0, 0.149675350701685, 0.8411919906082768, 2.484915733910001, 30.0] },
        { "sigmoid", [0.04742587317756678, 0.18242552380635635, 0.3775406687981454, 0.5, 0.5621765008857981, 0.7310585786300049, 0.9241418199787566, 0.9999999999999065] },
        { "tanh", [-0.9950547536867305, -0.9051482536448664, -0.46211715726000974, 0.0, 0.24491866240370913, 0.7615941559557649, 0.9866142981514303, 1.0] },
    };

    public static TheoryData<string, double[]> GradReference => new()
    {
        { "relu", [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0] },
        { "gelu", [-0.01194564720418392, -0.1274691922299796, 0.13250487534383712, 0.5, 0.695373354883636, 1.0833154705876864, 1.037611085908145, 1.0] },
        { "gelu_tanh", [-0.011584166630969648, -0.12771079315143308, 0.13263009646535764, 0.5, 0.6953540951510604, 1.0829640838457826, 1.037951576212666, 1.0] },
        { "softplus", [0.04742587317756679, 0.18242552380635632, 0.37754066879814546, 0.5, 0.5621765008857981, 0.7310585786300049, 0.9241418199787564, 1.0] },
        { "elu", [0.049787068367863944, 0.22313016014842982, 0.6065306597126334, 1.0, 1.0, 1.0, 1.0, 1.0] },
    };

    private static Tensor Apply(string name, Tensor x) => name switch
    {
        "relu" => x.Relu(),
        "leaky0.2" => x.LeakyRelu(0.2),
        "leaky" => x.LeakyRelu(),
        "elu" => x.Elu(),
        "elu0.5" => x.Elu(0.5),
        "softplus" => x.Softplus(),
        "softplus_b2_t5" => x.Softplus(beta: 2, threshold: 5),
        "gelu" => x.Gelu(),
        "gelu_tanh" => x.Gelu(GeluApproximation.Tanh),
        "gelu_sigmoid" => x.Gelu(GeluApproximation.Sigmoid),
        "sigmoid" => x.Sigmoid(),
        "tanh" => x.Tanh(),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(ForwardReference))]
    public void Forward_matches_pytorch_in_float64_and_float32(string name, double[] expected)
    {
        TestUtil.AssertClose(expected, Apply(name, Tensor.FromArray(Points)), 1e-14);
        TestUtil.AssertClose(expected, Apply(name, Tensor.FromArray(Points).To(DType.Float32)), 2e-6);
    }

    [Theory, MemberData(nameof(GradReference))]
    public void Gradient_matches_pytorch_including_the_kink_at_zero(string name, double[] expected)
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var x = Tensor.FromArray(Points).To(dtype).RequiresGrad_();
            Apply(name, x).Sum().Backward();
            TestUtil.AssertClose(expected, x.Grad!, dtype == DType.Float64 ? 1e-13 : 2e-6);
        }
    }

    [Fact]
    public void Sigmoid_form_gelu_is_x_times_sigmoid_of_1702x()
    {
        var want = Points.Select(v => v / (1 + Math.Exp(-1.702 * v))).ToArray();
        TestUtil.AssertClose(want, Tensor.FromArray(Points).Gelu(GeluApproximation.Sigmoid), 1e-14);
        TestUtil.AssertClose(want, Tensor.FromArray(Points).To(DType.Float32).Gelu(GeluApproximation.Sigmoid), 2e-6);
    }

    public static TheoryData<string> All => new("relu", "leaky", "leaky0.2", "elu", "elu0.5", "softplus", "softplus_b2_t5", "gelu", "gelu_tanh", "gelu_sigmoid", "sigmoid", "tanh");

    [Theory, MemberData(nameof(All))]
    public void Gradcheck_float64_away_from_kinks(string name)
    {
        // Normal samples with |x| ≥ 0.05 (ReLU/LeakyReLU/ELU kink at 0), a few past the softplus thresholds.
        var x = Tensor.Randn([4, 9], 0, 2, DType.Float64, new Generator(11));
        var v = x.AsSpan<double>();
        for (int i = 0; i < v.Length; i++) if (Math.Abs(v[i]) < 0.05) v[i] = 0.3;
        v[0] = 3.5; v[1] = 25;   // βx beyond threshold 5 (β = 2) and 20
        TestUtil.AssertGrad(t => Apply(name, t[0]), x.RequiresGrad_());
        TestUtil.AssertGrad(t => Apply(name, t[0].T), x.T.Contiguous().Detach().RequiresGrad_());   // transposed view input
    }

    [Fact]
    public void Extreme_inputs_stay_finite()
    {
        var x = Tensor.FromArray([-1000.0, -40, 1000]);
        Assert.Equal([0.0, 0.0, 1.0], x.Sigmoid().ToArray<double>().Select(v => Math.Round(v, 15)).ToArray());
        var sp = x.Softplus(threshold: 1e9).ToArray<double>();   // no threshold shortcut: the stable formula alone
        Assert.Equal(0.0, sp[0]);
        Assert.Equal(Math.Exp(-40), sp[1], 1e-30);
        Assert.Equal(1000.0, sp[2]);
        foreach (var form in Enum.GetValues<GeluApproximation>())
            Assert.Equal([0.0, 0.0, 1000.0], Tensor.FromArray([-1000.0, -40, 1000]).Gelu(form).ToArray<double>().Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void Bad_options_are_argument_errors_naming_the_op()
    {
        var x = Tensor.Zeros(3);
        Assert.Contains("Gelu", Assert.Throws<ArgumentOutOfRangeException>(() => x.Gelu((GeluApproximation)7)).Message);
        Assert.Contains("Softplus", Assert.Throws<ArgumentException>(() => x.Softplus(beta: 0)).Message);
        Assert.Contains("Relu", Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([2], DType.Int32).Relu()).Message);
    }

    [Fact]
    public void Relu_backward_reads_a_broadcast_upstream_gradient()
    {
        // y.Sum() hands back a stride-0 expanded gradient; the fused kernel must see it as ones.
        var x = Tensor.FromArray([-1.0, 2.0, 0.0, 3.0], 2, 2).RequiresGrad_();
        x.Relu().Sum().Backward();
        Assert.Equal([0.0, 1.0, 0.0, 1.0], x.Grad!.ToArray<double>());
    }
}
