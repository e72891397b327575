using System.Diagnostics;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Composition;

/// <summary>
/// Shows training progress: a live line with epoch, batch, loss, throughput and the estimated time to the end of the
/// run on an interactive terminal (redrawn at most 10 times a second), and one table row per finished epoch
/// everywhere (CI logs included), ending with the ETA. The ETA is the batches left in the run times the mean time per
/// batch so far in this session (validation passes included). <c>--quiet</c> leaves the reporter out.
/// </summary>
public sealed class ProgressReporter(int epochs, int batchesPerEpoch, int startEpoch = 0) : ITrainerCallback
{
    private readonly bool _live = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly Stopwatch _redraw = Stopwatch.StartNew();
    private readonly Stopwatch _session = new();
    private long _batchesDone;
    private bool _headerShown;

    /// <inheritdoc/>
    public void OnEpochStart(int epoch, int batches)
    {
        _session.Start();
        Header();
    }

    /// <inheritdoc/>
    public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond)
    {
        _batchesDone++;
        if (!_live || _redraw.ElapsedMilliseconds < 100) return;
        _redraw.Restart();
        int width = 30, done = (int)((long)width * batch / Math.Max(batchesPerEpoch, 1));
        string bar = new string('█', Math.Min(done, width)) + new string('░', Math.Max(0, width - done));
        long left = (long)(epochs - epoch - 1) * batchesPerEpoch + Math.Max(0, batchesPerEpoch - batch);
        Console.Write($"\r  epoch {epoch + 1}/{epochs} {bar} {batch}/{batchesPerEpoch}  loss {loss:F4}  {samplesPerSecond:N0} samples/s  ETA {Eta(left)}   ");
    }

    /// <inheritdoc/>
    public bool OnEpochEnd(EpochRecord r)
    {
        if (_live) Console.Write("\r" + new string(' ', Math.Max(0, Console.WindowWidth - 1)) + "\r");
        Header();
        _batchesDone = Math.Max(_batchesDone, (long)(r.Epoch - startEpoch) * batchesPerEpoch);
        long left = (long)(epochs - r.Epoch) * batchesPerEpoch;
        Console.WriteLine($"{r.Epoch,5}/{epochs,-3} {r.TrainLoss,10:F4} {Pct(r.TrainAccuracy),9} {r.ValidationLoss,10:F4} {Pct(r.ValidationAccuracy),9} {r.LearningRate,10:G4} {r.Seconds,7:F1} {r.SamplesPerSecond,11:N0} {Eta(left),9}");
        return true;
    }

    /// <summary>h:mm:ss (or m:ss) for <paramref name="batchesLeft"/> at this session's pace; "-" before the first batch.</summary>
    private string Eta(long batchesLeft)
    {
        if (batchesLeft <= 0) return "0:00";
        if (_batchesDone == 0) return "-";
        var t = TimeSpan.FromSeconds(_session.Elapsed.TotalSeconds / _batchesDone * batchesLeft);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }

    private void Header()
    {
        if (_headerShown) return;
        _headerShown = true;
        Console.WriteLine($"{"epoch",9} {"train loss",10} {"train acc",9} {"val loss",10} {"val acc",9} {"lr",10} {"sec",7} {"samples/s",11} {"ETA",9}");
    }

    private static string Pct(double v) => double.IsNaN(v) ? "-" : $"{100 * v:F2}%";
}
