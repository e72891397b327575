using System.Globalization;
using Nabla.IO;

namespace Nabla.Tests.Distributed;

/// <summary>A rank that dies, raises or hangs ends the whole job with a message naming the rank and the cause, and
/// the checkpoint written before it loads and resumes to the same result as an uninterrupted run.</summary>
public class DistributedFaultTests
{
    private static readonly string[] Common = ["--batch", "8", "--samples", "256", "--epochs", "3"];

    [MpiFact]
    public void Killing_a_rank_mid_epoch_ends_the_job_and_the_checkpoint_resumes()
    {
        string dir = MpiRun.TempDir("kill"), reference = MpiRun.TempDir("reference");
        var job = MpiRun.Job(2, TimeSpan.FromSeconds(90), [.. Common, "--out", dir, "--kill-rank", "1", "--kill-epoch", "2", "--kill-batch", "5"]);
        Assert.True(job.ExitCode != 0 && job.ExitCode != -1, $"exit code {job.ExitCode} (-1: still running after 90 s)\n{job.Output}");
        Assert.Contains("rank 1", job.Output);
        Assert.Contains("signal 9 (Killed)", job.Output);
        var killedAt = new DateTime(long.Parse(File.ReadAllText(Path.Combine(dir, "killed.txt")), CultureInfo.InvariantCulture), DateTimeKind.Utc);
        Assert.True(job.Ended - killedAt < TimeSpan.FromSeconds(30), $"the job ended {(job.Ended - killedAt).TotalSeconds:F1} s after the rank was killed");

        var ck = Checkpoint.Load(Path.Combine(dir, "checkpoint.npz"));
        Assert.Equal(1, ck.Metadata.Epoch);                        // written after epoch 1; the kill came in epoch 2
        var resumed = MpiRun.Job(2, TimeSpan.FromMinutes(2), [.. Common, "--out", dir, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        var straight = MpiRun.Job(2, TimeSpan.FromMinutes(2), [.. Common, "--out", reference]);
        Assert.True(straight.ExitCode == 0, straight.Output);
        var a = Npz.Load(Path.Combine(dir, "final.npz"));
        var b = Npz.Load(Path.Combine(reference, "final.npz"));
        foreach (var (name, t) in a)
            Assert.Equal(b[name].ToDoubleArray(), t.ToDoubleArray());
        Directory.Delete(dir, true);
        Directory.Delete(reference, true);
    }

    [MpiFact]
    public void An_exception_on_one_rank_aborts_every_rank_with_its_message()
    {
        string dir = MpiRun.TempDir("raise");
        var job = MpiRun.Job(2, TimeSpan.FromSeconds(90), [.. Common, "--out", dir, "--raise-rank", "1", "--raise-epoch", "2", "--raise-batch", "3"]);
        Assert.True(job.ExitCode != 0 && job.ExitCode != -1, $"exit code {job.ExitCode}\n{job.Output}");
        Assert.Contains("rank 1 of 2 failed: InvalidOperationException: injected failure after batch 3 of epoch 2", job.Output);
        Assert.Equal(1, Checkpoint.Load(Path.Combine(dir, "checkpoint.npz")).Metadata.Epoch);
        Directory.Delete(dir, true);
    }

    [MpiFact]
    public void A_hung_rank_makes_the_others_time_out_and_abort()
    {
        string dir = MpiRun.TempDir("hang");
        var job = MpiRun.Job(2, TimeSpan.FromSeconds(90), [.. Common, "--out", dir, "--timeout", "3", "--hang-rank", "1", "--hang-epoch", "1", "--hang-batch", "2"]);
        Assert.True(job.ExitCode != 0 && job.ExitCode != -1, $"exit code {job.ExitCode} (-1: the job hung)\n{job.Output}");
        Assert.Contains("rank 0 of 2 failed: DistributedTimeoutException", job.Output);
        Assert.Contains("did not complete within 3 s", job.Output);
        Directory.Delete(dir, true);
    }
}
