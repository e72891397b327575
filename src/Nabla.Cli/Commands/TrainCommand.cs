using System.CommandLine;
using System.Runtime.InteropServices;
using Nabla.Cli.Composition;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train MODEL --data DATA [...]</c>: trains, evaluates on the test set, writes OUT/metrics.json,
/// metrics.jsonl, metrics.csv, model.npz, checkpoint.npz, config.json and curves (see <see cref="TrainRun"/> for the
/// run folder's life). Exit codes: 0 done, 1 failed or diverged, 2 bad usage, 130 interrupted (Ctrl-C / SIGINT, SIGTERM:
/// training stops after the current batch and metrics.json is written with "stop_reason": "interrupted").</summary>
public static class TrainCommand
{
    /// <summary>Builds the <c>nabla train</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "model: " + string.Join(", ", ModelFactory.Names) };
        model.AcceptOnlyFromAmong(ModelFactory.Names);
        var data = new Option<string>("--data") { Description = "a built-in dataset (" + string.Join(", ", TrainData.BuiltIn) + "), a folder of images with one sub-folder per class (or with train/ and val/ folders), or a .csv table (with --target)", DefaultValueFactory = _ => "mnist" };
        var dataRoot = new Option<string?>("--data-root") { Description = "data root (default: $NABLA_DATA, then ~/.nabla/data)" };
        var epochs = new Option<int?>("--epochs") { Description = "epochs (model default)" };
        var batch = new Option<int?>("--batch-size") { Description = "mini-batch size" };
        var lr = new Option<double?>("--lr") { Description = "learning rate" };
        var optimizer = new Option<string?>("--optimizer") { Description = "optimizer: " + string.Join(", ", OptimizerFactory.Names) };
        optimizer.AcceptOnlyFromAmong(OptimizerFactory.Names);
        var momentum = new Option<double?>("--momentum") { Description = "momentum (momentum, nesterov)" };
        var wd = new Option<double?>("--weight-decay") { Description = "L2 weight decay" };
        var schedule = new Option<string?>("--schedule") { Description = "learning-rate schedule: " + string.Join(", ", OptimizerFactory.Schedules) };
        schedule.AcceptOnlyFromAmong(OptimizerFactory.Schedules);
        var init = new Option<string?>("--init") { Description = "weight init: default, " + string.Join(", ", Nabla.NN.InitSchemes.Names) };
        var activation = new Option<string?>("--activation") { Description = "activation: " + string.Join(", ", Nabla.NN.Activation.Names) };
        var hidden = new Option<string?>("--hidden") { Description = "hidden layer widths, comma-separated (e.g. 512,512)" };
        var dropout = new Option<double?>("--dropout") { Description = "dropout rate after each hidden layer" };
        var batchNorm = new Option<bool?>("--batch-norm") { Description = "BatchNorm after each hidden layer" };
        var validation = new Option<double?>("--validation") { Description = "held out for validation: a count (default 10000 for MNIST, the standard 50k/10k/10k split) or a fraction below 1 (default 0.1 for your own data)" };
        var target = new Option<string?>("--target") { Description = "tables: the column to predict" };
        var task = new Option<string>("--task") { Description = "tables: auto (classification for text or ≤ 20 distinct integers, else regression), classification, regression", DefaultValueFactory = _ => "auto" };
        task.AcceptOnlyFromAmong("auto", "classification", "regression");
        var missing = new Option<string>("--missing") { Description = "tables: a missing numeric value is an error, or the training mean", DefaultValueFactory = _ => "error" };
        missing.AcceptOnlyFromAmong("error", "mean");
        var imageSize = new Option<int?>("--image-size") { Description = "image folders: resize every image to N×N (default 64)" };
        var grayscale = new Option<bool>("--grayscale") { Description = "image folders: read images as one grey channel" };
        var augment = new Option<string?>("--augment") { Description = "image augmentation, comma-separated: flip, crop" };
        var widths = new Option<string?>("--widths") { Description = "channel widths of the conv stages (cnn default 16,32; resnet 16,32,64)" };
        var noDownload = new Option<bool>("--no-download") { Description = "never download a missing built-in dataset (only one named with --data is ever downloaded; the default is not)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed (same seed, same machine: same result)", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out") { Description = $"output folder (default: a new folder {RunFolder.DefaultParent}/MODEL-DATA-NNN); one that holds a run needs --resume or --overwrite" };
        var resume = new Option<bool>("--resume") { Description = "continue from OUT/checkpoint.npz if it exists (with the settings given here)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace the run in OUT (its files go when this run saves its first good epoch)" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress line and no per-epoch table" };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "clip the global gradient norm" };
        var limit = new Option<int?>("--limit") { Description = "use only the first N training examples (quick runs)" };
        var cmd = new Command("train", "train a model, evaluate it on the test set, write metrics.json, model.npz and curves.png")
        {
            model, data, dataRoot, epochs, batch, lr, optimizer, momentum, wd, schedule, init, activation, hidden, dropout, batchNorm,
            validation, seed, outDir, resume, overwrite, quiet, clip, limit, target, task, missing, imageSize, grayscale, augment, widths, noDownload,
        };
        cmd.SetAction(p => CliErrors.Run("train", () =>
        {
            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, interrupt));
            var o = new TrainOptions
            {
                Model = p.GetValue(model)!, Data = p.GetValue(data)!, DataRoot = p.GetValue(dataRoot), Epochs = p.GetValue(epochs),
                BatchSize = p.GetValue(batch), LearningRate = p.GetValue(lr), Optimizer = p.GetValue(optimizer), Momentum = p.GetValue(momentum),
                WeightDecay = p.GetValue(wd), Schedule = p.GetValue(schedule), Init = p.GetValue(init), Activation = p.GetValue(activation),
                Hidden = ParseInts(p.GetValue(hidden), "--hidden"), Dropout = p.GetValue(dropout), BatchNorm = p.GetValue(batchNorm),
                ValidationCount = p.GetValue(validation) is >= 1 and var count ? (int)count : null,
                ValidationFraction = p.GetValue(validation) is < 1 and var fraction ? fraction : null,
                Target = p.GetValue(target), Task = p.GetValue(task)!, Missing = p.GetValue(missing)!, ImageSize = p.GetValue(imageSize),
                Grayscale = p.GetValue(grayscale), Augment = p.GetValue(augment), Widths = ParseInts(p.GetValue(widths), "--widths"),
                NoDownload = p.GetValue(noDownload), DataImplicit = p.GetResult(data) is null or { Implicit: true }, Seed = p.GetValue(seed), Out = p.GetValue(outDir), Resume = p.GetValue(resume),
                Overwrite = p.GetValue(overwrite), Quiet = p.GetValue(quiet),
                ClipGradNorm = p.GetValue(clip), Limit = p.GetValue(limit),
            };
            var r = TrainRun.Run(o, o.Quiet ? TextWriter.Null : Console.Out, interrupt.Token);
            if (r.Message is not null) Console.Error.WriteLine($"nabla train: {r.Message}");
            return r.ExitCode;
        }));
        return cmd;
    }

    /// <summary>First Ctrl-C: stop after the current batch (the handler keeps the process alive); a second one kills as usual.</summary>
    private static void Interrupt(PosixSignalContext context, CancellationTokenSource cts)
    {
        if (cts.IsCancellationRequested) return;
        context.Cancel = true;
        Console.Error.WriteLine($"nabla train: {context.Signal} received: stopping after the current batch (again to kill)");
        cts.Cancel();
    }

    /// <summary>"32,64" → [32, 64]; each value must lie in 1..int.MaxValue (a <see cref="UsageException"/> otherwise).</summary>
    public static int[]? ParseInts(string? s, string option)
    {
        if (s is null) return null;
        if (s.Trim().Length == 0) return [];
        var parts = s.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long v))
                throw new UsageException($"{option}: expected comma-separated integers, got '{s}'");
            if (v < 1 || v > int.MaxValue)
                throw new UsageException($"{option}: {parts[i]} is out of range; each value must lie in 1..{int.MaxValue}");
            values[i] = (int)v;
        }
        return values;
    }
}
