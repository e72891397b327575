using System.CommandLine;
using Nabla.Cli.Composition;
using Nabla.NN;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla summary MODEL</c>: every layer's output shape and parameter count, every parameter tensor, totals.</summary>
public static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "model: " + string.Join(", ", ModelFactory.Names) };
        model.AcceptOnlyFromAmong(ModelFactory.Names);
        var hidden = new Option<string?>("--hidden") { Description = "hidden layer widths (mlp)" };
        var activation = new Option<string?>("--activation") { Description = "activation" };
        var input = new Option<string>("--input") { Description = "input shape C,H,W", DefaultValueFactory = _ => "1,28,28" };
        var classes = new Option<int>("--classes") { Description = "number of classes", DefaultValueFactory = _ => 10 };
        var cmd = new Command("summary", "print a model's layers, output shapes and parameter counts") { model, hidden, activation, input, classes };
        cmd.SetAction(p => CliErrors.Run("summary", () =>
        {
            var o = new TrainOptions { Model = p.GetValue(model)!, Hidden = TrainCommand.ParseInts(p.GetValue(hidden), "--hidden"), Activation = p.GetValue(activation) }.Resolved();
            var shape = TrainCommand.ParseInts(p.GetValue(input), "--input")!;
            var m = ModelFactory.Create(o, shape, p.GetValue(classes));
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
