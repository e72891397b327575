using System.CommandLine;
using Nabla.Cli.Commands;

var root = new RootCommand("nabla: a deep-learning library and tool in pure managed C#");
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(LabCommand.Create());
root.Subcommands.Add(ShapeCommand.Create());
root.Subcommands.Add(BoardCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
return root.Parse(args).Invoke();
