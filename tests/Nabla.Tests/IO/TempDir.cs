using System.Runtime.CompilerServices;

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

    /// <summary>A file committed under tests/Nabla.Tests/IO/Fixtures (located from this source file's path, so no
    /// copy-to-output step is needed).</summary>
    public static string Fixture(string name, [CallerFilePath] string here = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "Fixtures", name);
}
