using System.CommandLine;
using Nabla.Board;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla board [ROOT] [--port N] [--host ADDRESS]</c>: serves the run dashboard (runs table, overlaid
/// curves, figures, lab reports; live while runs train) over a runs folder until Ctrl-C.</summary>
public static class BoardCommand
{
    /// <summary>Builds the <c>nabla board</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "runs folder (every folder under it with config.json, metrics.json(l) or report.md is a run)", DefaultValueFactory = _ => "runs" };
        var port = new Option<int>("--port") { Description = $"TCP port (0 picks a free one)", DefaultValueFactory = _ => BoardOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "address to listen on (127.0.0.1 keeps the board private to this machine; 0.0.0.0 opens it to the network)", DefaultValueFactory = _ => "127.0.0.1" };
        var cmd = new Command("board", "serve a web page over a runs folder: runs table, curves, figures and reports, live while runs train") { root, port, host };
        cmd.SetAction(p => CliErrors.Run("board", () => Serve(new BoardOptions(p.GetValue(root)!, p.GetValue(host)!, p.GetValue(port)), Console.Out)));
        return cmd;
    }

    /// <summary>Starts the board, prints its address, and serves until Ctrl-C or SIGTERM.</summary>
    internal static void Serve(BoardOptions options, TextWriter log)
    {
        var server = BoardServer.StartAsync(options).GetAwaiter().GetResult();
        try
        {
            int runs = RunIndex.Scan(server.Root).Count;
            log.WriteLine($"nabla board: {runs} run{(runs == 1 ? "" : "s")} under {server.Root.FullPath}");
            log.WriteLine($"serving      {server.Url}   (Ctrl-C to stop)");
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
        }
        finally { server.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }
}
