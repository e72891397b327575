using System.Globalization;

namespace Nabla.Course;

/// <summary>
/// The homework's <c>Solver</c> (cs231n / EECS 498 <c>solver.py</c>): trains an <see cref="ILossModel"/> by
/// minibatch gradient descent with one of the <see cref="UpdateRules"/>, records the loss of every iteration and the
/// training and validation accuracy at the first iteration and at the end of every epoch, and at the end of
/// <see cref="Train"/> puts the parameters with the best validation accuracy back into the model.
/// </summary>
/// <remarks>
/// As solver.py: each iteration draws BatchSize training indices uniformly with replacement
/// (<c>np.random.choice(num_train, batch_size)</c>); an epoch is max(N_train / BatchSize, 1) iterations (integer
/// division) and training runs NumEpochs of them; every parameter has its own config (a copy of
/// <see cref="SolverOptions.OptimConfig"/>) whose learning rate is multiplied by LrDecay at each epoch end; the best
/// parameters are snapshot whenever the validation accuracy strictly exceeds the best so far (which starts at 0).
/// Two deviations: when no check ever beats 0 (so solver.py would set <c>model.params</c> to an empty dict), the
/// model keeps its final parameters; and the model's <see cref="ILossModel.State"/> (batch norm's running statistics,
/// which solver.py leaves at their last-iteration values) is snapshot and restored with the best parameters, so the
/// restored model is evaluated exactly as it was when chosen.
/// </remarks>
public sealed class Solver
{
    private readonly UpdateFunction _rule;
    private readonly Generator _generator;
    private readonly List<double> _lossHistory = [], _trainAccHistory = [], _valAccHistory = [];
    private Dictionary<string, UpdateConfig> _optimConfigs = [];
    private Dictionary<string, Tensor> _bestParams = [];
    private List<Tensor> _bestState = [];

    /// <summary>A solver for <paramref name="model"/> on <paramref name="data"/>; options are checked here.</summary>
    /// <exception cref="ArgumentException">Invalid data (mismatched lengths, non-index labels) or options (unknown
    /// update rule, non-finite learning rate, …); see <see cref="SolverData.Validate"/> and
    /// <see cref="SolverOptions.Validate"/>.</exception>
    public Solver(ILossModel model, SolverData data, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Options = (options ?? new SolverOptions()).Validate();
        Data = data.Validate();
        Model = model;
        _rule = UpdateRules.Get(Options.UpdateRule);
        _generator = new Generator(Options.Seed);
        Reset();
    }

    /// <summary>The model being trained.</summary>
    public ILossModel Model { get; }

    /// <summary>The training and validation data.</summary>
    public SolverData Data { get; }

