using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageFolderTests
{
    private static void Write(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data);
    }

    /// <summary>zebra/ (2 images) and ant/ (3 images) of 4×6 PNGs, plus a text file that must be ignored.</summary>
    private static string WriteFolder(TempDir tmp)
    {
        string dir = tmp.File("pets");
        for (int k = 0; k < 3; k++) Write(Path.Combine(dir, "ant", $"a{k}.png"), VisionTestFiles.Png(VisionTestFiles.Pattern(4, 6, k), 3, 4, 6));
        for (int k = 0; k < 2; k++) Write(Path.Combine(dir, "zebra", $"z{k}.PNG"), VisionTestFiles.Png(VisionTestFiles.Pattern(4, 6, 10 + k), 3, 4, 6));
        Write(Path.Combine(dir, "ant", "notes.txt"), "not an image"u8.ToArray());
        return dir;
    }

    [Fact]
    public void Classes_are_sorted_folder_names_and_pixels_are_exact()
    {
        using var tmp = new TempDir();
        var data = ImageFolder.Read(WriteFolder(tmp), new ImageFolderOptions { MaxParallelism = 2 });
        Assert.Equal(["ant", "zebra"], data.Classes);
        Assert.Equal([0, 0, 0, 1, 1], data.Images.Labels);
        Assert.Equal((3, 4, 6), (data.Images.Channels, data.Images.Rows, data.Images.Cols));
        Assert.Equal(VisionTestFiles.Pattern(4, 6, 1), data.Images.Image(1).ToArray());
        Assert.Equal(VisionTestFiles.Pattern(4, 6, 11), data.Images.Image(4).ToArray());
        Assert.EndsWith("z1.PNG", data.Files[4]);
    }

    [Fact]
    public void Interleaving_and_fixed_classes()
    {
        using var tmp = new TempDir();
        var data = ImageFolder.Read(WriteFolder(tmp), new ImageFolderOptions { Interleave = true, Classes = ["zebra", "ant", "yak"] });
        Assert.Equal([0, 1, 0, 1, 1], data.Images.Labels);
        Assert.Equal(VisionTestFiles.Pattern(4, 6, 2), data.Images.Image(4).ToArray());
        DataTestFiles.AssertFormatError(() => ImageFolder.Read(WriteFolder(tmp), new ImageFolderOptions { Classes = ["zebra"] }), "ant", "not one of the classes");
    }

    [Fact]
    public void Resizing_a_constant_image_keeps_it_and_grey_conversion_uses_luma()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("flat");
        var px = new byte[3 * 9 * 13];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i < 117 ? 200 : i < 234 ? 100 : 50);   // R 200, G 100, B 50
        Write(Path.Combine(dir, "only", "x.png"), VisionTestFiles.Png(px, 3, 9, 13));
        var rgb = ImageFolder.Read(dir, new ImageFolderOptions { Size = (4, 5) });
        Assert.Equal((4, 5), (rgb.Images.Rows, rgb.Images.Cols));
        Assert.All(rgb.Images.Image(0)[..20].ToArray(), v => Assert.Equal(200, v));
        Assert.All(rgb.Images.Image(0)[40..].ToArray(), v => Assert.Equal(50, v));
        var grey = ImageFolder.Read(dir, new ImageFolderOptions { Channels = 1 });
        // stb_image's luma: (77·R + 150·G + 29·B) >> 8 = (15400 + 15000 + 1450) >> 8 = 124
        Assert.All(grey.Images.Image(0).ToArray(), v => Assert.Equal(124, v));
    }

    [Fact]
    public void Mixed_sizes_need_a_size_and_broken_files_are_named()
    {
        using var tmp = new TempDir();
        string dir = WriteFolder(tmp);
        Write(Path.Combine(dir, "zebra", "z9.png"), VisionTestFiles.Png(VisionTestFiles.Pattern(5, 6, 0), 3, 5, 6));
        DataTestFiles.AssertFormatError(() => ImageFolder.Read(dir), "z9.png", "6×5");
        Assert.Equal(6, ImageFolder.Read(dir, new ImageFolderOptions { Size = (4, 6) }).Images.Count);
        Write(Path.Combine(dir, "zebra", "z9.png"), [0x89, 0x50, 1, 2, 3]);
        DataTestFiles.AssertFormatError(() => ImageFolder.Read(dir, new ImageFolderOptions { Size = (4, 6) }), "z9.png", "cannot be decoded");
        DataTestFiles.AssertFormatError(() => ImageFolder.Read(tmp.File("nowhere")), "not found");
    }

    [Fact]
    public void Archives_with_a_prefix_folder_and_several_splits()
    {
        using var tmp = new TempDir();
        string tar = tmp.File("set.tar.gz");
        VisionTestFiles.TarGz(tar,
        [
            ("./top/train/b/1.png", VisionTestFiles.Png(VisionTestFiles.Pattern(2, 3, 1), 3, 2, 3)),
            ("./top/train/a/1.png", VisionTestFiles.Png(VisionTestFiles.Pattern(2, 3, 2), 3, 2, 3)),
            ("./top/val/a/9.png", VisionTestFiles.Png(VisionTestFiles.Pattern(2, 3, 3), 3, 2, 3)),
            ("./top/README", "x"u8.ToArray()),
        ]);
        var splits = ImageFolder.ReadArchive(tar, ["train", "val"]);
        Assert.Equal(["a", "b"], splits[0].Classes);
        Assert.Equal(VisionTestFiles.Pattern(2, 3, 2), splits[0].Images.Image(0).ToArray());
        Assert.Equal(VisionTestFiles.Pattern(2, 3, 3), splits[1].Images.Image(0).ToArray());
        DataTestFiles.AssertFormatError(() => ImageFolder.ReadArchive(tar, ["test"]), tar, "no images under test/");
    }
}
