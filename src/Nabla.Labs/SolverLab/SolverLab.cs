using System.Diagnostics;
using System.Globalization;
using Nabla.Course;
using Nabla.Course.Models;

namespace Nabla.Labs;

/// <summary>Everything the report of the <c>solver</c> lab needs.</summary>
public sealed record SolverLabResult(string BinaryData, string DigitsData, string CnnSearchData, IReadOnlyList<SolverLabSearch> Searches,
    IReadOnlyList<SolverLabFinal> Finals, int TestEvaluations, double Seconds);

/// <summary>
/// EECS 498 HW1 questions 2–5 as the homework asks for them: every model built from the explicit-backprop layers
/// (<see cref="Layers"/>, no autograd) and trained by the <see cref="Solver"/> — logistic regression and a binary SVM
/// (4 vs 9), softmax regression, the two-layer softmax net, and the three-layer CNN without and with dropout and batch
/// normalisation — each hyper-parameter chosen on validation accuracy, each final model scored once on the test set.
/// </summary>
public sealed partial class SolverLab : Lab<SolverLabSettings, SolverLabResult>
{
    /// <summary>The acceptance bars on test accuracy, by final model.</summary>
    public static IReadOnlyDictionary<string, double> Bars { get; } = new Dictionary<string, double>
    {
        ["softmax-hidden"] = 0.975, ["cnn"] = 0.985, ["cnn-dropout-bn"] = 0.990,
    };

    /// <summary>Every model computes in float32 (the update rules do their arithmetic in double).</summary>
    public const DType ModelDType = DType.Float32;

    /// <summary>Weight scale of the binary and softmax models: W ~ N(0, 0.01²).</summary>
    public const double LinearWeightScale = 1e-2;

    public override string Name => "solver";

    public override string Description => "EECS 498 HW1 Q2-5 on the explicit layers and the Solver: logistic/SVM (4 vs 9), softmax, two-layer net, CNN, CNN + dropout + BN; choices on validation";

    public override string Title => "The Solver on explicit layers: EECS 498 HW1 questions 2–5";

    public override SolverLabSettings Quick => SolverLabSettings.Quick;

    public override SolverLabSettings Full => SolverLabSettings.Full;

