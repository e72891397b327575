using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Nabla.Cli.Commands;
using Nabla.Tests.Architecture;

namespace Nabla.Tests.Packaging;

/// <summary>
/// The release metadata every build carries (one version for the library, the plots and the CLI; `nabla info`
/// prints it as `nabla --version` does; the XML documentation is generated), and, when
/// <see cref="PackagesFactAttribute.EnvironmentVariable"/> names a folder of packed packages (`.ci/pack-check` sets
/// it after `dotnet pack`), what each .nupkg/.snupkg holds: licence, README, repository and commit, XML docs,
/// symbols, and for the tool its command and the projects it carries.
/// </summary>
public class PackageTests
{
    static readonly Assembly Library = typeof(Tensor).Assembly;

    /// <summary>The version set once in Directory.Build.props, as the built library reports it (before any
    /// <c>+commit</c> suffix).</summary>
    static string ReleaseVersion => InformationalVersion(Library).Split('+')[0];

    static string InformationalVersion(Assembly a) =>
        a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? throw new InvalidOperationException($"{a.GetName().Name} has no informational version");

    [Fact]
    public void Library_plots_and_cli_carry_one_plain_release_version()
    {
        string version = ReleaseVersion;
        Assert.Matches(@"^\d+\.\d+\.\d+$", version); // a plain release: installing needs no --prerelease
        Assert.StartsWith(version + ".", Library.GetName().Version!.ToString() + ".");
        foreach (var a in new[] { typeof(Nabla.Plots.TrainingCurves).Assembly, typeof(InfoCommand).Assembly })
            Assert.Equal(InformationalVersion(Library), InformationalVersion(a));
        // The one place it is set.
        var props = XDocument.Load(Path.Combine(LayeringTests.RepoRoot(), "Directory.Build.props"));
        Assert.Equal(version, Assert.Single(props.Descendants("Version")).Value);
    }

