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
// --threads N on any command: the kernels' thread count (torch.set_num_threads), set before any kernel runs; under
// mpirun it is the threads per rank.
var threads = new Option<int?>("--threads") { Description = "threads the kernels use (default: every core; under mpirun: per rank)", Recursive = true };
root.Options.Add(threads);
var parse = root.Parse(args);
if (parse.Errors.Count > 0) return CliErrors.Usage(parse);
if (parse.GetValue(threads) is int t)
{
    if (t < 1 || t > Environment.ProcessorCount)
    {
        Console.Error.WriteLine($"nabla: --threads must lie in 1..{Environment.ProcessorCount} (the cores of this machine), got {t}");
        return CliErrors.UsageExit;
    }
    Nabla.Tensor.SetNumThreads(t);
}
return parse.Invoke();
