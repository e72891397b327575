using Nabla.Data;
using static Nabla.Tests.Data.DataTestFiles;

namespace Nabla.Tests.Data;

public class IdxFileTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_GzipAndRaw_ReturnsPixelsLabelsAndShape(bool gzip)
    {
        using var tmp = new TempDir();
        var (images, labels) = WriteSplit(tmp.Path, "train", 3, 2, 4, gzip);
        var set = IdxFile.Read(images, labels);
        Assert.Equal(3, set.Count);
        Assert.Equal((2, 4, 1), (set.Rows, set.Cols, set.Channels));
        Assert.Equal(new byte[] { 0, 1, 2 }, set.Labels);
        // image 2, pixel k = (14 + k) mod 256
        Assert.Equal(new byte[] { 14, 15, 16, 17, 18, 19, 20, 21 }, set.Image(2).ToArray());
    }

    [Fact]
    public void Read_DetectsGzipBySignatureNotName()
    {
        using var tmp = new TempDir();
        var (images, labels) = WriteSplit(tmp.Path, "train", 2, 2, 2, gzip: true);
        File.Move(images, tmp.File("a.idx"));
        File.Move(labels, tmp.File("b.idx"));
        Assert.Equal(2, IdxFile.Read(tmp.File("a.idx"), tmp.File("b.idx")).Count);
    }

    [Theory]
    [InlineData("x.gz")]
    [InlineData("x")]
    public void Write_ThenRead_RoundTrips_AndWritesTheExactRawBytes(string suffix)
    {
        using var tmp = new TempDir();
        var (pixels, labels) = Pattern(4, 3, 2);
        var set = new LabeledImages(pixels, labels, 3, 2);
        string ip = tmp.File("i" + suffix), lp = tmp.File("l" + suffix);
        IdxFile.Write(set, ip, lp);
        var back = IdxFile.Read(ip, lp);
        Assert.Equal(pixels, back.Pixels);
        Assert.Equal(labels, back.Labels);
        if (!suffix.EndsWith(".gz"))
        {
            Assert.Equal(IdxBytes(2051, [4, 3, 2], pixels), File.ReadAllBytes(ip));
            Assert.Equal(IdxBytes(2049, [4], labels), File.ReadAllBytes(lp));
        }
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BadMagic_NamesFileAndMagic(bool gzip)
    {
        using var tmp = new TempDir();
        var (images, labels) = WriteSplit(tmp.Path, "train", 2, 2, 2, gzip);
        // A labels file where an images file is expected: magic 2049 instead of 2051.
        AssertFormatError(() => IdxFile.Read(labels, labels), Path.GetFileName(labels), "bad magic number 2049", "2051");
        AssertFormatError(() => IdxFile.Read(images, images), "bad magic number 2051", "2049");
    }

    [Fact]
    public void TruncatedRaw_ReportsDeclaredAndActualSize()
    {
        using var tmp = new TempDir();
        var bytes = IdxBytes(2051, [3, 2, 2], new byte[12]);
        File.WriteAllBytes(tmp.File("img"), bytes[..^5]);
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img"), IdxFile.ImagesMagic, "images"), "img", "truncated", "3 x 2 x 2 = 12 bytes", "only 7");
    }

    [Fact]
    public void TruncatedGzip_IsAFormatError()
    {
        using var tmp = new TempDir();
        var (pixels, _) = Pattern(50, 28, 28);
        var gz = Gzip(IdxBytes(2051, [50, 28, 28], pixels));
        File.WriteAllBytes(tmp.File("img.gz"), gz[..(gz.Length / 2)]);
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img.gz"), IdxFile.ImagesMagic, "images"), "img.gz");
    }

    [Fact]
    public void HeaderCutShort_IsTruncated()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("img"), IdxBytes(2051, [3, 2, 2], [])[..10]);
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img"), IdxFile.ImagesMagic, "images"), "truncated", "header");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExtraBytes_AreReported(bool gzip)
    {
        using var tmp = new TempDir();
        var raw = IdxBytes(2049, [3], [1, 2, 3, 4, 5]);
        File.WriteAllBytes(tmp.File("lab"), gzip ? Gzip(raw) : raw);
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("lab"), IdxFile.LabelsMagic, "labels"), "2 extra bytes");
    }

    [Fact]
    public void CorruptGzipStream_IsAFormatError()
    {
        using var tmp = new TempDir();
        var (pixels, _) = Pattern(20, 28, 28);
        var gz = Gzip(IdxBytes(2051, [20, 28, 28], pixels));
        for (int i = 20; i < gz.Length - 8; i += 7) gz[i] ^= 0x5A;   // scramble the deflate data, keep the trailer
        File.WriteAllBytes(tmp.File("img.gz"), gz);
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img.gz"), IdxFile.ImagesMagic, "images"), "img.gz");
    }

    [Fact]
    public void NegativeDimension_IsReported()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("img"), IdxBytes(2051, [2, -28, 28], new byte[8]));
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img"), IdxFile.ImagesMagic, "images"), "invalid dimension 1 = -28");
    }

    [Fact]
    public void HugeDeclaredCount_FailsBeforeAllocating()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("img"), IdxBytes(2051, [int.MaxValue, 28, 28], new byte[8]));
        AssertFormatError(() => IdxFile.ReadIdx(tmp.File("img"), IdxFile.ImagesMagic, "images"), "declare more than");
    }

    [Fact]
    public void CountMismatch_BetweenImagesAndLabels()
    {
        using var tmp = new TempDir();
        var (images, _) = WriteSplit(tmp.Path, "train", 3, 2, 2, gzip: true);
        var (_, labels) = WriteSplit(tmp.Path, "t10k", 4, 2, 2, gzip: true);
        AssertFormatError(() => IdxFile.Read(images, labels), Path.GetFileName(labels), "4 labels", "3 images");
    }

    [Fact]
    public void LabelOutOfRange_NamesValueAndExample()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("img"), IdxBytes(2051, [3, 1, 1], [0, 0, 0]));
        File.WriteAllBytes(tmp.File("lab"), IdxBytes(2049, [3], [1, 12, 3]));
        AssertFormatError(() => IdxFile.Read(tmp.File("img"), tmp.File("lab")), "lab", "label 12 of example 1", "0..9");
    }

    [Fact]
    public void MissingFile_IsAFormatErrorNamingIt()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => IdxFile.Read(tmp.File("nope-images"), tmp.File("nope-labels")), "nope-images", "not found");
    }
}
