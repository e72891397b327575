using Nabla.IO;

namespace Nabla.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Writes_creates_folders_and_replaces_existing_files()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "sub", "f.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        AtomicFile.Write(path, s => s.Write([9]));
        Assert.Equal([9], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_throwing_writer_leaves_the_old_file_and_no_temporary_file()
    {
        using var dir = new TempDir();
        string path = dir.File("f.bin");
        File.WriteAllBytes(path, [7, 7]);
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Contains("simulated", e.Message);
        Assert.Equal([7, 7], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));

        string fresh = dir.File("never.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(fresh, _ => throw new IOException("x")));
        Assert.False(File.Exists(fresh));
    }
}
