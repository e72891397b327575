namespace Nabla.Tests.IO;

/// <summary>A fresh temporary folder per test, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-io-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    /// <summary>A file committed under tests/Nabla.Tests/<paramref name="folder"/>/Fixtures, located from the repository
    /// root above the test binary. Not from [CallerFilePath]: deterministic CI builds (ContinuousIntegrationBuild, set by
    /// DotNet.ReproducibleBuilds when a CI variable is present) map source paths to "/_/", which exists nowhere.</summary>
    public static string Fixture(string name, string folder = "IO") =>
        System.IO.Path.Combine(Architecture.LayeringTests.RepoRoot(), "tests", "Nabla.Tests", folder, "Fixtures", name);
}
