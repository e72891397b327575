using Nabla.Cli.Commands;
using Nabla.Cli.Composition;

namespace Nabla.Tests.Cli;

/// <summary>The run folder's lock, stale-lock takeover, clean-up and numbering (no data needed).</summary>
public class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_locked_folder_is_refused_until_its_owner_releases_it()
    {
        string run = Path.Combine(_dir, "run");
        using (var first = RunFolder.Acquire(run))
        {
            File.WriteAllText(Path.Combine(run, "model.npz"), "x");   // something, so the folder stays after release
            var ex = Assert.Throws<UsageException>(() => RunFolder.Acquire(run));
            Assert.Contains("in use by another training run", ex.Message);
            Assert.Contains(run, ex.Message);
            Assert.Null(first.StaleOwner);
        }
        using var again = RunFolder.Acquire(run);                       // released: acquirable, and not stale (clean exit)
        Assert.Null(again.StaleOwner);
        Assert.Equal(["model.npz"], again.ExistingResults());
    }

    [Fact]
    public void A_stale_lock_of_a_killed_run_is_taken_over_and_its_temporaries_removed()
    {
        string run = Path.Combine(_dir, "killed");
        Directory.CreateDirectory(run);
        // what a run killed with SIGKILL leaves: the lock file still naming it (the kernel dropped the lock itself) and a half-written temp
        File.WriteAllText(Path.Combine(run, RunFolder.LockName), "pid 12345 on host since 2026-01-01T00:00:00Z\n");
        File.WriteAllText(Path.Combine(run, ".checkpoint.npz.0f0f.tmp"), "half");
        using var f = RunFolder.Acquire(run);
        Assert.Contains("pid 12345", f.StaleOwner);
        Assert.Equal([".checkpoint.npz.0f0f.tmp"], f.RemovedTemporaries);
        Assert.False(File.Exists(Path.Combine(run, ".checkpoint.npz.0f0f.tmp")));
    }

    [Fact]
    public void Out_that_is_a_file_is_a_usage_error_naming_it()
    {
        string file = Path.Combine(_dir, "afile");
        File.WriteAllText(file, "");
        Assert.Contains(file, Assert.Throws<UsageException>(() => RunFolder.Acquire(file)).Message);
        Assert.Contains(file, Assert.Throws<IOException>(() => RunFolder.Acquire(Path.Combine(file, "sub"))).Message);
    }

    [Fact]
    public void Numbered_folders_count_up_and_an_unused_new_folder_is_removed_on_release()
    {
        using (var a = RunFolder.CreateNumbered(_dir, "mlp-mnist"))
        {
            Assert.EndsWith("mlp-mnist-001", a.Path);
            File.WriteAllText(Path.Combine(a.Path, "config.json"), "{}");
            using var b = RunFolder.CreateNumbered(_dir, "mlp-mnist");
            Assert.EndsWith("mlp-mnist-002", b.Path);
        }
        Assert.True(Directory.Exists(Path.Combine(_dir, "mlp-mnist-001")));    // holds a file: kept
        Assert.False(Directory.Exists(Path.Combine(_dir, "mlp-mnist-002")));   // nothing written: removed again
    }

    [Theory]
    [InlineData("Cannot parse argument 'NaN' for option '--epochs' as expected type 'System.Nullable`1[System.Int32]'.", "--epochs: 'NaN' is not an integer")]
    [InlineData("Cannot parse argument '-1' for option '--seed' as expected type 'System.UInt64'.", "--seed: '-1' is not a non-negative integer")]
    [InlineData("Mnist.Load: ValidationCount 60000 must lie in 0..59999 (Parameter 'options')", "Mnist.Load: ValidationCount 60000 must lie in 0..59999")]
    public void Messages_lose_their_dotnet_internals(string raw, string expected)
    {
        string clean = CliErrors.Clean(raw);
        Assert.StartsWith(expected, clean);
        Assert.DoesNotContain("System.", clean);
        Assert.DoesNotContain("(Parameter", clean);
    }

    [Fact]
    public void Options_are_range_checked_before_anything_is_allocated()
    {
        foreach (var bad in new TrainOptions[]
        {
            new() { LearningRate = double.NaN }, new() { LearningRate = double.PositiveInfinity }, new() { LearningRate = 0 },
            new() { Momentum = double.NaN }, new() { Momentum = 5 }, new() { WeightDecay = double.NaN }, new() { WeightDecay = -1 },
            new() { Dropout = double.NaN }, new() { Dropout = 1 }, new() { ClipGradNorm = double.NaN }, new() { ClipGradNorm = 0 },
            new() { Hidden = [0] }, new() { Epochs = 0 }, new() { Out = " " }, new() { Resume = true, Overwrite = true },
        })
            Assert.Throws<UsageException>(() => bad.Validate());
        var huge = new TrainOptions { Hidden = [3_000_000] }.Resolved();
        Assert.Contains("a tensor holds at most", Assert.Throws<UsageException>(() => ModelFactory.CheckSize(huge, [1, 28, 28], 10)).Message);
        var opt = OptimizerFactory.Create("sgd", [Tensor.Zeros([1], requiresGrad: true)], 0.1, 0, 0);
        Assert.Contains("more than the schedule can count", Assert.Throws<UsageException>(() => OptimizerFactory.Schedule("onecycle", opt, int.MaxValue, 16)).Message);
        Assert.Contains("'abc'", Assert.Throws<UsageException>(() => TrainCommandParse("abc")).Message);
        Assert.Contains("out of range", Assert.Throws<UsageException>(() => TrainCommandParse("99999999999")).Message);
    }

    private static int[]? TrainCommandParse(string s) => TrainCommand.ParseInts(s, "--hidden");
}
