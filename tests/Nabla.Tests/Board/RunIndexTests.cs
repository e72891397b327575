using Nabla.Board;

namespace Nabla.Tests.Board;

/// <summary>Finding runs under a root: nested folders, labs, hidden folders, status, and the change signature.</summary>
public class RunIndexTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nabla-board-index-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Runs_are_found_at_any_depth_and_hidden_or_build_folders_are_skipped()
    {
        RunFolders.Write(_root, "a", 2);
        RunFolders.Write(_root, "sweep/lr-0.1/seed-1", 3);
        RunFolders.WriteLab(_root, "labs/logic");
        RunFolders.Write(_root, ".trash/old", 1);
        RunFolders.Write(_root, "a/obj", 1);
        Directory.CreateDirectory(Path.Combine(_root, "empty/deeper"));
        var runs = RunIndex.Scan(new RunsRoot(_root));
        Assert.Equal(["a", "labs/logic", "sweep/lr-0.1/seed-1"], runs.Select(r => r.Id));
        Assert.Equal(["train", "lab", "train"], runs.Select(r => r.Kind));
        Assert.Equal(3, (int)runs[2].Final["epochs"]!);
        Assert.Equal(["labs/logic/fig.svg"], runs[1].Figures);
        Assert.Equal("labs/logic/report.md", runs[1].Report);
        Assert.Equal(0.75, (double)runs[1].Final["xor_accuracy"]!);
    }

    [Fact]
    public void Status_is_finished_with_a_final_file_and_running_while_only_the_log_grows()
    {
        RunFolders.Write(_root, "done", 2);
        string live = RunFolders.Write(_root, "live", 1, final: false);
        string stale = RunFolders.Write(_root, "stale", 1, final: false);
        File.SetLastWriteTimeUtc(Path.Combine(stale, "metrics.jsonl"), DateTime.UtcNow - RunIndex.RunningWindow - TimeSpan.FromMinutes(1));
        var status = RunIndex.Scan(new RunsRoot(_root)).ToDictionary(r => r.Id, r => r.Status);
        Assert.Equal("finished", status["done"]);
        Assert.Equal("running", status["live"]);
        Assert.Equal("incomplete", status["stale"]); // killed: the log stopped and no metrics.json came
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public void The_signature_moves_when_an_epoch_is_appended_and_not_otherwise()
    {
        string dir = RunFolders.Write(_root, "a", 2, final: false);
        var root = new RunsRoot(_root);
        long before = RunIndex.Signature(root);
        Assert.Equal(before, RunIndex.Signature(root));
        File.WriteAllText(Path.Combine(dir, "notes.bin"), "not a run file");
        Assert.Equal(before, RunIndex.Signature(root));
        RunFolders.Append(dir, RunFolders.Epoch(3));
        Assert.NotEqual(before, RunIndex.Signature(root));
    }

    [Fact]
    public void A_run_folder_as_json_carries_config_final_and_warnings()
    {
        string dir = RunFolders.Write(_root, "a", 2);
        File.AppendAllText(Path.Combine(dir, "metrics.jsonl"), "garbage\n{\"epoch\": 3}\n");
        var json = Assert.Single(RunIndex.Scan(new RunsRoot(_root))).ToJson();
        Assert.Equal("a", (string?)json["id"]);
        Assert.Equal("mlp", (string?)json["config"]!["model"]);
        Assert.Equal(3, (int)json["final"]!["epochs"]!);
        Assert.Equal("metrics.jsonl line 3: not JSON", ((string?)json["warnings"]![0])![..30]);
    }
}
