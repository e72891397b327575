using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Nabla.IO;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train` as a real child process (the built Nabla.Cli.dll started with `dotnet`): SIGINT and SIGKILL after the
/// first epoch line, two runs into one folder, exit codes of usage errors. No timing assertion: each test waits for a
/// line on the child's stdout (with a generous deadline that only guards against a hung child).
/// </summary>
public class TrainProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainproc-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed class Child : IDisposable
    {
        public readonly Process Process;
        public readonly BlockingCollection<string> Lines = new();
        public readonly List<string> Stdout = [];
        public readonly System.Text.StringBuilder Stderr = new();

        public Child(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
        {
            // Through `env --default-signal=INT` (GNU coreutils ≥ 8.31), which execs dotnet with SIGINT's default
            // disposition: a test run started in the background (`cmd &`, nohup, some CI runners) inherits SIGINT
            // *ignored*, the child would inherit that too, and the Ctrl-C path would never be exercised.
            var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("--default-signal=INT");
            psi.ArgumentList.Add("dotnet");
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
            Process = Process.Start(psi)!;
            Process.OutputDataReceived += (_, e) => { if (e.Data is null) { Lines.CompleteAdding(); return; } lock (Stdout) Stdout.Add(e.Data); Lines.Add(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Stderr) Stderr.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        /// <summary>Blocks until a stdout line matches (true) or the child's output ends (false).</summary>
        public bool WaitForLine(Func<string, bool> match)
        {
            var until = DateTime.UtcNow + Deadline;
            while (DateTime.UtcNow < until)
            {
                if (Lines.TryTake(out var line, TimeSpan.FromSeconds(1))) { if (match(line)) return true; }
                else if (Lines.IsCompleted) return false;
            }
            return false;
        }

        public int Exit()
        {
            if (!Process.WaitForExit(Deadline)) { Process.Kill(true); throw new TimeoutException("the child did not exit"); }
            Process.WaitForExit();
            return Process.ExitCode;
        }

        public int EpochLines() { lock (Stdout) return Stdout.Count(IsEpochLine); }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(true);
            Process.Dispose();
        }
    }

    private static bool IsEpochLine(string l) => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+\d+/\d+\s");

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private string[] Train(string sub, int epochs, params string[] more) =>
        ["train", "mlp", "--epochs", epochs.ToString(), "--limit", "2000", "--validation", "1000", "--hidden", "32", "--out", Path.Combine(_dir, sub), .. more];

    private static int JsonlLines(string dir) => File.Exists(Path.Combine(dir, "metrics.jsonl")) ? File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Length : 0;

    [RequiresDataFact]
    public void Sigint_stops_after_the_current_batch_writes_metrics_json_and_exits_130()
    {
        if (OperatingSystem.IsWindows()) return;   // SIGINT is POSIX
        string dir = Path.Combine(_dir, "int");
        using var child = new Child(Train("int", 500));
        Assert.True(child.WaitForLine(IsEpochLine), "no epoch line: " + child.Stderr);
        Assert.Equal(0, kill(child.Process.Id, 2));
        Assert.Equal(130, child.Exit());
        int printed = child.EpochLines();
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.Equal("interrupted", (string)metrics["stop_reason"]!);
        int good = (int)metrics["last_good_epoch"]!;
        Assert.InRange(printed, 1, good);
        Assert.Equal(good, JsonlLines(dir));
        Assert.Equal(good, metrics["history"]!.AsArray().Count);
        Assert.Equal(good, Checkpoint.Load(Path.Combine(dir, "checkpoint.npz")).Metadata.Epoch);
        Assert.NotNull(metrics["test_accuracy"]);                  // the model of the last good epoch, evaluated
        Assert.Contains("interrupted", child.Stderr.ToString());

        // it continues with --resume (few epochs: only that it goes on from the checkpoint)
        using var resume = new Child(Train("int", good + 1, "--resume", "--quiet"));
        Assert.Equal(0, resume.Exit());
        Assert.Equal(good + 1, JsonlLines(dir));
    }

    [RequiresDataFact]
    public void Sigkill_leaves_every_finished_epoch_a_loadable_checkpoint_and_a_folder_that_refuses_a_new_run()
    {
        string dir = Path.Combine(_dir, "kill");
        using var child = new Child(Train("kill", 500));
        Assert.True(child.WaitForLine(IsEpochLine), "no epoch line: " + child.Stderr);
        child.Process.Kill();                                      // SIGKILL
        child.Process.WaitForExit();
        int printed = child.EpochLines();
        int logged = JsonlLines(dir);
        var ck = Checkpoint.Load(Path.Combine(dir, "checkpoint.npz"));
        Assert.InRange(printed, 1, logged);                        // every epoch shown on the console is in metrics.jsonl
        Assert.InRange(logged, ck.Metadata.Epoch - 1, ck.Metadata.Epoch);   // and the checkpoint is at most one write ahead
        foreach (var l in File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"))) JsonNode.Parse(l);

        using var again = new Child(Train("kill", 3));             // a new run into the folder: refused, usage error
        Assert.Equal(2, again.Exit());
        Assert.Contains("already holds an unfinished run", again.Stderr.ToString());
        Assert.Contains("--resume", again.Stderr.ToString());
        Assert.Contains(again.Stdout, l => l.Contains("took over the stale lock"));   // the killed run's lock, taken over

        int epochs = ck.Metadata.Epoch + 1;
        using var resume = new Child(Train("kill", epochs, "--resume"));
        Assert.Equal(0, resume.Exit());
        Assert.Equal(epochs, JsonlLines(dir));
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp"));
    }

    [RequiresDataFact]
    public void Two_concurrent_runs_into_one_folder_the_second_is_refused_by_the_lock()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Path.Combine(_dir, "conc");
        using var first = new Child(Train("conc", 500));
        Assert.True(first.WaitForLine(IsEpochLine), "no epoch line: " + first.Stderr);
        using var second = new Child(Train("conc", 3, "--resume"));
        Assert.Equal(2, second.Exit());
        Assert.Contains("in use by another training run", second.Stderr.ToString());
        Assert.Equal(0, kill(first.Process.Id, 2));
        Assert.Equal(130, first.Exit());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.True(JsonNode.DeepEquals(config, metrics["options"]));   // one run's files
        Assert.Equal(500, (int)config["epochs"]!);
    }

    [RequiresDataFact]
    public void Usage_errors_exit_2_with_a_short_message_and_no_dotnet_names()
    {
        foreach (var args in new[]
        {
            Train("u1", 2, "--lr", "NaN"), Train("u2", 2, "--momentum", "5"), Train("u3", 2, "--hidden", "99999999999"),
            ["train", "mlp", "--epochs", "NaN"], ["train", "mlp", "--epoch", "3"], ["train", "mlp", "--seed", "-1"],
            Train("u4", 2147483647, "--schedule", "onecycle"), ["summary", "mlp", "--hidden", "99999999999"], ["frobnicate"],
        })
        {
            using var c = new Child(args);
            Assert.Equal(2, c.Exit());
            string err = c.Stderr.ToString().Trim();
            var lines = err.Split('\n');
            Assert.InRange(lines.Length, 1, 2);
            Assert.DoesNotContain("System.", err);
            Assert.DoesNotContain("Exception", err);
            Assert.StartsWith("nabla", err);
        }
    }

    [Fact]
    public void Without_data_anywhere_the_default_data_set_is_not_downloaded_and_the_message_says_how_to_ask()
    {
        // The probe's sec_train_nodata: `train mlp` names no data set, finds none, and must fail without touching the
        // network; naming it (`--data mnist`) is what asks for the download (issue 14).
        if (Directory.Exists("/usr/share/datasets/mnist")) return;   // a system-wide MNIST (a Debian package) would be found
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty-home")).FullName;
        var env = new Dictionary<string, string> { ["NABLA_DATA"] = empty, ["HOME"] = empty };
        using var c = new Child(["train", "mlp", "--epochs", "1", "--out", Path.Combine(_dir, "nodata")], env);
        Assert.Equal(1, c.Exit());
        string err = c.Stderr.ToString();
        Assert.Contains("MNIST not found", err);
        Assert.Contains("'--data mnist' downloads it", err);
        Assert.DoesNotContain(c.Stdout, l => l.Contains("downloading"));
        Assert.False(Directory.Exists(Path.Combine(empty, "mnist")), "nothing was to be fetched, so no data folder is made");
    }
}