    [Fact]
    public void Nabla_info_prints_the_version_that_nabla_version_prints()
    {
        // `nabla --version` (System.CommandLine) prints the entry assembly's informational version: the CLI's.
        Assert.Equal(InformationalVersion(typeof(InfoCommand).Assembly), InfoCommand.Version);
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(output)); // other tests may write to the console meanwhile
        try { Assert.Equal(0, InfoCommand.Create().Parse([]).Invoke()); }
        finally { Console.SetOut(original); }
        Assert.Contains($"nabla      {InfoCommand.Version}{Environment.NewLine}", output.ToString());
    }

    [Fact]
    public void The_library_ships_its_xml_documentation_and_repository_url()
    {
        string xml = Path.ChangeExtension(Library.Location, ".xml");
        Assert.True(File.Exists(xml), $"{xml} not generated (GenerateDocumentationFile)");
        Assert.Contains("<member name=\"T:Nabla.Tensor\">", File.ReadAllText(xml));
        var repo = Library.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(m => m.Key == "RepositoryUrl");
        Assert.NotNull(repo);
        Assert.StartsWith("https://", repo.Value);
    }

    [Fact]
    public void The_repository_has_an_mit_licence_and_pins_the_sdk()
    {
        string root = LayeringTests.RepoRoot();
        string licence = File.ReadAllText(Path.Combine(root, "LICENSE"));
        Assert.StartsWith("MIT License", licence);
        Assert.Contains("Copyright (c) 2026 The Nabla authors", licence);
        Assert.Matches(@"""version"":\s*""10\.0\.\d+""", File.ReadAllText(Path.Combine(root, "global.json")));
        Assert.Contains("<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>",
            File.ReadAllText(Path.Combine(root, "Directory.Packages.props")));
    }

    // ---- the packed packages (run by .ci/pack-check) ----

    [PackagesTheory]
    [InlineData("Nabla")]
    [InlineData("Nabla.Plots")]
    [InlineData("Nabla.Cli")]
    public void Each_package_has_licence_readme_repository_and_release_version(string id)
    {
        using var nupkg = OpenPackage(id, ".nupkg");
        var meta = Metadata(nupkg, id);
        string V(string name) => meta.Element(meta.Name.Namespace + name)?.Value ?? "";

        Assert.Equal(id, V("id"));
        Assert.Equal(ReleaseVersion, V("version"));
        Assert.Equal("The Nabla authors", V("authors"));
        Assert.False(string.IsNullOrWhiteSpace(V("description")));
        Assert.False(string.IsNullOrWhiteSpace(V("tags")));
        var license = meta.Element(meta.Name.Namespace + "license");
        Assert.NotNull(license);
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", V("readme"));
        Assert.NotNull(nupkg.GetEntry("README.md"));
        Assert.StartsWith("MIT License", ReadEntry(nupkg, "LICENSE"));
        var repo = meta.Element(meta.Name.Namespace + "repository");
        Assert.NotNull(repo);
        Assert.Equal("git", repo.Attribute("type")?.Value);
        Assert.StartsWith("https://", repo.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repo.Attribute("commit")?.Value ?? "");
    }

    [PackagesTheory]
    [InlineData("Nabla")]
    [InlineData("Nabla.Plots")]
    public void Library_packages_hold_the_assembly_its_xml_docs_and_symbols(string id)
    {
        using var nupkg = OpenPackage(id, ".nupkg");
        Assert.NotNull(nupkg.GetEntry($"lib/net10.0/{id}.dll"));
        Assert.Contains("<member name=", ReadEntry(nupkg, $"lib/net10.0/{id}.xml"));
        using var snupkg = OpenPackage(id, ".snupkg");
        Assert.NotNull(snupkg.GetEntry($"lib/net10.0/{id}.pdb"));
    }

    [PackagesFact]
    public void The_tool_package_installs_the_nabla_command_with_everything_it_references()
    {
        using var nupkg = OpenPackage("Nabla.Cli", ".nupkg");
        var meta = Metadata(nupkg, "Nabla.Cli");
        var ns = meta.Name.Namespace;
        Assert.Contains(meta.Descendants(ns + "packageType"), t => t.Attribute("name")?.Value == "DotnetTool");
        Assert.Empty(meta.Descendants(ns + "dependency")); // a tool carries its dependencies in its own folder

        const string dir = "tools/net10.0/any/";
        var settings = XDocument.Parse(ReadEntry(nupkg, dir + "DotnetToolSettings.xml"));
        var command = Assert.Single(settings.Descendants("Command"));
        Assert.Equal("nabla", command.Attribute("Name")?.Value);
        Assert.Equal("Nabla.Cli.dll", command.Attribute("EntryPoint")?.Value);
        foreach (var dll in new[] { "Nabla.Cli", "Nabla", "Nabla.Plots", "Nabla.Course", "Nabla.Labs", "Nabla.Bench",
                                     "System.CommandLine", "Spectre.Console", "ScottPlot", "SkiaSharp" })
            Assert.True(nupkg.GetEntry($"{dir}{dll}.dll") is not null, $"{dir}{dll}.dll missing from the tool package");
        Assert.NotNull(nupkg.GetEntry(dir + "runtimes/linux-x64/native/libSkiaSharp.so"));
        // The CLI's runtime settings travel with it.
        string runtimeConfig = ReadEntry(nupkg, dir + "Nabla.Cli.runtimeconfig.json");
        Assert.Contains("System.GC.LOHThreshold", runtimeConfig);
        Assert.Contains("System.GC.RegionSize", runtimeConfig);
        // SkiaSharp's native Windows PDBs (~240 MB) are dropped.
        var nativePdbs = nupkg.Entries.Where(e => e.FullName.Contains("/native/") && e.FullName.EndsWith(".pdb")).ToList();
        Assert.True(nativePdbs.Count == 0, "native PDBs packed: " + string.Join(", ", nativePdbs.Select(e => e.FullName)));
        using var snupkg = OpenPackage("Nabla.Cli", ".snupkg");
        Assert.NotNull(snupkg.GetEntry(dir + "Nabla.Cli.pdb"));
    }

    static ZipArchive OpenPackage(string id, string extension)
    {
        string path = Path.Combine(PackagesFactAttribute.Folder!, $"{id}.{ReleaseVersion}{extension}");
        Assert.True(File.Exists(path), $"{path} not found (run `dotnet pack -c Release -o {PackagesFactAttribute.Folder}`)");
        return ZipFile.OpenRead(path);
    }

    static XElement Metadata(ZipArchive nupkg, string id)
    {
        var nuspec = XDocument.Parse(ReadEntry(nupkg, id + ".nuspec"));
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    static string ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        Assert.True(entry is not null, $"{name} is not in the package");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}

/// <summary>A [Fact] that runs only when NABLA_PACKAGES names a folder of packed packages (`.ci/pack-check`), and is
/// skipped with that reason otherwise (packing the tool takes about a minute, too slow for every test run).</summary>
public sealed class PackagesFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "NABLA_PACKAGES";
    public static string? Folder => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } f ? f : null;
    internal static string? SkipReason => Folder is null
        ? $"{EnvironmentVariable} is not set: .ci/pack-check packs the packages and runs this test on them"
        : Directory.Exists(Folder) ? null : $"{EnvironmentVariable}={Folder} is not a folder";

    public PackagesFactAttribute()
    {
        if (SkipReason is string reason) Skip = reason;
    }
}

/// <summary>The [Theory] form of <see cref="PackagesFactAttribute"/>.</summary>
public sealed class PackagesTheoryAttribute : TheoryAttribute
{
    public PackagesTheoryAttribute()
    {
        if (PackagesFactAttribute.SkipReason is string reason) Skip = reason;
    }
}
