using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class WorkedExercisesSaysTests
{
    private static Answer A(string name, double[] lib, double[] hand, string note = "") => new(name, lib, hand, [lib.Length], note);

    [Fact]
    public void AgreementIsRelativeAndSkipsUncheckedAnswers()
    {
        var ok = new Exercise("x", [A("big", [4969.2454000000027], [4969.2454]), A("contrast", [1], [2], "not checked")], []);
        Assert.Contains("agree on the answer", WorkedExercisesSays.Agreement(ok, 1e-12));
        var bad = new Exercise("x", [A("a", [1], [1.1]), A("b", [2], [2])], []);
        Assert.Contains("disagree on 1 of 2", WorkedExercisesSays.Agreement(bad, 1e-12));
    }

    [Fact]
    public void GanAscentAndScheduleSentencesFollowTheNumbers()
    {
        Assert.Contains("raises V", GanSchedules.AscentSays(-1.5, -1.4, -1.6, 0.1));
        Assert.Contains("does not raise V", GanSchedules.AscentSays(-1.5, -1.6, -1.4, 0.1));
        GanSchedules.Outcome O(double d) => new(d, 0.1, 0.5, 0.5);
        Assert.Contains("4 times farther", GanSchedules.ScheduleSays(1, O(0.01), O(0.04)));
        Assert.Contains("simultaneous schedule ends nearer", GanSchedules.ScheduleSays(1, O(0.04), O(0.01)));
        Assert.Contains("do not differ measurably", GanSchedules.ScheduleSays(1, O(0.04), O(0.05)));
    }

    [Fact]
    public void LossChangeDirection()
    {
        Assert.Contains("falls", WorkedExercisesSays.LossChange("x", 9.5, 6));
        Assert.Contains("overshoot", WorkedExercisesSays.LossChange("x", 9.5, 4969));
        Assert.Contains("stays", WorkedExercisesSays.LossChange("x", 1, 1));
    }

    [Fact]
    public void AdaGradComparisonNamesTheWinnerPerEpochCount()
    {
        Assert.Contains("SGD (3.2173) does better than AdaGrad", WorkedExercisesSays.AdaGradHelps([3.7425, 3.2173], [84.7, 71.3], 2));
        string longer = WorkedExercisesSays.AdaGradHelps([3.7, 3.2, 3.0], [84, 71, 1], 2);
        Assert.Contains("after epoch 3: AdaGrad (1) does better", longer);
    }

    [Fact]
    public void FlipAndClassAndSameOutputRules()
    {
        Assert.Contains("same result", WorkedExercisesSays.FlipMatters("k", A("c", [1, 2], [1, 2]), A("v", [1, 2], [1, 2])));
        Assert.Contains("convention matters", WorkedExercisesSays.FlipMatters("k", A("c", [1, 2], [1, 2]), A("v", [-1, 2], [-1, 2])));
        Assert.Contains("decision boundary", WorkedExercisesSays.PredictedClass("x", 0.5));
        Assert.Contains("class 0", WorkedExercisesSays.PredictedClass("x", 0.1192));
        Assert.Contains("class 1", WorkedExercisesSays.PredictedClass("x", 0.9));
        Assert.StartsWith("No:", WorkedExercisesSays.SameOutput(0.5757, 0.814, 0.7, 0.7));
        Assert.Contains("are equal", WorkedExercisesSays.SameOutput(0.5, 0.5, 0.7, 0.7));
    }

    [Fact]
    public void RnnL1DropoutStrideAndDilationRules()
    {
        double[][] x = [[0.1, 0.1], [0.7, 0.4], [0.8, 0.8]];
        Assert.Contains("always predicts", WorkedExercisesSays.RnnOutputs([0.7, 0.9, 0.95], x));
        Assert.Contains("cross 0.5", WorkedExercisesSays.RnnOutputs([0.3, 0.9, 0.6], x));
        Assert.Contains("exactly 0", WorkedExercisesSays.L1Effect(A("a", [0, 0, 2, -2], [0, 0, 2, -2]), A("b", [0.1, -0.1, 1.9, -1.9], [0.1, -0.1, 1.9, -1.9]), 0.1));
        Assert.Contains("only shifts", WorkedExercisesSays.L1Effect(A("a", [1, 2], [1, 2]), A("b", [1.1, 2.1], [1.1, 2.1]), 0.1));
        Assert.Contains("coincide", WorkedExercisesSays.DropoutScaling(1, 1, 0.5));
        Assert.Contains("1/(1 − p) = 2", WorkedExercisesSays.DropoutScaling(10, 58, 0.5));
        Assert.StartsWith("No stride", WorkedExercisesSays.SameSizePossible(0, [5, 3, 2, 2]));
        Assert.Contains("changes the answer", WorkedExercisesSays.DilationReading(A("s", [5], [5]), A("l", [9], [9])));
        Assert.Contains("same answer", WorkedExercisesSays.DilationReading(A("s", [5], [5]), A("l", [5], [5])));
    }
}
