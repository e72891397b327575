using System.Diagnostics;
using System.Globalization;
using Nabla.Course;
using Nabla.Course.Models;

namespace Nabla.Labs;

/// <summary>One setting of a search: its label (e.g. "hidden 128"), and how to build the model from a seed.</summary>
public sealed record SolverLabCandidate(string Label, Func<ulong, ILossModel> Build);

/// <summary>One trained setting of a search: its validation accuracy (the best of the Solver's per-epoch checks, the
/// one whose parameters the Solver restores), the training accuracy at that check, and the time it took.</summary>
public sealed record SolverLabTrial(string Setting, double ValAcc, double TrainAcc, int BestEpoch, double Seconds);

/// <summary>A hyper-parameter search: every setting tried, on which data and budget, and the index of the winner.</summary>
public sealed record SolverLabSearch(string Key, string Title, string Budget, int ValCount, IReadOnlyList<SolverLabTrial> Trials, int Chosen)
{
    public SolverLabTrial Winner => Trials[Chosen];
}

/// <summary>A final model: the chosen setting, trained (or reused from the search when the budgets agree), its Solver
/// histories, and its accuracy on the test set, scored once.</summary>
public sealed record SolverLabFinal(string Key, string Model, string Question, string Setting, bool Retrained, int TrainCount, int Epochs,
    int ValCount, double BestValAcc, double RestoredValAcc, double TestAcc, int TestCount, int BestEpoch, double FinalTrainAcc,
    IReadOnlyList<double> LossHistory, IReadOnlyList<double> TrainAccHistory, IReadOnlyList<double> ValAccHistory,
    int IterationsPerEpoch, bool BatchNorm, double Seconds);

/// <summary>
/// The test split of a task behind a guard: each final model may be scored once (by key), and the number of scorings
/// is counted, so the report can show that no choice was made on test accuracy.
/// </summary>
public sealed class SolverLabTestSet(SolverLabData.Split split)
{
    private readonly HashSet<string> _scored = [];

    public int Count => split.Count;

    /// <summary>How many models have been scored.</summary>
    public int Evaluations => _scored.Count;

    /// <summary>The accuracy of the solver's model on the test split.</summary>
    /// <exception cref="InvalidOperationException">The model <paramref name="key"/> was scored before.</exception>
    public double Score(string key, Solver solver)
    {
        if (!_scored.Add(key)) throw new InvalidOperationException($"solver lab: the test set was already used for '{key}'; a final model is scored once");
        return solver.CheckAccuracy(split.X, split.Y);
    }
}

/// <summary>Grid search on validation accuracy, and the final fit of the winner, every model trained by the Solver.</summary>
public static class SolverLabSearching
{
    /// <summary>The index of the highest validation accuracy; ties go to the earlier setting (grids list the smaller
    /// or simpler settings first).</summary>
    public static int Choose(IReadOnlyList<double> valAccuracies)
    {
        if (valAccuracies.Count == 0) throw new ArgumentException("solver lab: an empty search has no winner", nameof(valAccuracies));
        int best = 0;
        for (int i = 1; i < valAccuracies.Count; i++)
            if (valAccuracies[i] > valAccuracies[best]) best = i;
        return best;
    }

    /// <summary>A trained model with its Solver and wall time.</summary>
    public sealed record Fit(ILossModel Model, Solver Solver, double Seconds);

    /// <summary>Trains the model of <paramref name="candidate"/> (seeded with <paramref name="seed"/>) with a Solver.</summary>
    public static Fit Train(SolverLabCandidate candidate, ulong seed, SolverData data, SolverOptions options)
    {
        var clock = Stopwatch.StartNew();
        var model = candidate.Build(seed);
        var solver = new Solver(model, data, options with { Seed = seed + 1 });
        solver.Train();
        return new Fit(model, solver, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Trains every candidate on <paramref name="data"/> and picks the best by validation accuracy. Returns the
    /// search and the fits (so that the winner can be reused when the final budget is the search budget).</summary>
    public static (SolverLabSearch Search, IReadOnlyList<Fit> Fits) Search(string key, string title, string budget,
        IReadOnlyList<SolverLabCandidate> candidates, SolverData data, SolverOptions options, ulong seed, TextWriter log)
    {
        var trials = new List<SolverLabTrial>();
        var fits = new List<Fit>();
        for (int i = 0; i < candidates.Count; i++)
        {
            var fit = Train(candidates[i], SeedOf(seed, i), data, options);
            int bestEpoch = BestCheck(fit.Solver.ValAccHistory);
            trials.Add(new SolverLabTrial(candidates[i].Label, fit.Solver.BestValAcc, fit.Solver.TrainAccHistory[bestEpoch], bestEpoch, fit.Seconds));
            fits.Add(fit);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {key,-16} {candidates[i].Label,-28} val {fit.Solver.BestValAcc:P2} (epoch {bestEpoch})  {fit.Seconds,6:F1} s"));
        }
        int chosen = Choose(trials.Select(t => t.ValAcc).ToList());
        return (new SolverLabSearch(key, title, budget, data.XVal.Shape[0], trials, chosen), fits);
    }

    /// <summary>
    /// The final model of a search: the winner's fit when <paramref name="finalData"/> is null (same budget), else the
    /// winner retrained on <paramref name="finalData"/> with <paramref name="finalOptions"/> from the same seed. Its
    /// validation accuracy is checked again after the Solver restored the best parameters, then the test set scores it once.
    /// </summary>
    public static SolverLabFinal Finish(string model, string question, SolverLabSearch search, IReadOnlyList<SolverLabCandidate> candidates,
        IReadOnlyList<Fit> fits, ulong seed, SolverData? finalData, SolverOptions finalOptions, SolverLabTestSet test, TextWriter log)
    {
        var fit = finalData is null ? fits[search.Chosen] : Train(candidates[search.Chosen], SeedOf(seed, search.Chosen), finalData, finalOptions);
        var s = fit.Solver;
        double restored = s.CheckAccuracy(s.Data.XVal, s.Data.YVal);
        double testAcc = test.Score(search.Key, s);
        int bestEpoch = BestCheck(s.ValAccHistory);
        bool bn = fit.Model is ThreeLayerConvNet { BatchNorm: true };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {search.Key,-16} final: {search.Winner.Setting}, val {s.BestValAcc:P2} (restored {restored:P2}), test {testAcc:P2}{(finalData is null ? "" : $", retrained in {fit.Seconds:F1} s")}"));
        return new SolverLabFinal(search.Key, model, question, search.Winner.Setting, finalData is not null, s.Data.XTrain.Shape[0], s.Options.NumEpochs,
            s.Data.XVal.Shape[0], s.BestValAcc, restored, testAcc, test.Count, bestEpoch, s.TrainAccHistory[bestEpoch],
            s.LossHistory.ToArray(), s.TrainAccHistory.ToArray(), s.ValAccHistory.ToArray(), s.IterationsPerEpoch, bn, fit.Seconds);
    }

    /// <summary>The check whose parameters the Solver keeps: the first maximum of the validation history.</summary>
    public static int BestCheck(IReadOnlyList<double> valHistory) => Choose(valHistory);

    private static ulong SeedOf(ulong seed, int candidate) => seed * 1000 + (ulong)candidate * 10;
}
