using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Nabla.IO;

namespace Nabla.Training;

// Checkpoints: model, optimizer, scheduler position and history in one .npz, written atomically every epoch.
public sealed partial class Trainer
{
    private static readonly JsonSerializerOptions HistoryJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The run's settings, stored as <see cref="CheckpointMetadata.Options"/> in every checkpoint this
    /// trainer writes (so that a resumed run can say which settings differ). Null: none stored.</summary>
    public JsonObject? RunOptions { get; set; }

    /// <summary>After <see cref="Resume"/>: the settings the checkpoint recorded (<see cref="RunOptions"/> of the run
    /// that wrote it; null for a checkpoint without them).</summary>
    public JsonObject? ResumedOptions { get; private set; }

    /// <summary>Writes model, optimizer, scheduler position and history to <paramref name="path"/> (atomic).</summary>
    public void SaveCheckpoint(string path)
    {
        var extra = new JsonObject
        {
            ["history"] = JsonSerializer.SerializeToNode(_history, HistoryJson),
            ["scheduler_epoch"] = _scheduler?.LastEpoch,
            ["seed"] = Options.Seed,
            ["reference_loss"] = double.IsFinite(_referenceLoss) ? _referenceLoss : null,
        };
        Checkpoint.Save(path, _model.StateDict(), _optimizer.StateDict(),
            new CheckpointMetadata { Epoch = EpochsDone, Step = _optimizer.StepCount, Options = RunOptions, Extra = extra });
    }

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/>; <see cref="Fit"/> then continues
    /// from the next epoch and ends with the same weights as an uninterrupted run. Every field is validated (history
    /// rows, scheduler position, finite weights and optimizer state, shapes) before the model or optimizer is changed;
    /// errors are <see cref="NablaException"/>s naming <paramref name="path"/>. With
    /// <paramref name="keepHyperParameters"/> the optimizer keeps the learning rate and weight decay it was built with
    /// (the schedule then continues from those) instead of the checkpoint's (PyTorch's behaviour, the default).</summary>
    public void Resume(string path, bool keepHyperParameters = false)
    {
        var ck = Checkpoint.Load(path);
        NablaException Bad(string problem) => new($"{path}: {problem}");
        var meta = ck.Metadata;
        if (meta.Epoch < 0) throw Bad($"meta.json 'epoch' is {meta.Epoch}; it must be at least 0");
        if (meta.Step < 0) throw Bad($"meta.json 'step' is {meta.Step}; it must be at least 0");
        var history = ReadHistory(meta.Extra?["history"], Bad);
        if (history.Count != meta.Epoch)
            throw Bad($"meta.json records {meta.Epoch} epochs but its history holds {history.Count} rows");
        int? schedulerEpoch = null;
        if (meta.Extra?["scheduler_epoch"] is JsonNode se)
        {
            if (se is not JsonValue sv || !sv.TryGetValue(out long sl) || sl < 0 || sl > int.MaxValue)
                throw Bad($"meta.json 'scheduler_epoch' must be a non-negative integer, got {se.ToJsonString()}");
            schedulerEpoch = (int)sl;
        }
        foreach (var (prefix, dict) in new[] { (Checkpoint.ModelPrefix, ck.Model), (Checkpoint.OptimizerPrefix, ck.Optimizer) })
            foreach (var (k, t) in dict)
                if (t.DType.IsFloatingPoint() && !AllFinite(t)) throw Bad($"'{prefix}{k}' holds NaN or infinite values");
        try
        {
            _model.LoadStateDict(ck.Model);
            _optimizer.LoadStateDict(ck.Optimizer, restoreHyperParameters: !keepHyperParameters);
        }
        catch (NablaException e) { throw new NablaException($"{path}: {e.Message}", e); }
        _history.Clear();
        _history.AddRange(history);
        _referenceLoss = meta.Extra?["reference_loss"] is JsonValue rl && rl.TryGetValue(out double rv) && double.IsFinite(rv) && rv > 0 ? rv : double.NaN;
        ResumedOptions = meta.Options;
        if (_scheduler is not null && schedulerEpoch is int sch) _scheduler.SetEpoch(sch);
    }

    /// <summary>The history rows of meta.json: an array of objects whose epochs count 1, 2, … and whose losses are finite.</summary>
    private static List<EpochRecord> ReadHistory(JsonNode? node, Func<string, NablaException> bad)
    {
        if (node is null) return [];
        if (node is not JsonArray rows) throw bad($"meta.json 'history' must be an array of epoch records, got {Short(node)}");
        var list = new List<EpochRecord>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not JsonObject row) throw bad($"meta.json history row {i + 1} must be an object, got {Short(rows[i])}");
            EpochRecord? r;
            try { r = row.Deserialize<EpochRecord>(HistoryJson); }
            catch (JsonException e) { throw bad($"meta.json history row {i + 1} has a field of the wrong type ({e.Path}): {Short(row)}"); }
            if (r is null) throw bad($"meta.json history row {i + 1} is empty");
            if (r.Epoch != i + 1) throw bad($"meta.json history row {i + 1} records epoch {r.Epoch}");
            if (!double.IsFinite(r.TrainLoss)) throw bad($"meta.json history row {i + 1} has a non-finite training loss {r.TrainLoss}");
            list.Add(r);
        }
        return list;
    }

    private static string Short(JsonNode? n)
    {
        string s = n?.ToJsonString() ?? "null";
        return s.Length <= 60 ? s : s[..57] + "...";
    }
}
