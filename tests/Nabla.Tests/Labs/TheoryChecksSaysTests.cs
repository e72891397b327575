using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class TheoryChecksSaysTests
{
    [Fact]
    public void AgreementDependsOnTheTolerance()
    {
        Assert.Contains("agree", TheoryChecksSays.Agreement("a and b", 1e-16, 1e-12));
        Assert.Contains("differ by up to", TheoryChecksSays.Agreement("a and b", 1e-3, 1e-12));
        Assert.Contains("could not be compared", TheoryChecksSays.Agreement("a and b", double.NaN, 1e-12));
    }

    [Theory]
    [InlineData(0.2, "barely grows")]
    [InlineData(1.05, "about linearly")]
    [InlineData(1.98, "about quadratically")]
    [InlineData(3.1, "faster than n²")]
    public void GrowthWords(double exponent, string expected) => Assert.Contains(expected, TheoryChecksSays.Growth(exponent));

    [Fact]
    public void TrapezoidErrorNamesTheKinkOnlyWhenThatIsWhereItIs()
    {
        Assert.Contains("except at the kink", TheoryChecksSays.TrapezoidError(0.25, 0.25, 1));
        Assert.Contains("differs from ReLU by up to", TheoryChecksSays.TrapezoidError(0.3, 0.25, 1));
        Assert.Contains("equals ReLU at every grid point", TheoryChecksSays.TrapezoidError(0, 0, 1));
    }

    [Fact]
    public void SlopeSentenceSingleOutZero()
    {
        Assert.Contains("except x = 0", TheoryChecksSays.SlopeVsH([0.0], 0));
        Assert.Contains("at every grid point.", TheoryChecksSays.SlopeVsH([], 0));
        Assert.Contains("differs from H at 2", TheoryChecksSays.SlopeVsH([0.0, 1.0], 1));
    }

    [Fact]
    public void SigmoidLimitSaysNotUniformOnlyWhenTheWholeGridErrorStaysHigh()
    {
        var rows = new[] { new SigmoidStepRow(1, 0.47, 0.47, 0.49, 0), new SigmoidStepRow(100, 1e-5, 1e-5, 0.45, 0) };
        string s = TheoryChecksSays.SigmoidLimit(rows, 0.1);
        Assert.Contains("decreases", s);
        Assert.Contains("not uniform", s);
        var coarse = new[] { new SigmoidStepRow(1, 0.47, 0.47, 0.49, 0), new SigmoidStepRow(1000, 1e-9, 1e-9, 0.1, 0) };
        Assert.DoesNotContain("not uniform", TheoryChecksSays.SigmoidLimit(coarse, 0.1));
    }

    [Fact]
    public void DistributionalSentenceFollowsTheErrors()
    {
        var good = new[] { new DistributionRow("H", 0, 1, 0.3679, 0.36788, "φ(0)"), new DistributionRow("tanh", 0, 1, 0.4, 0.4, "∫F′φ") };
        Assert.Contains("Dirac delta", TheoryChecksSays.Distributional(good, 1e-4));
        var bad = new[] { new DistributionRow("H", 0, 1, 0.3, 0.36788, "φ(0)") };
        Assert.Contains("misses φ(0)", TheoryChecksSays.Distributional(bad, 1e-4));
    }

    [Fact]
    public void ScaleLimitsReadTheEndRows()
    {
        var rows = new[] { new ScaleRow(0, [0.5, 0.5], 0, 0.5), new ScaleRow(100, [1, 0], 0.5, 1e-40) };
        string s = TheoryChecksSays.ScaleLimits(rows, 2);
        Assert.Contains("uniform vector 1/2", s);
        Assert.Contains("hard max", s);
        var notYet = new[] { new ScaleRow(1, [0.7, 0.3], 0.2, 0.3) };
        Assert.Contains("still", TheoryChecksSays.ScaleLimits(notYet, 2));
    }

    [Fact]
    public void TriangularWording()
    {
        Assert.Contains("exactly upper triangular", TheoryChecksSays.Triangular(0, 0.1, 1e-6));
        Assert.Contains("to within", TheoryChecksSays.Triangular(1e-9, 0.5, 1e-6));
        Assert.Contains("not yet triangular", TheoryChecksSays.Triangular(0.05, 0.5, 1e-6));
        Assert.Contains("a diagonal entry is 0", TheoryChecksSays.Triangular(0, 0, 1e-6));
    }

    [Fact]
    public void SignedLossOutcomes()
    {
        Assert.Contains("dead", TheoryChecksSays.SignedLoss(new SignedLossRun("L = ŷ − y", "ReLU", [0.27, 0.1, 0, 0], 0, -1, -0.1), 0.05));
        string down = TheoryChecksSays.SignedLoss(new SignedLossRun("L = ŷ − y", "linear", [0.27, 0.1, -0.05, -0.1], 1, 2, -0.3), 0.05);
        Assert.Contains("−∞", down);
        Assert.Contains("exactly the learning rate", down);
        Assert.Contains("from step 2", down);
        Assert.Contains("+∞", TheoryChecksSays.SignedLoss(new SignedLossRun("L = y − ŷ", "linear", [0.27, 0.5, 1, 3], 1, -1, 0.3), 0.05));
        Assert.Contains("not monotonically", TheoryChecksSays.SignedLoss(new SignedLossRun("L = y − ŷ", "linear", [0.27, 0.5, 0.4], 1, -1, 0), 0.05));
    }

    [Fact]
    public void InterpolationSentenceBlamesHugeCoefficientsOnlyWhenTheyAreHuge()
    {
        InterpolationRun Run(double err, double maxW) => new("ReLU, one ε", double.NaN, 0.1, new double[1, 1], 0, 0.1, 0, err, maxW, [], []);
        Assert.Contains("reproduces f", TheoryChecksSays.Interpolates(Run(1e-12, 10), 2, 1e-8));
        Assert.Contains("10^25", TheoryChecksSays.Interpolates(Run(1e8, 2e25), 2, 1e-8));
        Assert.DoesNotContain("float64", TheoryChecksSays.Interpolates(Run(0.1, 10), 2, 1e-8));
    }
}
