using Nabla.Data;

namespace Nabla.Tests.Data;

public class DataRootTests
{
    private static Func<string, string?> Env(string? value) => name => name == "NABLA_DATA" ? value : null;

    [Fact]
    public void Precedence_ExplicitThenEnvironmentThenDefault()
    {
        Assert.Equal((Path.GetFullPath("/a/explicit"), "explicit"), DataRoot.Resolve("/a/explicit", Env("/b/env")));
        Assert.Equal((Path.GetFullPath("/b/env"), "NABLA_DATA"), DataRoot.Resolve(null, Env("/b/env")));
        Assert.Equal((Path.GetFullPath("/b/env"), "NABLA_DATA"), DataRoot.Resolve("  ", Env("/b/env")));
        var (path, source) = DataRoot.Resolve(null, Env(""));
        Assert.Equal("default", source);
        Assert.EndsWith(Path.Combine(".nabla", "data"), path);
    }

    [Fact]
    public void Find_LooksUnderRootSlashName_ThenTheExplicitFolderItself()
    {
        using var tmp = new TempDir();
        DataTestFiles.WriteTinyMnist(Path.Combine(tmp.Path, "mnist"));
        Assert.Equal(Path.Combine(tmp.Path, "mnist"), DataRoot.Find(DatasetSpec.Mnist, null, Env(tmp.Path)));
        Assert.Equal(Path.Combine(tmp.Path, "mnist"), DataRoot.Find(DatasetSpec.Mnist, Path.Combine(tmp.Path, "mnist"), Env(null)));
        // The environment root does not count when an explicit root is given.
        using var empty = new TempDir();
        Assert.Null(DataRoot.Find(DatasetSpec.Mnist, empty.Path, Env(tmp.Path)));
    }

    [Fact]
    public void Find_AcceptsUncompressedFiles_AndRequiresAllFour()
    {
        using var tmp = new TempDir();
        string dir = Path.Combine(tmp.Path, "mnist");
        DataTestFiles.WriteTinyMnist(dir, gzip: false);
        Assert.Equal(dir, DataRoot.Find(DatasetSpec.Mnist, tmp.Path));
        File.Delete(Path.Combine(dir, "t10k-labels-idx1-ubyte"));
        Assert.Null(DataRoot.Find(DatasetSpec.Mnist, tmp.Path));
    }

    [Fact]
    public void FindFile_TriesPublishedRawAndDottedNames()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("train-images.idx3-ubyte"), []);
        Assert.Equal(tmp.File("train-images.idx3-ubyte"), DataRoot.FindFile(tmp.Path, "train-images-idx3-ubyte.gz"));
        File.WriteAllBytes(tmp.File("train-images-idx3-ubyte"), []);
        Assert.Equal(tmp.File("train-images-idx3-ubyte"), DataRoot.FindFile(tmp.Path, "train-images-idx3-ubyte.gz"));
        Assert.Null(DataRoot.FindFile(tmp.Path, "t10k-images-idx3-ubyte.gz"));
    }

    [Fact]
    public void Locate_Missing_ListsFoldersAndSuggestsNablaData()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DatasetNotFoundException>(() => DataRoot.Locate(DatasetSpec.Mnist, tmp.Path));
        Assert.Contains(Path.Combine(tmp.Path, "mnist"), e.Message);
        Assert.Contains("NABLA_DATA", e.Message);
        Assert.Contains("nabla data download", e.Message);
    }
}
