using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Nabla.IO;

namespace Nabla.Training;

// Checkpoints: model, optimizer, scheduler position and history in one .npz, written atomically every epoch.
public sealed partial class Trainer
{
    private static readonly JsonSerializerOptions HistoryJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes model, optimizer, scheduler position and history to <paramref name="path"/> (atomic).</summary>
    public void SaveCheckpoint(string path)
    {
        var extra = new JsonObject
        {
            ["history"] = JsonSerializer.SerializeToNode(_history, HistoryJson),
            ["scheduler_epoch"] = _scheduler?.LastEpoch,
            ["seed"] = Options.Seed,
        };
        Checkpoint.Save(path, _model.StateDict(), _optimizer.StateDict(),
            new CheckpointMetadata { Epoch = EpochsDone, Step = _optimizer.StepCount, Extra = extra });
    }

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/>; <see cref="Fit"/> then continues
    /// from the next epoch and ends with the same weights as an uninterrupted run.</summary>
    public void Resume(string path)
    {
        var ck = Checkpoint.Load(path);
        _model.LoadStateDict(ck.Model);
        _optimizer.LoadStateDict(ck.Optimizer);
        _history.Clear();
        if (ck.Metadata.Extra?["history"] is JsonNode h)
            _history.AddRange(h.Deserialize<List<EpochRecord>>(HistoryJson) ?? []);
        if (_history.Count != ck.Metadata.Epoch)
            throw new Nabla.Tensors.NablaException($"Resume: checkpoint {path} records {ck.Metadata.Epoch} epochs but holds {_history.Count} history rows");
        if (_scheduler is not null && ck.Metadata.Extra?["scheduler_epoch"] is JsonNode se) _scheduler.SetEpoch((int)se);
    }
}
