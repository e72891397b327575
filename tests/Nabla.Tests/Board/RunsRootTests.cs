using Nabla.Board;

namespace Nabla.Tests.Board;

/// <summary>Every path from a request is confined to the runs root: no parent steps, absolute paths or links out.</summary>
public class RunsRootTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("nabla-board-root-").FullName;
    private readonly string _root;
    private readonly string _outside;

    public RunsRootTests()
    {
        _root = Path.Combine(_tmp, "runs");
        _outside = Path.Combine(_tmp, "secret");
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_root, "a", "metrics.json"), "{}");
        File.WriteAllText(Path.Combine(_outside, "key.txt"), "secret");
    }

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void Paths_inside_the_root_resolve_to_the_file()
    {
        var root = new RunsRoot(_root);
        Assert.Equal(Path.Combine(root.FullPath, "a", "metrics.json"), root.Resolve("a/metrics.json"));
        Assert.Equal(Path.Combine(root.FullPath, "a", "metrics.json"), root.Resolve("a//metrics.json"));
        Assert.Equal(root.FullPath, root.Resolve(""));
        Assert.Equal("a/metrics.json", root.Relative(Path.Combine(root.FullPath, "a", "metrics.json")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../secret/key.txt")]
    [InlineData("a/../../secret/key.txt")]
    [InlineData("a/./metrics.json")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\..\\secret\\key.txt")]
    [InlineData("a/metrics.json\0.png")]
    public void Parent_steps_absolute_paths_and_odd_characters_are_refused(string path) =>
        Assert.Null(new RunsRoot(_root).Resolve(path));

    [Fact]
    public void A_symbolic_link_that_leads_out_of_the_root_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "a", "key.txt"), Path.Combine(_outside, "key.txt"));
        var root = new RunsRoot(_root);
        Assert.Null(root.Resolve("escape/key.txt"));
        Assert.Null(root.Resolve("a/key.txt"));
        // A link that stays inside is followed.
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "a"));
        Assert.Equal(Path.Combine(root.FullPath, "a", "metrics.json"), root.Resolve("alias/metrics.json"));
    }

    [Fact]
    public void A_missing_root_is_a_clear_error()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => new RunsRoot(Path.Combine(_tmp, "nope")));
        Assert.Contains("nope", e.Message);
    }
}
