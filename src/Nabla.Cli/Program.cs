using System.CommandLine;
using Nabla.Cli.Commands;

var root = new RootCommand("nabla: a deep-learning library and tool in pure managed C#");
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(DataCommand.Create());
return root.Parse(args).Invoke();
