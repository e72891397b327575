using System.CommandLine;
using Nabla.Cli.Composition;
using Nabla.NN;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla summary MODEL</c>: every layer's output shape and parameter count, every parameter tensor, totals.</summary>
public static class SummaryCommand
{
    /// <summary>Builds the <c>nabla summary</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "model: " + string.Join(", ", ModelFactory.Names) };
        model.AcceptOnlyFromAmong(ModelFactory.Names);
        var hidden = new Option<string?>("--hidden") { Description = "hidden layer widths (mlp)" };
        var activation = new Option<string?>("--activation") { Description = "activation" };
        var input = new Option<string>("--input") { Description = "input shape C,H,W", DefaultValueFactory = _ => "1,28,28" };
        var classes = new Option<int>("--classes") { Description = "number of classes", DefaultValueFactory = _ => 10 };
        var convKernel = new Option<int>("--conv-kernel-size") { Description = "cnn: convolution kernel size", DefaultValueFactory = _ => 5 };
        var poolKernel = new Option<int>("--pooling-kernel-size") { Description = "cnn: pooling kernel size", DefaultValueFactory = _ => 2 };
        var stride = new Option<int>("--stride-size") { Description = "cnn: convolution stride", DefaultValueFactory = _ => 1 };
        var zeroPadding = new Option<bool>("--zero-padding") { Description = "cnn: true = pad ⌊k/2⌋ (same), false = valid", DefaultValueFactory = _ => true };
        var maxPooling = new Option<bool>("--max-pooling") { Description = "cnn: true = max pooling, false = average pooling", DefaultValueFactory = _ => true };
        var cmd = new Command("summary", "print a model's layers, output shapes and parameter counts")
        {
            model, hidden, activation, input, classes, convKernel, poolKernel, stride, zeroPadding, maxPooling,
        };
        cmd.SetAction(p => CliErrors.Run("summary", () =>
        {
            var o = new TrainOptions { Model = p.GetValue(model)!, Hidden = TrainCommand.ParseInts(p.GetValue(hidden), "--hidden"), Activation = p.GetValue(activation) }.Resolved();
            var shape = TrainCommand.ParseInts(p.GetValue(input), "--input")!;
            if (shape.Length != 3) throw new UsageException($"--input: expected C,H,W, got '{p.GetValue(input)}'");
            foreach (var (name, v) in new[] { ("--classes", p.GetValue(classes)), ("--conv-kernel-size", p.GetValue(convKernel)),
                         ("--pooling-kernel-size", p.GetValue(poolKernel)), ("--stride-size", p.GetValue(stride)) })
                if (v < 1) throw new UsageException($"{name} must be at least 1, got {v}");
            Module m = o.Model == "cnn"
                ? Nabla.Models.Cnn.Create(new Nabla.Models.CnnOptions(shape[0], shape[1], shape[2], p.GetValue(classes),
                    p.GetValue(convKernel), p.GetValue(poolKernel), p.GetValue(stride), p.GetValue(zeroPadding), p.GetValue(maxPooling),
                    Activation: ModelFactory.ActivationOf(o)))
                : ModelFactory.Create(o, shape, p.GetValue(classes));
            var s = Summary.Of(m, shape);
            Console.WriteLine(m);
            Console.WriteLine();
            Console.Write(s);
            Console.WriteLine();
            Console.Write(s.ParameterTable());
        }));
        return cmd;
    }
}
