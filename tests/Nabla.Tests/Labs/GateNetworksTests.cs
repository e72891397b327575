using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class GateNetworksTests
{
    [Theory]
    [InlineData("AND", new double[] { 0, 0, 0, 1 })]
    [InlineData("OR", new double[] { 0, 1, 1, 1 })]
    [InlineData("NAND", new double[] { 1, 1, 1, 0 })]
    [InlineData("NOR", new double[] { 1, 0, 0, 0 })]
    [InlineData("XOR", new double[] { 0, 1, 1, 0 })]
    [InlineData("XNOR", new double[] { 1, 0, 0, 1 })]
    public void HandSetNetworkReproducesTheTruthTable(string gate, double[] truth)
    {
        Assert.Equal(truth, GateNetworks.Truth(gate));
        var y = GateNetworks.HandSet(gate).Invoke(GateNetworks.Inputs()).ToDoubleArray();
        Assert.Equal(4, y.Length);
        for (int i = 0; i < 4; i++) Assert.True(Math.Abs(y[i] - truth[i]) < 1e-4, $"{gate} row {i}: {y[i]}");
        Assert.True(GateNetworks.Matches(y, gate));
    }

    [Fact]
    public void SingleUnitOutputsAreSigmoidOfTheHandSetPreActivations()
    {
        // AND: pre-activations 20·x1 + 20·x2 − 30 = −30, −10, −10, 10; σ(−10) = 1/(1 + e^10) = 4.5397868702434395e-5.
        var y = GateNetworks.Outputs(GateNetworks.HandSet("AND"));
        Assert.Equal(1 / (1 + Math.Exp(30)), y[0], 1e-15);
        Assert.Equal(4.5397868702434395e-5, y[1], 1e-15);
        Assert.Equal(4.5397868702434395e-5, y[2], 1e-15);
        Assert.Equal(1 - 4.5397868702434395e-5, y[3], 1e-15);
    }

    [Fact]
    public void XorHiddenLayerComputesOrAndNand()
    {
        var net = GateNetworks.HandSet("XOR");
        var h = net[1].Invoke(net[0].Invoke(GateNetworks.Inputs())).ToDoubleArray();   // [4, 2]: (OR, NAND) per row
        double[] or = [0, 1, 1, 1], nand = [1, 1, 1, 0];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(or[i], Math.Round(h[2 * i]));
            Assert.Equal(nand[i], Math.Round(h[2 * i + 1]));
        }
    }

    [Fact]
    public void MatchesRoundsAtOneHalf()
    {
        Assert.True(GateNetworks.Matches([0.49, 0.5, 0.51, 0.1], "XOR"));
        Assert.False(GateNetworks.Matches([0.5, 0.5, 0.5, 0.5], "XOR"));
    }

    [Fact]
    public void CreateIsSeededAndHasTheGateArchitecture()
    {
        var a = GateNetworks.Create(hidden: true, 1, new Generator(7));
        var b = GateNetworks.Create(hidden: true, 1, new Generator(7));
        Assert.Equal(9, a.Parameters().Sum(p => p.Numel));
        Assert.Equal(3, GateNetworks.Create(hidden: false, 1, new Generator(7)).Parameters().Sum(p => p.Numel));
        Assert.Equal(a.Parameters().SelectMany(p => p.ToDoubleArray()), b.Parameters().SelectMany(p => p.ToDoubleArray()));
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        Assert.Contains("'MAYBE'", Assert.Throws<ArgumentException>(() => GateNetworks.Truth("MAYBE")).Message);
        Assert.Contains("no single-unit", Assert.Throws<ArgumentException>(() => GateNetworks.UnitWeights("XOR")).Message);
        var layer = (Nabla.NN.Linear)GateNetworks.HandSet("XOR")[0];
        Assert.Contains("Linear(2, 2)", Assert.Throws<ArgumentException>(() => GateNetworks.SetUnits(layer, (1, 1, 1))).Message);
    }
}