    public override SolverLabResult Experiment(SolverLabSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        var log = kit.Out;
        var mnist = SolverLabData.Load(kit);
        var binary = SolverLabData.Binary(mnist.Train, mnist.Validation, mnist.Test, kit.Seed);
        var digits = SolverLabData.Digits(mnist, s.TrainImages, s.ValImages, s.TestImages);
        log.WriteLine($"solver lab: 4 vs 9 {binary.Description}; digits {digits.Description}");

        var searches = new List<SolverLabSearch>();
        var finals = new List<SolverLabFinal>();
        var binaryTest = new SolverLabTestSet(binary.Test);
        var digitsTest = new SolverLabTestSet(digits.Test);
        ulong searchSeed = kit.Seed * 100;

        // One search, then its final model; the final data is null when the search budget is the final budget.
        void Run(string key, string title, string model, string question, string budget, IReadOnlyList<SolverLabCandidate> candidates,
            SolverData data, SolverOptions options, SolverData? finalData, SolverOptions finalOptions, SolverLabTestSet test)
        {
            ulong seed = ++searchSeed;
            var (search, fits) = SolverLabSearching.Search(key, title, budget, candidates, data, options, seed, log);
            searches.Add(search);
            finals.Add(SolverLabSearching.Finish(model, question, search, candidates, fits, seed, finalData, finalOptions, test, log));
        }

        // Q2, Q3: 4 vs 9. No hidden layer: L2 strength searched; one hidden layer: width searched.
        var binaryData = Data(binary.Train, binary.Val);
        var binaryOptions = Options(s.BinaryLr, 1.0, s.BinaryBatch, s.BinaryEpochs);
        string binaryBudget = $"{SolverLabData.BinaryTrain} training images, {s.BinaryEpochs} epochs";
        foreach (var (key, name, q, hinge) in new[] { ("logistic", "logistic regression", "Q2", false), ("svm", "binary SVM", "Q3", true) })
        {
            ILossModel Binary(int? hidden, double reg, ulong seed) => hinge
                ? new SvmClassifier(784, hidden, LinearWeightScale, reg, ModelDType, seed)
                : new LogisticClassifier(784, hidden, LinearWeightScale, reg, ModelDType, seed);
            Run(key, $"{q}.3 {name}, no hidden layer: L2 strength", $"{name}, no hidden layer", $"{q}.3", binaryBudget,
                s.BinaryRegs.Select(r => new SolverLabCandidate($"reg {F(r)}", seed => Binary(null, r, seed))).ToList(),
                binaryData, binaryOptions, null, binaryOptions, binaryTest);
            Run(key + "-hidden", $"{q}.4 {name}, one ReLU hidden layer (reg {F(s.BinaryHiddenReg)}): width", $"{name}, one hidden layer", $"{q}.4", binaryBudget,
                s.BinaryHidden.Select(h => new SolverLabCandidate($"hidden {h}", seed => Binary(h, s.BinaryHiddenReg, seed))).ToList(),
                binaryData, binaryOptions, null, binaryOptions, binaryTest);
        }

        // Q4: ten digits.
        var digitsData = Data(digits.Train, digits.Val);
        var softmaxOptions = Options(s.SoftmaxLr, s.SoftmaxLrDecay, s.SoftmaxBatch, s.SoftmaxEpochs);
        string softmaxBudget = $"{digits.Train.Count:N0} training images, {s.SoftmaxEpochs} epochs";
        Run("softmax", "Q4.3 softmax regression: L2 strength", "softmax regression", "Q4.3", softmaxBudget,
            s.SoftmaxRegs.Select(r => new SolverLabCandidate($"reg {F(r)}",
                seed => new SoftmaxClassifier(784, null, 10, LinearWeightScale, r, ModelDType, seed))).ToList(),
            digitsData, softmaxOptions, null, softmaxOptions, digitsTest);
        Run("softmax-hidden", "Q4.4 two-layer softmax net: hidden width", "two-layer softmax net", "Q4.4", softmaxBudget,
            s.SoftmaxHidden.Select(h => new SolverLabCandidate($"hidden {h}",
                seed => new SoftmaxClassifier(784, h, 10, LinearWeightScale, 0, ModelDType, seed))).ToList(),
            digitsData, softmaxOptions, null, softmaxOptions, digitsTest);

        // Q5: the CNN, searched on the first CnnSearchImages training images, the winner retrained on all of them.
        int searchCount = Math.Min(s.CnnSearchImages, digits.Train.Count);
        var cnnSearchData = Data(new SolverLabData.Split(Rows(digits.Train.X, searchCount), Rows(digits.Train.Y, searchCount)), digits.Val);
        bool retrainCnn = searchCount < digits.Train.Count;
        var cnnSearchOptions = Options(s.CnnLr, s.CnnLrDecay, s.CnnBatch, s.CnnSearchEpochs);
        var cnnOptions = Options(s.CnnLr, s.CnnLrDecay, s.CnnBatch, s.CnnEpochs);
        string cnnBudget = $"{searchCount:N0} training images, {s.CnnSearchEpochs} epoch{(s.CnnSearchEpochs == 1 ? "" : "s")}";
        var cnnGrid = (from k in s.CnnFilterSizes from h in s.CnnHidden select (K: k, H: h)).ToList();
        var cnnCandidates = cnnGrid.Select(g => new SolverLabCandidate($"filter {g.K}×{g.K}, hidden {g.H}", seed => HeInit(new ThreeLayerConvNet(
            numFilters: s.CnnFilters, filterSize: g.K, hiddenDim: g.H, dtype: ModelDType, seed: seed), seed))).ToList();
        Run("cnn", $"Q5.3 CNN ({s.CnnFilters} filters): filter size × hidden width", "CNN", "Q5.3", cnnBudget, cnnCandidates,
            cnnSearchData, cnnSearchOptions, retrainCnn || s.CnnEpochs != s.CnnSearchEpochs ? digitsData : null, cnnOptions, digitsTest);

        int filterSize = cnnGrid[searches[^1].Chosen].K;   // Q5.4 keeps the filter size Q5.3 chose on validation
        var bnSearchOptions = Options(s.BnLr, s.BnLrDecay, s.CnnBatch, s.CnnSearchEpochs);
        var bnOptions = Options(s.BnLr, s.BnLrDecay, s.CnnBatch, s.BnEpochs);
        var bnCandidates = (from f in s.BnFilters
                            from h in s.BnHidden
                            from p in s.BnDropouts
                            select new SolverLabCandidate($"{f} filters, hidden {h}, dropout {F(p)}", seed => HeInit(new ThreeLayerConvNet(
                                numFilters: f, filterSize: filterSize, hiddenDim: h, dtype: ModelDType, dropout: p, batchNorm: true, seed: seed), seed))).ToList();
        Run("cnn-dropout-bn", $"Q5.4 CNN with dropout and batch norm (filter {filterSize}×{filterSize} from Q5.3): filters × hidden width × dropout",
            "CNN with dropout + batch norm", "Q5.4", cnnBudget, bnCandidates,
            cnnSearchData, bnSearchOptions, retrainCnn || s.BnEpochs != s.CnnSearchEpochs ? digitsData : null, bnOptions, digitsTest);

        string cnnSearch = retrainCnn
            ? $"the first {searchCount:N0} of the {digits.Train.Count:N0} training images for {s.CnnSearchEpochs} epoch{(s.CnnSearchEpochs == 1 ? "" : "s")} per setting; the winner retrained on all {digits.Train.Count:N0}"
            : $"all {digits.Train.Count:N0} training images";
        return new SolverLabResult(binary.Description, digits.Description, cnnSearch, searches, finals,
            binaryTest.Evaluations + digitsTest.Evaluations, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Adam with learning rate <paramref name="lr"/>, decayed by <paramref name="decay"/> per epoch; training
    /// accuracy on 1,000 training images (solver.py's default), validation accuracy on the whole validation set.</summary>
    public static SolverOptions Options(double lr, double decay, int batch, int epochs) =>
        new("adam", new Dictionary<string, double> { [UpdateRules.LearningRateKey] = lr }, decay, batch, epochs, NumTrainSamples: 1000, NumValSamples: null);

    /// <summary>Redraws every weight of <paramref name="model"/> (parameters W1, W2, …) from He's N(0, 2/fan_in), fan_in
    /// being a row of an affine weight [D, M] (D) or a filter [F, C, k, k] (C·k·k); biases, γ and β are kept. One weight
    /// scale for all layers (the model's own initialisation) is too small for some layers and too large for others.</summary>
    public static ThreeLayerConvNet HeInit(ThreeLayerConvNet model, ulong seed)
    {
        var g = new Generator(seed * 31 + 7);
        foreach (var name in model.Params.Keys.Where(k => k.StartsWith('W')).ToList())
        {
            var w = model.Params[name];
            int fanIn = w.Rank == 4 ? w.Shape[1] * w.Shape[2] * w.Shape[3] : w.Shape[0];
            model.Params[name] = Tensor.Randn(w.Shape.ToArray(), 0, Math.Sqrt(2.0 / fanIn), w.DType, g);
        }
        return model;
    }

    private static SolverData Data(SolverLabData.Split train, SolverLabData.Split val) => new(train.X, train.Y, val.X, val.Y);

    private static Tensor Rows(Tensor t, int n)
    {
        if (t.Shape[0] == n) return t;
        using var _ = GradMode.NoGrad();
        return t.Narrow(0, 0, n).Contiguous();
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
