using System.Diagnostics;
using System.Security;
using System.Text;
using Nabla.Tests.Architecture;

namespace Nabla.Tests.Samples;

/// <summary>
/// A throwaway console or library project in a temp folder (outside the repository, so no Directory.Build.props
/// applies) that references the repository's projects and is built or run with <c>dotnet</c> as a child process, in
/// the configuration the tests were built in and without rebuilding the referenced projects (their DLLs are the
/// ones this build produced). Used to compile the docs' snippets and to run the notebook's cells.
/// </summary>
internal sealed class GeneratedProject : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The project's folder (deleted by <see cref="Dispose"/>).</summary>
    public string Folder { get; }

    private readonly List<string> _references = [];

    public GeneratedProject(string prefix) => Folder = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>"Debug" or "Release": the configuration this test assembly was built in.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>References <c>src/{name}/{name}.csproj</c> of the repository.</summary>
    public void ReferenceSource(string name)
    {
        string csproj = Path.Combine(LayeringTests.RepoRoot(), "src", name, name + ".csproj");
        if (!File.Exists(csproj)) throw new FileNotFoundException($"no project {csproj}", csproj);
        if (!_references.Contains(csproj)) _references.Add(csproj);
    }

    /// <summary>Writes a source file into the project.</summary>
    public void AddFile(string name, string text) => File.WriteAllText(Path.Combine(Folder, name), text);

    /// <summary>Writes the .csproj: warnings are errors, as in the repository.</summary>
    public void WriteProject(bool executable, string? extraProperties = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        sb.AppendLine("  <PropertyGroup>");
        sb.AppendLine($"    <OutputType>{(executable ? "Exe" : "Library")}</OutputType>");
        sb.AppendLine("    <TargetFramework>net10.0</TargetFramework>");
        sb.AppendLine("    <LangVersion>14</LangVersion>");
        sb.AppendLine("    <Nullable>enable</Nullable>");
        sb.AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        sb.AppendLine("    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        sb.AppendLine("    <InvariantGlobalization>true</InvariantGlobalization>");
        if (extraProperties is not null) sb.AppendLine(extraProperties);
        sb.AppendLine("  </PropertyGroup>");
        sb.AppendLine("  <ItemGroup>");
        foreach (var r in _references) sb.AppendLine($"    <ProjectReference Include=\"{SecurityElement.Escape(r)}\" />");
        sb.AppendLine("  </ItemGroup>");
        sb.AppendLine("</Project>");
        File.WriteAllText(Path.Combine(Folder, "Generated.csproj"), sb.ToString());
    }

    /// <summary><c>dotnet build</c>; returns the exit code and the output.</summary>
    public (int ExitCode, string Output) Build() => Dotnet(["build", Path.Combine(Folder, "Generated.csproj"), "-c", Configuration, .. NoRebuild(), "--nologo", "-v", "q", "-clp:NoSummary"], null);

    /// <summary><c>dotnet run</c> (builds first); returns the exit code and the output.</summary>
    public (int ExitCode, string Output) Run(IReadOnlyDictionary<string, string>? environment = null) =>
        Dotnet(["run", "--project", Path.Combine(Folder, "Generated.csproj"), "-c", Configuration, .. NoRebuild()], environment);

    /// <summary>Skips rebuilding the referenced projects when this build's library is there (it is, under dotnet test).</summary>
    private static string[] NoRebuild()
    {
        string library = Path.Combine(LayeringTests.RepoRoot(), "src", "Nabla", "bin", Configuration, "net10.0", "Nabla.dll");
        return File.Exists(library) ? ["-p:BuildProjectReferences=false"] : [];
    }

    private (int ExitCode, string Output) Dotnet(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment) =>
        RunDotnet(args, Folder, environment);

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/> without build servers, within the timeout;
    /// returns the exit code and the standard output and error interleaved (shared with <see cref="SampleTests"/>).</summary>
    internal static (int ExitCode, string Output) RunDotnet(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // No build servers or reused MSBuild nodes: they would outlive the child and hold its output pipes open.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', psi.ArgumentList)} did not finish in {Timeout.TotalMinutes} minutes; output so far:\n{output}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The tests that build or run a project with a child <c>dotnet</c> (samples, docs snippets, notebook) run one
/// after another: on a 2-core machine they would only compete, and each restores the same referenced projects.</summary>
[CollectionDefinition(Name)]
public sealed class DotnetChildCollection
{
    public const string Name = "dotnet child builds";
}
