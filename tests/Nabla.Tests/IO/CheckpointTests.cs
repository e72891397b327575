using System.IO.Compression;
using System.Text.Json.Nodes;
using Nabla.IO;

namespace Nabla.Tests.IO;

public class CheckpointTests
{
    private static Dictionary<string, Tensor> Model() => new()
    {
        ["layers.0.weight"] = Tensor.Randn([4, 3], generator: new Generator(1)),
        ["layers.0.bias"] = Tensor.Zeros(4),
        ["bn.running_mean"] = Tensor.Randn([4], dtype: DType.Float64, generator: new Generator(2)),
    };

    private static Dictionary<string, Tensor> Optim() => new()
    {
        ["state.0.exp_avg"] = Tensor.Ones(4, 3),
        ["state.0.step"] = Tensor.Scalar(10, DType.Int32),
    };

    [Theory, InlineData(false), InlineData(true)]
    public void Round_trip_restores_model_optimizer_and_metadata(bool compress)
    {
        using var dir = new TempDir();
        string path = dir.File("ckpt.npz");
        var meta = new CheckpointMetadata
        {
            Epoch = 3,
            Step = 12_345_678_901,
            Options = new JsonObject { ["lr"] = 0.01, ["optimizer"] = "adam", ["betas"] = new JsonArray(0.9, 0.999) },
            Extra = new JsonObject { ["seed"] = 42, ["best_val_loss"] = 0.125 },
        };
        Checkpoint.Save(path, Model(), Optim(), meta, compress);
        var c = Checkpoint.Load(path);
        foreach (var (want, got) in new[] { (Model(), c.Model), (Optim(), c.Optimizer) })
        {
            Assert.Equal(want.Keys, got.Keys);
            foreach (var (k, t) in want)
            {
                Assert.Equal(t.DType, got[k].DType);
                TestUtil.AssertShape(got[k], t.Shape.ToArray());
                Assert.Equal(t.ToDoubleArray(), got[k].ToDoubleArray());
            }
        }
        Assert.Equal(3, c.Metadata.Epoch);
        Assert.Equal(12_345_678_901, c.Metadata.Step);
        Assert.Equal(0.01, (double)c.Metadata.Options!["lr"]!);
        Assert.Equal("adam", (string)c.Metadata.Options["optimizer"]!);
        Assert.Equal(0.999, (double)c.Metadata.Options["betas"]![1]!);
        Assert.Equal(42, (int)c.Metadata.Extra!["seed"]!);

        // The layout other tools see: prefixed .npy entries plus a meta.json entry.
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("meta.json", names);
        Assert.Contains("model/layers.0.weight.npy", names);
        Assert.Contains("optim/state.0.exp_avg.npy", names);
        using var reader = new StreamReader(zip.GetEntry("meta.json")!.Open());
        var json = JsonNode.Parse(reader.ReadToEnd())!;
        Assert.Equal("nabla.checkpoint", (string)json["format"]!);
        Assert.Equal(3, (int)json["epoch"]!);
    }

    [Fact]
    public void Model_only_checkpoint_has_an_empty_optimizer_and_default_metadata()
    {
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        Checkpoint.Save(path, Model());
        var c = Checkpoint.Load(path);
        Assert.Equal(3, c.Model.Count);
        Assert.Empty(c.Optimizer);
        Assert.Equal(0, c.Metadata.Epoch);
        Assert.Null(c.Metadata.Options);
    }

    [Fact]
    public void A_plain_npz_or_a_damaged_metadata_entry_is_rejected_with_a_reason()
    {
        using var dir = new TempDir();
        string plain = dir.File("plain.npz");
        Npz.Save(plain, Model());
        var e = Assert.Throws<NpzFormatException>(() => Checkpoint.Load(plain));
        Assert.Contains("not a Nabla checkpoint", e.Message);
        Assert.Contains("plain.npz", e.Message);

        string bad = dir.File("bad.npz");
        using (var zip = ZipFile.Open(bad, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("meta.json").Open()))
            w.Write("{\"format\": \"nabla.checkpoint\", \"version\": 1, \"epoch\": ");
        e = Assert.Throws<NpzFormatException>(() => Checkpoint.Load(bad));
        Assert.Equal("meta.json", e.EntryName);
        Assert.Contains("invalid JSON", e.Message);

        File.Delete(bad);
        using (var zip = ZipFile.Open(bad, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("meta.json").Open()))
            w.Write("{\"format\": \"nabla.checkpoint\", \"version\": 7}");
        Assert.Contains("version 7 is newer", Assert.Throws<NpzFormatException>(() => Checkpoint.Load(bad)).Message);
    }

    [Fact]
    public void A_failed_save_keeps_the_previous_checkpoint()
    {
        using var dir = new TempDir();
        string path = dir.File("ckpt.npz");
        Checkpoint.Save(path, Model(), metadata: new CheckpointMetadata { Epoch = 1 });
        byte[] before = File.ReadAllBytes(path);
        var broken = new Dictionary<string, Tensor>(Model()) { [""] = Tensor.Ones(1) };   // rejected mid-write
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, broken, metadata: new CheckpointMetadata { Epoch = 2 }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, Checkpoint.Load(path).Metadata.Epoch);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
