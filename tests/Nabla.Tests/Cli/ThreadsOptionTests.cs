using System.Diagnostics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Cli;

/// <summary><c>--threads N</c> on any command and <see cref="Tensor.SetNumThreads"/> (torch.set_num_threads).</summary>
public class ThreadsOptionTests
{
    private static (int Code, string Out, string Err) Nabla(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void Threads_option_sets_the_kernels_thread_count_before_and_after_the_command_name()
    {
        var (code, output, _) = Nabla("--threads", "1", "info");
        Assert.Equal(0, code);
        Assert.Contains("threads    1 ", output);
        (code, output, _) = Nabla("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("threads    1 ", output);
        (code, output, _) = Nabla("info");
        Assert.Contains($"threads    {Environment.ProcessorCount} ", output);
    }

    [Fact]
    public void Bench_records_the_threads_option_not_the_core_count()
    {
        // The record once said "threads": ProcessorCount whatever --threads chose (cnn-train --threads 1 said 2).
        var (code, output, err) = Nabla("bench", "cnn-train", "--threads", "1", "--reps", "1", "--rep-seconds", "0.01");
        Assert.True(code == 0, err);
        var settings = System.Text.Json.Nodes.JsonNode.Parse(output.Trim().Split('\n')[^1])!["settings"]!;
        Assert.Equal(1, (int)settings["threads"]!);
        Assert.Equal(Environment.ProcessorCount, (int)settings["cores"]!);
    }

    [Fact]
    public void Threads_out_of_range_is_a_usage_error()
    {
        var (code, _, err) = Nabla("info", "--threads", "0");
        Assert.Equal(2, code);
        Assert.Contains("--threads must lie in 1..", err);
        (code, _, err) = Nabla("info", "--threads", (Environment.ProcessorCount + 1).ToString());
        Assert.Equal(2, code);
    }

    [Fact]
    public void SetNumThreads_checks_its_range_and_refuses_a_change_once_the_workers_exist()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.SetNumThreads(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.SetNumThreads(Environment.ProcessorCount + 1));
        // Make sure the pool has started (any parallel run does), then only the current value is accepted.
        ParallelFor.Run(Math.Max(2, ParallelFor.MaxDegree), _ => { });
        Tensor.SetNumThreads(Tensor.GetNumThreads());   // no change: fine
        // (A run made while another test holds the pool, or in solo mode, runs inline and starts nothing.)
        if (ParallelFor.IsStarted && Tensor.GetNumThreads() > 1)
            Assert.Contains("fixed once the first parallel kernel", Assert.Throws<InvalidOperationException>(() => Tensor.SetNumThreads(1)).Message);
    }
}
