using Nabla.Cli.Composition;

namespace Nabla.Tests.Cli;

/// <summary>The data of one rank of a data-parallel run (<c>mpirun … nabla train</c>): every epoch the ranks' shards
/// split the same training rows a single-process run trains on, and validation stays whole. No MPI needed.</summary>
public class TrainDataShardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-shard-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static List<float> Features(IEnumerable<(Tensor Input, Tensor Target)> batches) =>
        batches.SelectMany(b => b.Input.ToArray<float>()).ToList();

    [Fact]
    public void The_shards_of_two_ranks_partition_the_training_rows_every_epoch_and_validation_stays_whole()
    {
        // 100 rows whose one feature is the row number (distinct after standardising); 10 rows held out for validation.
        string csv = Path.Combine(_dir, "rows.csv");
        File.WriteAllLines(csv, ["x,y", .. Enumerable.Range(0, 100).Select(i => $"{i},{(i % 2 == 0 ? "even" : "odd")}")]);
        var o = new TrainOptions { Model = "mlp", Data = csv, Target = "y", BatchSize = 8, Seed = 3 };
        var whole = TrainData.Load(o, TextWriter.Null);
        var rank0 = TrainData.Load(o, TextWriter.Null, new TrainData.DataShard(2, 0));
        var rank1 = TrainData.Load(o, TextWriter.Null, new TrainData.DataShard(2, 1));
        var all = Features(whole.TrainEpoch(0)).Order().ToList();
        Assert.Equal(90, all.Count);
        Assert.Equal(6, rank0.BatchesPerEpoch);   // 45 rows per rank in batches of 8
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var a = Features(rank0.TrainEpoch(epoch));
            var b = Features(rank1.TrainEpoch(epoch));
            Assert.Equal(45, a.Count);
            Assert.Equal(45, b.Count);
            Assert.Empty(a.Intersect(b));
            Assert.Equal(all, a.Concat(b).Order().ToList());
        }
        Assert.NotEqual(Features(rank0.TrainEpoch(0)), Features(rank0.TrainEpoch(1)));   // reshuffled per epoch
        Assert.Equal(Features(whole.Validation!()), Features(rank0.Validation!()));
        Assert.Equal(10, Features(rank1.Validation!()).Count);
    }
}
