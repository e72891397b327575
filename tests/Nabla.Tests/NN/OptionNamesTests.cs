using Nabla.Cli.Composition;
using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The typed options that replaced strings: every enum value survives Name → Parse (also upper-cased), the
/// documented aliases parse, and an unknown string is an ArgumentException that names it and lists the valid values.</summary>
public class OptionNamesTests
{
    private static void RoundTrips<T>(Func<T, string> name, Func<string, T> parse) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            Assert.Equal(v, parse(name(v)));
            Assert.Equal(v, parse(name(v).ToUpperInvariant()));
        }
        Assert.Equal(Enum.GetValues<T>().Length, Enum.GetValues<T>().Select(name).Distinct().Count());
    }

    private static void RejectsListingValid<T>(Func<T, string> name, Func<string, T> parse, string bad) where T : struct, Enum
    {
        var e = Assert.Throws<ArgumentException>(() => parse(bad));
        Assert.Contains($"'{bad}'", e.Message);
        foreach (var v in Enum.GetValues<T>()) Assert.Contains(name(v), e.Message);
    }

    [Fact]
    public void Every_enum_round_trips_through_its_text_form()
    {
        RoundTrips<ActivationFunction>(Activation.Name, Activation.Parse);
        RoundTrips<InitScheme>(InitSchemes.Name, InitSchemes.Parse);
        RoundTrips<Nonlinearity>(Nonlinearities.Name, Nonlinearities.Parse);
        RoundTrips<FanMode>(FanModes.Name, FanModes.Parse);
        RoundTrips<GeluApproximation>(GeluApproximations.Name, GeluApproximations.Parse);
        RoundTrips<RecurrentActivation>(RecurrentActivations.Name, RecurrentActivations.Parse);
    }

    [Fact]
    public void Text_forms_are_PyTorchs_spellings_and_the_documented_aliases()
    {
        Assert.Equal("leaky_relu", Nonlinearity.LeakyReLU.Name());
        Assert.Equal("fan_out", FanMode.FanOut.Name());
        Assert.Equal("none", GeluApproximation.None.Name());
        Assert.Equal("gelu_tanh", ActivationFunction.GELUTanh.Name());
        Assert.Equal(InitScheme.XavierUniform, InitSchemes.Parse("glorot"));
        Assert.Equal(InitScheme.KaimingUniform, InitSchemes.Parse("he"));
        Assert.Equal(InitScheme.KaimingNormal, InitSchemes.Parse("he_normal"));
        Assert.Equal(ActivationFunction.Identity, Activation.Parse("linear"));
        Assert.Equal(ActivationFunction.LeakyReLU, Activation.Parse(nameof(LeakyReLU)));   // a module's type name
        Assert.Equal(["relu", "sigmoid", "tanh", "leaky_relu", "elu", "softplus", "gelu", "gelu_sigmoid", "gelu_tanh", "identity"], Activation.Names);
    }

    [Fact]
    public void Unknown_strings_are_argument_errors_listing_the_valid_values()
    {
        RejectsListingValid<ActivationFunction>(Activation.Name, Activation.Parse, "swishy");
        RejectsListingValid<InitScheme>(InitSchemes.Name, InitSchemes.Parse, "bogus");
        RejectsListingValid<Nonlinearity>(Nonlinearities.Name, Nonlinearities.Parse, "relu6");
        RejectsListingValid<FanMode>(FanModes.Name, FanModes.Parse, "fan_avg");
        RejectsListingValid<GeluApproximation>(GeluApproximations.Name, GeluApproximations.Parse, "erf");
        Assert.Contains("activation", Assert.Throws<ArgumentException>(() => Activation.FromName("swishy")).Message);
        Assert.Throws<ArgumentException>(() => Activation.Parse(null!));
    }

    [Fact]
    public void Every_activation_builds_the_module_its_name_says()
    {
        foreach (var f in Enum.GetValues<ActivationFunction>())
        {
            var m = Activation.Create(f);
            string expected = f switch { ActivationFunction.GELUSigmoid or ActivationFunction.GELUTanh => "GELU", _ => f.ToString() };
            Assert.Equal(expected, m.GetType().Name);
            Assert.Equal(m.GetType(), Activation.FromName(f.Name()).GetType());
        }
        Assert.Equal(GeluApproximation.Tanh, ((GELU)Activation.Create(ActivationFunction.GELUTanh)).Approximate);
        Assert.Equal("GELU(approximate='sigmoid')", Activation.Create(ActivationFunction.GELUSigmoid).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Create((ActivationFunction)42));
    }

    [Fact]
    public void Conv_padding_strings_parse_case_insensitively_and_an_unknown_mode_lists_the_valid_ones()
    {
        ConvPadding same = "SAME", valid = "valid";
        Assert.Equal(ConvPadding.Same, same);
        Assert.Equal(ConvPadding.Valid, valid);
        foreach (string bad in new[] { "full", "" })
        {
            var e = Assert.Throws<ArgumentException>(() => { ConvPadding p = bad; });
            Assert.Equal("padding", e.ParamName);
            Assert.Contains($"'{bad}'", e.Message);
            Assert.Contains("same, valid", e.Message);
        }
        var x = Tensor.Zeros(1, 2, 5);
        Assert.Contains("same, valid", Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(3, 2, 3), padding: "ful")).Message);
    }

    [Fact]
    public void The_CLI_parses_activation_and_init_at_its_boundary()
    {
        var o = new TrainOptions { Model = "mlp", Activation = "GELU_tanh", Init = "glorot" }.Resolved();
        Assert.Equal(ActivationFunction.GELUTanh, ModelFactory.ActivationOf(o));
        Assert.Equal(InitScheme.XavierUniform, ModelFactory.InitOf(o));
        Assert.Null(ModelFactory.InitOf(new TrainOptions { Model = "mlp" }.Resolved()));   // "default": Linear's own init
        var e = Assert.Throws<ArgumentException>(() => ModelFactory.Create(new TrainOptions { Model = "mlp", Activation = "relux" }.Resolved(), [4], 2));
        Assert.Contains("'relux'", e.Message);
        Assert.Contains("leaky_relu", e.Message);
        e = Assert.Throws<ArgumentException>(() => ModelFactory.Create(new TrainOptions { Model = "mlp", Init = "kaiming" }.Resolved(), [4], 2));
        Assert.Contains("kaiming_uniform", e.Message);
    }

    [Fact]
    public void Gains_and_fan_modes_follow_PyTorchs_formulas()
    {
        // torch.nn.init.calculate_gain: linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + 0.01²)), selu 3/4.
        Assert.Equal(1.0, Init.CalculateGain(Nonlinearity.Conv2d));
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain(Nonlinearity.ReLU), 15);
        Assert.Equal(Math.Sqrt(2 / (1 + 0.01 * 0.01)), Init.CalculateGain(Nonlinearity.LeakyReLU), 15);
        Assert.Equal(Math.Sqrt(2 / 1.25), Init.CalculateGain(Nonlinearity.LeakyReLU, 0.5), 15);
        Assert.Equal(0.75, Init.CalculateGain(Nonlinearity.SELU));
        // U(−b, b), b = √2·√(3/fan): a [2, 40] weight has fan_in 40 (b ≈ 0.387) and fan_out 2 (b = √3); 80 draws
        // from U(−√3, √3) all inside ±0.5 has probability (0.5/√3)^80 ≈ 1e−43.
        var w = Tensor.Zeros([2, 40], DType.Float64);
        Init.KaimingUniform_(w, mode: FanMode.FanOut, nonlinearity: Nonlinearity.ReLU, generator: new Generator(1));
        Assert.InRange(w.ToDoubleArray().Max(Math.Abs), 0.5, Math.Sqrt(3));
        Init.KaimingUniform_(w, mode: FanMode.FanIn, nonlinearity: Nonlinearity.ReLU, generator: new Generator(1));
        Assert.InRange(w.ToDoubleArray().Max(Math.Abs), 0.2, Math.Sqrt(6.0 / 40));
    }
}
