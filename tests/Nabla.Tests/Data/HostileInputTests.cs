using System.Buffers.Binary;
using System.Text;
using Nabla.Data;
using Nabla.Data.Text;
using Nabla.IO;
using StbImageWriteSharp;

namespace Nabla.Tests.Data;

/// <summary>Hostile files from the reliability probe and the fuzzers: each is refused with a typed error naming the
/// file, and memory stays bounded by the data actually present (measured as the bytes allocated by the reading
/// thread), whatever a header declares.</summary>
public class HostileInputTests
{
    private const long Bound = 64L << 20;   // the probe's bar: 64 MiB above the valid data (none here)

    private static string FuzzFixture(string name) => Nabla.Tests.IO.TempDir.Fixture(Path.Combine("fuzz", name), "Data");

    /// <summary>Runs <paramref name="read"/> and returns its DataFormatException and the bytes it allocated.</summary>
    private static (DataFormatException Error, long Allocated) Refused(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(read);
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Inputs on which AFL++ found a crash or a hang (fuzz/README.md); each must now end, refused.</summary>
    [Theory]
    [InlineData("tar-sparse-member.tar", "kind that cannot be read")]
    [InlineData("imagetar-hang.tar.gz", "truncated JPEG")]
    [InlineData("image-0.bin", "truncated PNG")]
    [InlineData("image-1.bin", "truncated JPEG")]
    [InlineData("image-2.bin", "truncated JPEG")]
    [InlineData("image-3-fill-before-soi.bin", "truncated JPEG")]      // FF fill bytes before FF D8: stb_image's header reader looped forever
    [InlineData("tar-1-sigint.tar", "not a readable tar archive")]      // AFL: signal 2 after 26 s of the tar campaign of 2026-12-06, not reproducible outside AFL
    [InlineData("image-4.bin", "cannot be decoded as an image")]    // a PNG with too little pixel data (AFL: signal 2 at start-up, not reproducible)
    public async Task Fuzz_findings_are_refused_with_a_typed_error(string file, string problem)
    {
        string path = FuzzFixture(file);
        Action read = file.StartsWith("image-", StringComparison.Ordinal) ? () => ImageDecoder.Decode(File.ReadAllBytes(path), 3, path)
            : file.StartsWith("imagetar", StringComparison.Ordinal) ? () => ImageFolder.ReadArchive(path, ["train", "test"], new ImageFolderOptions { Size = (4, 4), MaxParallelism = 1 })
            : () => Cifar10Binary.ReadTarball(path);
        var task = Task.Run(() => Assert.Throws<DataFormatException>(read));
        Assert.True(await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(2))) == task, $"{file}: the reader did not finish (a hang)");
        var e = await task;
        Assert.Contains(path, e.Message);
        Assert.True(e.Message.Contains(problem, StringComparison.Ordinal), $"{file}: '{problem}' not in: {e.Message}");
    }

    [Fact]
    public void Gzip_idx_with_a_forged_header_and_isize_is_truncated_without_allocating_the_claim()
    {
        using var tmp = new TempDir();
        // 200 images present, the header claims 2.7 M (2.1 GB), and the gzip ISIZE trailer is forged to agree
        int claimed = 2_700_000;
        var raw = DataTestFiles.IdxBytes(IdxFile.ImagesMagic, [claimed, 28, 28], new byte[200 * 784]);
        var gz = DataTestFiles.Gzip(raw);
        BinaryPrimitives.WriteUInt32LittleEndian(gz.AsSpan(gz.Length - 4), (uint)(16 + (long)claimed * 784));
        string path = tmp.File("train-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, gz);
        var (e, allocated) = Refused(() => IdxFile.ReadIdx(path, IdxFile.ImagesMagic, "images"));
        Assert.Contains(path, e.Message);
        Assert.Matches("truncated|corrupt gzip data", e.Message);   // .NET's inflater checks the ISIZE trailer itself
        Assert.InRange(allocated, 0, Bound);
        // a limit below the declared size refuses it before reading
        e = Assert.Throws<DataFormatException>(() => IdxFile.ReadIdx(path, IdxFile.ImagesMagic, "images", new ReadLimits { MaxBytes = 1 << 20 }));
        Assert.Contains("read limit", e.Message);
    }

    /// <summary>A ustar member header rewritten to declare <paramref name="size"/> bytes (octal field, checksum fixed).</summary>
    private static byte[] TarWithForgedSize(long size)
    {
        using var ms = new MemoryStream();
        using (var tar = new System.Formats.Tar.TarWriter(ms, System.Formats.Tar.TarEntryFormat.Ustar, leaveOpen: true))
            tar.WriteEntry(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "cifar-10-batches-bin/data_batch_1.bin")
                { DataStream = new MemoryStream(VisionTestFiles.CifarRecords(1)) });
        var bytes = ms.ToArray();
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(bytes, 124);
        Encoding.ASCII.GetBytes("        ").CopyTo(bytes, 148);
        int sum = bytes.AsSpan(0, 512).ToArray().Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
        return bytes;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tar_member_declaring_1_9_GB_is_truncated_without_allocating_the_claim(bool gzip)
    {
        using var tmp = new TempDir();
        var tar = TarWithForgedSize(1_900_000_000);
        string path = tmp.File(gzip ? "cifar-10-binary.tar.gz" : "cifar-10-binary.tar");
        File.WriteAllBytes(path, gzip ? DataTestFiles.Gzip(tar) : tar);
        var (e, allocated) = Refused(() => Cifar10Binary.ReadTarball(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("data_batch_1.bin is truncated", e.Message);
        Assert.InRange(allocated, 0, Bound);
        e = Assert.Throws<DataFormatException>(() => Cifar10Binary.ReadTarball(path, new ReadLimits { MaxBytes = 1 << 20 }));
        Assert.Contains("read limit", e.Message);
    }

    private static byte[] Png(int w, int h)
    {
        using var ms = new MemoryStream();
        new ImageWriter().WritePng(new byte[w * h * 3], w, h, ColorComponents.RedGreenBlue, ms);
        return ms.ToArray();
    }

    /// <summary>An 8×8 PNG whose IHDR is rewritten to declare <paramref name="w"/> × <paramref name="h"/>.</summary>
    private static byte[] PngDeclaring(int w, int h)
    {
        var png = Png(8, 8);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), w);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), h);
        return png;
    }

    [Fact]
    public void Image_over_the_pixel_limit_is_refused_from_its_header_naming_the_file()
    {
        var (e, allocated) = Refused(() => ImageDecoder.Decode(PngDeclaring(8000, 8000), 3, "big.png"));
        Assert.StartsWith("big.png: is 8000×8000", e.Message);
        Assert.Contains("ReadLimits.MaxImagePixels", e.Message);
        Assert.InRange(allocated, 0, Bound);
        e = Assert.Throws<DataFormatException>(() => ImageDecoder.DecodeOne(PngDeclaring(100_000, 100_000), 3, (32, 32), "huge.png"));
        Assert.StartsWith("huge.png: ", e.Message);
        // a raised limit lets a (real) large image through
        var (w, h, _) = ImageDecoder.Decode(Png(300, 200), 3, "ok.png", new ReadLimits { MaxImagePixels = 60_000 });
        Assert.Equal((300, 200), (w, h));
        Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(Png(300, 200), 3, "ok.png", new ReadLimits { MaxImagePixels = 59_999 }));
    }

    [Fact]
    public void A_huge_first_image_does_not_size_the_folder_array()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("set");
        Directory.CreateDirectory(Path.Combine(dir, "cat"));
        File.WriteAllBytes(Path.Combine(dir, "cat", "000.png"), PngDeclaring(16000, 16000));
        for (int i = 1; i <= 3; i++) File.WriteAllBytes(Path.Combine(dir, "cat", $"{i:000}.png"), Png(32, 32));
        var (e, allocated) = Refused(() => ImageFolder.Read(dir, new ImageFolderOptions { MaxParallelism = 1 }));
        Assert.Contains("000.png: is 16000×16000", e.Message);
        Assert.InRange(allocated, 0, Bound);
        // many images of the first one's (allowed) size: the total is checked against the limit before allocating
        File.WriteAllBytes(Path.Combine(dir, "cat", "000.png"), Png(200, 200));
        e = Assert.Throws<DataFormatException>(() => ImageFolder.Read(dir, new ImageFolderOptions { Limits = new ReadLimits { MaxBytes = 400_000 } }));
        Assert.Contains("000.png", e.Message);
        Assert.Contains("4 images of 200×200", e.Message);
    }

    [Fact]
    public void Truncated_jpeg_is_refused_not_decoded_to_grey()
    {
        using var ms = new MemoryStream();
        var rgb = Enumerable.Range(0, 32 * 32 * 3).Select(i => (byte)(i * 7)).ToArray();
        new ImageWriter().WriteJpg(rgb, 32, 32, ColorComponents.RedGreenBlue, ms, 90);
        var jpg = ms.ToArray();
        Assert.Equal((32, 32), ImageDecoder.Decode(jpg, 3, "whole.jpg") is var (w, h, _) ? (w, h) : default);
        DataTestFiles.AssertFormatError(() => ImageDecoder.Decode(jpg[..(jpg.Length / 2)], 3, "half.jpg"), "half.jpg", "truncated JPEG", "end-of-image");
        DataTestFiles.AssertFormatError(() => ImageDecoder.Decode(jpg[..200], 3, "head.jpg"), "head.jpg", "truncated JPEG");
        // bytes some cameras append after the end-of-image marker are allowed
        Assert.Equal(32 * 32 * 3, ImageDecoder.Decode([.. jpg, .. "trailer"u8], 3, "tail.jpg").Pixels.Length);
    }

    [Fact]
    public async Task Fill_bytes_before_the_jpeg_start_marker_are_checked_like_any_jpeg()
    {
        // stb_image takes FF FF D8 as a start-of-image marker (FF fill bytes may precede any marker); the structure
        // check must too, or a truncated header behind fill bytes reaches stb_image's looping header reader (AFL hang)
        using var ms = new MemoryStream();
        var rgb = Enumerable.Range(0, 16 * 16 * 3).Select(i => (byte)(i * 5)).ToArray();
        new ImageWriter().WriteJpg(rgb, 16, 16, ColorComponents.RedGreenBlue, ms, 90);
        var jpg = ms.ToArray();
        byte[] filled = [0xFF, 0xFF, .. jpg];
        Assert.Equal(ImageDecoder.Decode(jpg, 3, "plain.jpg").Pixels, ImageDecoder.Decode(filled, 3, "filled.jpg").Pixels);
        var task = Task.Run(() =>
        {
            for (int len = 1; len < filled.Length - 2; len += 7)
                Assert.Contains("JPEG", Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(filled[..len], 3, "cut.jpg")).Message);
        });
        Assert.True(await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(2))) == task, "a cut JPEG behind fill bytes did not finish (a hang)");
        await task;
    }

    private static PretrainedVectors Vectors(TempDir tmp, byte[] content, ReadLimits? limits = null)
    {
        string path = tmp.File($"{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(path, content);
        return PretrainedVectors.Read(path, limits);
    }

    [Theory]
    [InlineData("the nan 0.2\n", "'nan'")]
    [InlineData("the 0.1 Infinity\n", "'Infinity'")]
    [InlineData("the 0.1 -Infinity\n", "'-Infinity'")]
    [InlineData("the 1e39 0.2\n", "'1e39' overflows")]
    public void Word_vectors_with_non_finite_values_are_refused(string text, string fragment)
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DataFormatException>(() => Vectors(tmp, Encoding.UTF8.GetBytes(text)));
        Assert.Contains("line 1: value", e.Message);
        Assert.Contains("not a finite float32", e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Word_vectors_invalid_utf8_numeric_words_and_long_lines()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DataFormatException>(() => Vectors(tmp, [.. "ok 1 2\n"u8, 0x77, 0xFF, 0x66, .. " 1 2\n"u8]));
        Assert.Contains("line 2: bytes that are not valid UTF-8", e.Message);
        // a one-dimensional file whose words are numbers is not a word2vec header
        var v = Vectors(tmp, "1 5\n2 6\n"u8.ToArray());
        Assert.Equal((2, 1), (v.Count, v.Dimension));
        Assert.True(v.TryGet("1", out var one));
        Assert.Equal(5f, one[0]);
        // ... while "2 3" followed by three-value lines is one
        v = Vectors(tmp, "2 3\nthe 1 2 3\nété 4 5 6\n"u8.ToArray());
        Assert.Equal((2, 3), (v.Count, v.Dimension));
        Assert.True(v.TryGet("été", out _));
        e = Assert.Throws<DataFormatException>(() => Vectors(tmp, Encoding.ASCII.GetBytes("w " + new string('1', 5000) + "\n"), new ReadLimits { MaxLineLength = 4096 }));
        Assert.Contains("line 1: the line is longer than 4,096 characters", e.Message);
    }

    [Fact]
    public void Csv_line_without_end_is_refused_at_the_line_limit_with_bounded_memory()
    {
        using var tmp = new TempDir();
        string path = tmp.File("mnist_train.csv");
        File.WriteAllText(path, new string('7', 8 << 20));   // 8 M characters, no comma, no newline
        var (e, allocated) = Refused(() => MnistCsv.Read(path, limits: new ReadLimits { MaxLineLength = 1 << 16 }));
        Assert.Contains(path + ", line 1: the line is longer than 65,536 characters", e.Message);
        Assert.InRange(allocated, 0, (8L << 20) / 2 + (4L << 20));   // the pixel buffer (≤ file/2) and one bounded line
    }

    [Fact]
    public void Empty_trec_file_is_an_error_naming_it()
    {
        using var tmp = new TempDir();
        string path = tmp.File("TREC_10.label");
        File.WriteAllText(path, "\n\n");
        DataFormatException e = Assert.Throws<DataFormatException>(() => Trec.ReadFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("holds no questions", e.Message);
    }

    [Fact]
    public void Mnist_with_no_training_images_is_an_error_naming_the_file()
    {
        using var tmp = new TempDir();
        DataTestFiles.WriteTinyMnist(Path.Combine(tmp.Path, "mnist"), trainCount: 0, testCount: 5);
        var e = Assert.Throws<DataFormatException>(() => Mnist.Load("mnist", new MnistOptions { Root = tmp.Path }));
        Assert.Contains("train-images-idx3-ubyte.gz: holds 0 images", e.Message);
        var bad = Assert.ThrowsAny<ArgumentException>(() => Mnist.Load("mnist", new MnistOptions { Root = DataTestFilesWith(tmp), ValidationCount = 99 }));
        Assert.DoesNotContain("(Parameter", bad.Message);
    }

    private static string DataTestFilesWith(TempDir tmp)
    {
        string dir = tmp.File("five");
        DataTestFiles.WriteTinyMnist(Path.Combine(dir, "mnist"), trainCount: 5, testCount: 2);
        return dir;
    }
}
