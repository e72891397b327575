using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nabla.Board;
using Nabla.Tests.Architecture;
using Nabla.Tests.Board;

namespace Nabla.Tests.Cli;

/// <summary>`nabla board` as a user runs it: a child process that prints its address and serves the runs; bad
/// arguments are one clear line; the board's ASP.NET dependency stays out of the library.</summary>
public class BoardCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nabla-board-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private static ProcessStartInfo Cli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    [Fact]
    public async Task Nabla_board_prints_the_address_of_a_free_port_and_serves_the_runs()
    {
        RunFolders.Write(_root, "a", 2);
        using var p = Process.Start(Cli("board", _root, "--port", "0"))!;
        try
        {
            string? url = null;
            var printed = new List<string>();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (url is null && await p.StandardOutput.ReadLineAsync(cts.Token) is string line)
            {
                printed.Add(line);
                if (Regex.Match(line, @"^serving\s+(http://127\.0\.0\.1:\d+/)") is { Success: true } m) url = m.Groups[1].Value;
            }
            Assert.True(url is not null, "no address printed; stdout:\n" + string.Join("\n", printed) + "\nstderr:\n" + (p.HasExited ? p.StandardError.ReadToEnd() : ""));
            Assert.Contains($"nabla board: 1 run under {new RunsRoot(_root).FullPath}", printed);
            Assert.DoesNotContain(":6006/", url);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var runs = JsonNode.Parse(await http.GetStringAsync(url + "api/runs"))!["runs"]!.AsArray();
            Assert.Equal("a", (string?)Assert.Single(runs)!["id"]);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("--host", "not an IP address")]
    [InlineData("--port", "--port must be between 0 and 65535")]
    public async Task Bad_arguments_are_one_clear_line_and_exit_code_1(string what, string message)
    {
        string[] args = what switch
        {
            "missing" => ["board", Path.Combine(_root, "missing")],
            "--host" => ["board", _root, "--host", "example.com"],
            _ => ["board", _root, "--port", "70000"],
        };
        using var p = Process.Start(Cli(args))!;
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(1, p.ExitCode);
        Assert.StartsWith("nabla board: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Nabla.Tests.Packaging.PackagesFact]
    public void The_tool_package_carries_the_board_and_asks_for_the_aspnet_core_runtime()
    {
        string version = typeof(Tensor).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];
        string path = Path.Combine(Nabla.Tests.Packaging.PackagesFactAttribute.Folder!, $"Nabla.Cli.{version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        const string dir = "tools/net10.0/any/";
        Assert.NotNull(zip.GetEntry(dir + "Nabla.Board.dll"));
        using var reader = new StreamReader(zip.GetEntry(dir + "Nabla.Cli.runtimeconfig.json")!.Open());
        Assert.Contains("Microsoft.AspNetCore.App", reader.ReadToEnd()); // installed with every .NET SDK and ASP.NET Core runtime
    }

    [Fact]
    public void The_library_stays_free_of_aspnet_core()
    {
        // The board lives in its own project; the core library neither references ASP.NET nor loads it.
        string csproj = File.ReadAllText(Path.Combine(LayeringTests.RepoRoot(), "src", "Nabla", "Nabla.csproj"));
        Assert.DoesNotContain("AspNetCore", csproj);
        Assert.DoesNotContain(typeof(Tensor).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore"));
        Assert.Contains(typeof(BoardServer).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore"));
        Assert.DoesNotContain(typeof(BoardServer).Assembly.GetReferencedAssemblies(), a => a.Name is "Nabla");
        Assert.NotNull(typeof(BoardServer).Assembly.GetManifestResourceInfo("wwwroot/board.js"));
    }
}