    /// <summary>The (validated) options.</summary>
    public SolverOptions Options { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>The best validation accuracy seen at a check (0 before any).</summary>
    public double BestValAcc { get; private set; }

    /// <summary>Copies of the parameters at the check with the best validation accuracy (empty before any).</summary>
    public IReadOnlyDictionary<string, Tensor> BestParams => _bestParams;

    /// <summary>The minibatch loss of every iteration.</summary>
    public IReadOnlyList<double> LossHistory => _lossHistory;

    /// <summary>Training accuracy at each check (first iteration, each epoch end).</summary>
    public IReadOnlyList<double> TrainAccHistory => _trainAccHistory;

    /// <summary>Validation accuracy at each check (first iteration, each epoch end).</summary>
    public IReadOnlyList<double> ValAccHistory => _valAccHistory;

    /// <summary>Each parameter's update-rule config: hyper-parameters (the decayed learning rate included) and state.</summary>
    public IReadOnlyDictionary<string, UpdateConfig> OptimConfigs => _optimConfigs;

    /// <summary>max(N_train / BatchSize, 1) (integer division).</summary>
    public int IterationsPerEpoch => Math.Max(Data.XTrain.Shape[0] / Options.BatchSize, 1);

    /// <summary>NumEpochs × <see cref="IterationsPerEpoch"/>.</summary>
    public int NumIterations => Options.NumEpochs * IterationsPerEpoch;

    /// <summary>solver.py's <c>_reset</c>: epoch 0, best accuracy 0, empty histories and best parameters, and a fresh
    /// config per parameter holding a copy of <see cref="SolverOptions.OptimConfig"/>. The generator is not reseeded.</summary>
    public void Reset()
    {
        Epoch = 0;
        BestValAcc = 0;
        _bestParams = [];
        _bestState = [];
        _lossHistory.Clear();
        _trainAccHistory.Clear();
        _valAccHistory.Clear();
        var template = new UpdateConfig(Options.OptimConfig);
        _optimConfigs = Model.Params.Keys.ToDictionary(k => k, _ => template.CloneValues());
    }

    /// <summary>One iteration (solver.py's <c>_step</c>): a minibatch drawn with replacement, the model's loss and
    /// gradients, the loss appended to <see cref="LossHistory"/>, and every parameter replaced by the rule's update.</summary>
    /// <exception cref="InvalidOperationException">The model returned no gradient for a parameter, or has a parameter
    /// the solver has no config for (added after construction).</exception>
    public void Step()
    {
        int n = Data.XTrain.Shape[0];
        var batchMask = new int[Options.BatchSize];
        for (int i = 0; i < batchMask.Length; i++) batchMask[i] = _generator.NextInt(n);
        var (xBatch, yBatch) = Rows(Data.XTrain, Data.YTrain, batchMask);

        var (loss, grads) = Model.Loss(xBatch, yBatch);
        _lossHistory.Add(loss);

        foreach (var name in Model.Params.Keys.ToList())
        {
            if (!grads.TryGetValue(name, out var dw))
                throw new InvalidOperationException($"Solver: {Model.GetType().Name}.Loss returned no gradient for parameter '{name}' (got: {string.Join(", ", grads.Keys)})");
            if (!_optimConfigs.TryGetValue(name, out var config))
                throw new InvalidOperationException($"Solver: parameter '{name}' of {Model.GetType().Name} has no update config (was it added after the Solver was made? call Reset)");
            var (nextW, nextConfig) = _rule(Model.Params[name], dw, config);
            Model.Params[name] = nextW;
            _optimConfigs[name] = nextConfig;
        }
    }

    /// <summary>
    /// The fraction of <paramref name="x"/>'s points the model classifies as <paramref name="y"/> says (solver.py's
    /// <c>check_accuracy</c>). With <paramref name="numSamples"/> smaller than N, that many points are drawn with
    /// replacement first. Scores are computed <paramref name="batchSize"/> rows at a time; the prediction is the
    /// argmax over classes of [N, C] scores (C ≥ 2, first maximum on ties), or score &gt; 0 for a binary model's [N]
    /// or [N, 1] scores (labels 0/1).
    /// </summary>
    /// <exception cref="ArgumentException">X and y disagree in length, labels are not class indices, or
    /// <paramref name="numSamples"/> / <paramref name="batchSize"/> is &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">The model's scores do not have one row per point.</exception>
    public double CheckAccuracy(Tensor x, Tensor y, int? numSamples = null, int batchSize = 100)
    {
        SolverData.CheckPair("CheckAccuracy", "X", "y", x, y);
        if (numSamples < 1) throw new ArgumentOutOfRangeException(nameof(numSamples), numSamples, $"CheckAccuracy: numSamples must be >= 1 or null, got {numSamples}");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"CheckAccuracy: batchSize must be >= 1, got {batchSize}");
        int n = x.Shape[0];
        if (numSamples is int s && n > s)
        {
            var mask = new int[s];
            for (int i = 0; i < s; i++) mask[i] = _generator.NextInt(n);
            (x, y) = Rows(x, y, mask);
            n = s;
        }
        var labels = y.ToDoubleArray();
        int correct = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int length = Math.Min(batchSize, n - start);
            Tensor batch;
            using (GradMode.NoGrad()) batch = x.Narrow(0, start, length).Contiguous();
            var predictions = Predict(Model.Scores(batch), length);
            for (int k = 0; k < length; k++)
                if (predictions[k] == labels[start + k]) correct++;
        }
        return (double)correct / n;
    }

    /// <summary>
    /// solver.py's <c>train</c>: <see cref="NumIterations"/> calls of <see cref="Step"/>; at each epoch end the epoch
    /// count rises and every learning rate is multiplied by LrDecay; at the first iteration, the last and each epoch
    /// end the training accuracy (on NumTrainSamples points) and the validation accuracy (on NumValSamples) are
    /// recorded and the parameters snapshot if the validation accuracy beat the best; finally the model's parameters
    /// are set to copies of <see cref="BestParams"/>.
    /// </summary>
    public void Train()
    {
        int iterationsPerEpoch = IterationsPerEpoch, numIterations = NumIterations;
        var log = Options.Verbose;
        for (int t = 0; t < numIterations; t++)
        {
            Step();
            if (log is not null && t % Options.PrintEvery == 0)
                log.WriteLine(string.Format(CultureInfo.InvariantCulture, "(Iteration {0} / {1}) loss: {2:F6}", t + 1, numIterations, _lossHistory[^1]));

            bool epochEnd = (t + 1) % iterationsPerEpoch == 0;
            if (epochEnd)
            {
                Epoch++;
                foreach (var config in _optimConfigs.Values) config.LearningRate *= Options.LrDecay;
            }

            if (t == 0 || t == numIterations - 1 || epochEnd)
            {
                double trainAcc = CheckAccuracy(Data.XTrain, Data.YTrain, Options.NumTrainSamples);
                double valAcc = CheckAccuracy(Data.XVal, Data.YVal, Options.NumValSamples);
                _trainAccHistory.Add(trainAcc);
                _valAccHistory.Add(valAcc);
                log?.WriteLine(string.Format(CultureInfo.InvariantCulture, "(Epoch {0} / {1}) train acc: {2:F6}; val_acc: {3:F6}",
                    Epoch, Options.NumEpochs, trainAcc, valAcc));
                if (valAcc > BestValAcc)
                {
                    BestValAcc = valAcc;
                    _bestParams = Model.Params.ToDictionary(kv => kv.Key, kv => TensorCopy.Of(kv.Value));
                    _bestState = Model.State.Select(TensorCopy.Of).ToList();
                }
            }
        }
        foreach (var (name, best) in _bestParams) Model.Params[name] = TensorCopy.Of(best);
        if (_bestParams.Count > 0)
            foreach (var (state, best) in Model.State.Zip(_bestState)) state.CopyFrom_(best);
    }

    /// <summary>Rows <paramref name="mask"/> of X and y (copies; recorded nowhere).</summary>
    private static (Tensor X, Tensor Y) Rows(Tensor x, Tensor y, int[] mask)
    {
        var index = Tensor.FromArray(mask, mask.Length);
        using var _ = GradMode.NoGrad();
        return (x.IndexSelect(0, index), y.IndexSelect(0, index));
    }

    /// <summary>Predicted labels from scores for a batch of <paramref name="n"/> points.</summary>
    private double[] Predict(Tensor scores, int n)
    {
        bool binary = scores.Rank == 1 || (scores.Rank == 2 && scores.Shape[1] == 1);
        if (scores.Rank is < 1 or > 2 || scores.Shape[0] != n || (scores.Rank == 2 && scores.Shape[1] < 1))
            throw new InvalidOperationException(
                $"Solver: {Model.GetType().Name}.Scores returned shape {ShapeUtil.Format(scores.Shape)} for a batch of {n}; expected [{n}, C], [{n}] or [{n}, 1]");
        var s = scores.ToDoubleArray();
        var predictions = new double[n];
        if (binary)
        {
            for (int i = 0; i < n; i++) predictions[i] = s[i] > 0 ? 1 : 0;
            return predictions;
        }
        int c = scores.Shape[1];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++)
                if (s[i * c + j] > s[i * c + best]) best = j;
            predictions[i] = best;
        }
        return predictions;
    }
}
