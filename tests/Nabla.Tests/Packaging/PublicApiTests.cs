using Nabla.Tests.Architecture;

namespace Nabla.Tests.Packaging;

/// <summary>
/// The public surface of the packaged projects is tracked by Microsoft.CodeAnalysis.PublicApiAnalyzers in
/// PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt (Directory.Build.props). These tests check the files and show that
/// the build fails on an unlisted public change: a throwaway project in a temp folder imports the repository's own
/// Directory.Build.props and Directory.Packages.props (so it gets exactly the analyzer setup of the packages) and is
/// built once with a public member missing from its PublicAPI files (RS0016, an error) and once with a listed member
/// that does not exist (RS0017, an error), then once listed correctly (success).
/// </summary>
public class PublicApiTests
{
    private static readonly string Root = LayeringTests.RepoRoot();

    [Theory]
    [InlineData("src/Nabla", "Nabla.Tensor")]
    [InlineData("src/Nabla.Plots", "Nabla.Plots.")]
    [InlineData("src/Nabla.Cli", "Nabla.Cli.")]
    public void Each_packaged_project_lists_its_public_api(string project, string expected)
    {
        var shipped = Path.Combine(Root, project, "PublicAPI.Shipped.txt");
        var unshipped = Path.Combine(Root, project, "PublicAPI.Unshipped.txt");
        Assert.True(File.Exists(shipped), shipped + " is missing");
        Assert.True(File.Exists(unshipped), unshipped + " is missing");
        var lines = File.ReadAllLines(shipped).Concat(File.ReadAllLines(unshipped)).ToList();
        Assert.Contains(lines, l => l.StartsWith(expected, StringComparison.Ordinal));
        // Implementation types are internal: none of them may appear in the public surface.
        Assert.DoesNotContain(lines, l => l.Contains("Nabla.Tensors.Kernels", StringComparison.Ordinal) || l.Contains("Op.Forward(", StringComparison.Ordinal));
    }

    [Fact]
    public void The_library_lists_tensor_operations_and_the_everyday_namespace()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "src", "Nabla", "PublicAPI.Shipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(Root, "src", "Nabla", "PublicAPI.Unshipped.txt"))).ToHashSet();
        Assert.Contains("Nabla.TensorOps.extension(Nabla.Tensor!).MatMul(Nabla.Tensor! b) -> Nabla.Tensor!", lines);
        Assert.Contains("Nabla.GradCheck", lines);
        Assert.Contains("Nabla.NN.Linear", lines);
    }

    private const string Source = """
        namespace Tiny;
        /// <summary>A type of the throwaway project.</summary>
        public class Widget
        {
            /// <summary>Listed.</summary>
            public int Size() => 1;
        }
        """;

    private const string ListedSurface = "#nullable enable\nTiny.Widget\nTiny.Widget.Widget() -> void\nTiny.Widget.Size() -> int\n";

    [Fact]
    public void An_unlisted_public_change_fails_the_build()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-publicapi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "Directory.Build.props"),
                $"<Project><Import Project=\"{Path.Combine(Root, "Directory.Build.props")}\" /></Project>");
            File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"),
                $"<Project><Import Project=\"{Path.Combine(Root, "Directory.Packages.props")}\" /></Project>");
            File.WriteAllText(Path.Combine(dir, "Tiny.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <IsPackable>true</IsPackable>
                    <PackageId>Tiny</PackageId>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "PublicAPI.Unshipped.txt"), "#nullable enable\n");

            // A new public member (Size) the files do not list: RS0016 is an error.
            File.WriteAllText(Path.Combine(dir, "Widget.cs"), Source);
            File.WriteAllText(Path.Combine(dir, "PublicAPI.Shipped.txt"), "#nullable enable\nTiny.Widget\nTiny.Widget.Widget() -> void\n");
            var (code, output) = Build(dir);
            Assert.True(code != 0, "the build passed although Widget.Size() is not listed:\n" + output);
            Assert.Contains("error RS0016", output);
            Assert.Contains("Size", output);

            // A listed member that no longer exists (a removal): RS0017 is an error.
            File.WriteAllText(Path.Combine(dir, "PublicAPI.Shipped.txt"), ListedSurface + "Tiny.Widget.Removed() -> void\n");
            (code, output) = Build(dir);
            Assert.True(code != 0, "the build passed although the listed Widget.Removed() does not exist:\n" + output);
            Assert.Contains("error RS0017", output);

            // Listed exactly: the build passes.
            File.WriteAllText(Path.Combine(dir, "PublicAPI.Shipped.txt"), ListedSurface);
            (code, output) = Build(dir);
            Assert.True(code == 0, "the build failed with the surface listed exactly:\n" + output);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static (int ExitCode, string Output) Build(string dir) =>
        Samples.GeneratedProject.RunDotnet(["build", "-c", "Release", "-nologo", "-v", "q"], dir);
}
