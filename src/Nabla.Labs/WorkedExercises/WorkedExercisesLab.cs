namespace Nabla.Labs;

public sealed record WorkedExercisesSettings
{
    [Setting("λ of the L1 penalty in Workbook Q6b (its value is in a figure the seed text lacks)", Min = 0, Max = 10)]
    public double L1Lambda { get; init; } = 0.1;

    [Setting("p of the library's inverted dropout shown beside the textbook masks in Workbook Q8b", Min = 0, Max = 0.95)]
    public double DropoutP { get; init; } = 0.5;

    [Setting("ε of the library's AdaGrad in Workbook Q10c (outside the root: η·g/(√s + ε))", Min = 0, Max = 1)]
    public double AdaGradEps { get; init; } = 1e-10;

    [Setting("epochs of Workbook Q10b/c (the seed asks for 2; steps are printed for the first 2)", Min = 1, Max = 1000)]
    public int Q10Epochs { get; init; }
}

/// <summary>Every exercise, in report order.</summary>
public sealed record WorkedExercisesResult(IReadOnlyList<Exercise> Exercises)
{
    public Exercise this[string id] => Exercises.FirstOrDefault(e => e.Id == id) ?? throw new KeyNotFoundException($"no exercise '{id}'");
}

/// <summary>
/// The hand-computation exercises of the seeds (Hildesheim Workbook Q1c, Q2, Q3c, Q5a, Q6a/b, Q8b, Q10b/c, Q12a–e,
/// Q13, Q14, Q15, Q17, Q20b/c, Q21; IFT6135 Q6–Q8; 24789 theory P4a–c), each computed with Nabla's ops (autograd and optimizers for
/// backward passes and updates) and independently with plain double arithmetic, printed side by side with the steps.
/// </summary>
public sealed partial class WorkedExercisesLab : Lab<WorkedExercisesSettings, WorkedExercisesResult>
{
    public override string Name => "worked-exercises";

    public override string Description => "every hand-computation exercise of the seeds (Workbook, IFT6135 Q6–Q8, 24789 P4) by the library and by hand, side by side";

    public override string Title => "Worked exercises: the seeds' hand computations, by the library and by hand";

    public override WorkedExercisesSettings Quick => new() { Q10Epochs = 2 };

    public override WorkedExercisesSettings Full => new() { Q10Epochs = 10 };

    public override WorkedExercisesResult Experiment(WorkedExercisesSettings s, LabKit kit)
    {
        var list = new List<Exercise>();
        void Add(Exercise e)
        {
            list.Add(e);
            kit.Out.WriteLine($"  {e.Id}: {e.Answers.Count} answers, largest |library − by hand| = {LabReport.Format(e.MaxDifference)}");
        }
        Add(WorkbookBasics.SoftmaxQ1c());
        Add(WorkbookBasics.SgdQ2());
        Add(WorkbookBasics.ForwardQ3c());
        Add(WorkbookBasics.BackpropQ5a());
        Add(WorkbookBasics.RegularisationQ6(s.L1Lambda));
        Add(WorkbookBasics.DropoutQ8b(s.DropoutP));
        Add(WorkbookOptimizers.Q10(s.Q10Epochs, s.AdaGradEps));
        Add(ConvolutionExercises.Q12());
        var (q13, q14) = CnnExercises.Both();
        Add(q13);
        Add(q14);
        Add(RecurrentExercises.Q15());
        Add(RecurrentExercises.Q17());
        Add(GanSchedules.Q20());
        Add(GanExercises.Q21());
        Add(ConvolutionExercises.IftQ6());
        Add(ShapeExercises.IftQ7());
        Add(ShapeExercises.IftQ8());
        Add(ConvolutionExercises.P4());
        return new WorkedExercisesResult(list);
    }
}
