using System.Diagnostics;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Composition;

/// <summary>
/// Shows training progress: a live line with epoch, batch, loss and throughput on an interactive terminal (redrawn
/// at most 10 times a second), and one table row per finished epoch everywhere (CI logs included).
/// </summary>
public sealed class ProgressReporter(int epochs, int batchesPerEpoch) : ITrainerCallback
{
    private readonly bool _live = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly Stopwatch _redraw = Stopwatch.StartNew();
    private bool _headerShown;

    public void OnEpochStart(int epoch, int batches) => Header();

    public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond)
    {
        if (!_live || _redraw.ElapsedMilliseconds < 100) return;
        _redraw.Restart();
        int width = 30, done = (int)((long)width * batch / Math.Max(batchesPerEpoch, 1));
        string bar = new string('█', Math.Min(done, width)) + new string('░', Math.Max(0, width - done));
        Console.Write($"\r  epoch {epoch + 1}/{epochs} {bar} {batch}/{batchesPerEpoch}  loss {loss:F4}  {samplesPerSecond:N0} samples/s   ");
    }

    public bool OnEpochEnd(EpochRecord r)
    {
        if (_live) Console.Write("\r" + new string(' ', Math.Max(0, Console.WindowWidth - 1)) + "\r");
        Header();
        Console.WriteLine($"{r.Epoch,5}/{epochs,-3} {r.TrainLoss,10:F4} {Pct(r.TrainAccuracy),9} {r.ValidationLoss,10:F4} {Pct(r.ValidationAccuracy),9} {r.LearningRate,10:G4} {r.Seconds,7:F1} {r.SamplesPerSecond,11:N0}");
        return true;
    }

    private void Header()
    {
        if (_headerShown) return;
        _headerShown = true;
        Console.WriteLine($"{"epoch",9} {"train loss",10} {"train acc",9} {"val loss",10} {"val acc",9} {"lr",10} {"sec",7} {"samples/s",11}");
    }

    private static string Pct(double v) => double.IsNaN(v) ? "-" : $"{100 * v:F2}%";
}
