using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.IO;

/// <summary>
/// A training checkpoint: one .npz archive holding the model state dict under "model/&lt;key&gt;.npy", the optimizer
/// state dict under "optim/&lt;key&gt;.npy", and a "meta.json" ZIP entry with <see cref="CheckpointMetadata"/> (UTF-8
/// JSON, readable with <c>unzip -p ckpt.npz meta.json</c>; <c>np.load</c> sees the arrays as "model/fc.weight").
/// Saving is atomic: a crash during <see cref="Save"/> leaves the previous checkpoint intact.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>Entry-name prefix of the model's arrays ("model/fc.weight.npy").</summary>
    public const string ModelPrefix = "model/";
    /// <summary>Entry-name prefix of the optimizer's arrays ("optim/state.0.exp_avg.npy").</summary>
    public const string OptimizerPrefix = "optim/";
    /// <summary>The ZIP entry holding <see cref="CheckpointMetadata"/> as JSON.</summary>
    public const string MetadataEntry = "meta.json";

    private Checkpoint(Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, CheckpointMetadata metadata)
    {
        Model = model;
        Optimizer = optimizer;
        Metadata = metadata;
    }

    /// <summary>Model state dict (parameters and buffers by dotted path).</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }

    /// <summary>Optimizer state dict (empty when none was saved).</summary>
    public IReadOnlyDictionary<string, Tensor> Optimizer { get; }

    /// <summary>Epoch, step, options and other bookkeeping saved with the arrays.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>Writes a checkpoint atomically; <paramref name="compress"/> deflates the arrays.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> model,
        IReadOnlyDictionary<string, Tensor>? optimizer = null, CheckpointMetadata? metadata = null, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        byte[] meta = JsonSerializer.SerializeToUtf8Bytes((metadata ?? new CheckpointMetadata()).ToJson(),
            new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            var entry = zip.CreateEntry(MetadataEntry, CompressionLevel.NoCompression);
            entry.LastWriteTime = Npz.FixedTimestamp;
            using (var es = entry.Open()) es.Write(meta);
            Npz.WriteEntries(zip, model, ModelPrefix, compress);
            if (optimizer is not null) Npz.WriteEntries(zip, optimizer, OptimizerPrefix, compress);
        });
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>. Every array is checked against
    /// <paramref name="limits"/> before it is allocated (<see cref="Npz.Load"/>), and the meta.json entry against
    /// <see cref="ReadLimits.MaxTextBytes"/> (a <see cref="FileTooLargeException"/> naming the file and the limit).</summary>
    public static Checkpoint Load(string path, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        CheckpointMetadata? metadata = null;
        var all = Npz.Read(path, entry =>
        {
            if (entry.FullName != MetadataEntry)
                throw new NpzFormatException(path, entry.FullName, "unexpected entry in a Nabla checkpoint");
            Exception Fail(string problem) => new NpzFormatException(path, MetadataEntry, problem);
            JsonNode? node;
            byte[] json;
            using (var es = entry.Open()) json = BoundedText.ReadStream(es, path, MetadataEntry, limits, entry.Length);
            try { node = JsonNode.Parse(json); }
            catch (JsonException e)
            {
                throw new NpzFormatException(path, MetadataEntry, $"invalid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})", e);
            }
            metadata = CheckpointMetadata.FromJson(node, Fail);
        }, limits);
        if (metadata is null)
            throw new NpzFormatException(path, null, $"not a Nabla checkpoint: no '{MetadataEntry}' entry (use Npz.Load for plain .npz files)");
        var model = new Dictionary<string, Tensor>();
        var optim = new Dictionary<string, Tensor>();
        foreach (var (key, t) in all)
        {
            if (key.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[key[ModelPrefix.Length..]] = t;
            else if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optim[key[OptimizerPrefix.Length..]] = t;
            else throw new NpzFormatException(path, key + ".npy", $"array outside '{ModelPrefix}' and '{OptimizerPrefix}' in a Nabla checkpoint");
        }
        return new Checkpoint(model, optim, metadata);
    }
}
