using Nabla.Data;

namespace Nabla.Tests.Data;

public class ArchiveTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_regular_members_of_tar_and_tar_gz_in_order(bool gzip)
    {
        using var tmp = new TempDir();
        string path = tmp.File(gzip ? "a.tar.gz" : "a.tar");
        VisionTestFiles.TarGz(path, [("./x/b.bin", [1, 2, 3]), ("x/a.bin", []), ("y/skip.txt", [9])], gzip);
        var entries = Archive.Entries(path, n => n.EndsWith(".bin")).ToList();
        Assert.Equal(["x/b.bin", "x/a.bin"], entries.Select(e => e.Name));
        Assert.Equal([1, 2, 3], entries[0].Data);
        Assert.Empty(entries[1].Data);
    }

    [Fact]
    public void A_file_that_is_not_a_tar_is_a_format_error_naming_it()
    {
        using var tmp = new TempDir();
        string path = tmp.File("broken.tar.gz");
        File.WriteAllBytes(path, DataTestFiles.Gzip(Enumerable.Repeat((byte)'x', 1024).ToArray()));
        DataTestFiles.AssertFormatError(() => Archive.Entries(path, _ => true).ToList(), path, "tar");
    }
}
