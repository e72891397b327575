using Nabla.Data;
using static Nabla.Tests.Data.DataTestFiles;

namespace Nabla.Tests.Data;

public class MnistCsvTests
{
    // 2 x 2 images: label then 4 pixels per line.
    private static LabeledImages Read(TempDir tmp, string text) => ReadText(tmp, text);

    private static LabeledImages ReadText(TempDir tmp, string text)
    {
        File.WriteAllText(tmp.File("d.csv"), text);
        return MnistCsv.Read(tmp.File("d.csv"), rows: 2, cols: 2);
    }

    [Fact]
    public void Read_WithoutHeader()
    {
        using var tmp = new TempDir();
        var set = Read(tmp, "5,0,10,255,3\n0,1,2,3,4\n");
        Assert.Equal(new byte[] { 5, 0 }, set.Labels);
        Assert.Equal(new byte[] { 0, 10, 255, 3, 1, 2, 3, 4 }, set.Pixels);
        Assert.Equal((2, 2), (set.Rows, set.Cols));
    }

    [Fact]
    public void Read_SkipsHeader_CrLf_Spaces_AndBlankLines()
    {
        using var tmp = new TempDir();
        var set = Read(tmp, "label,1x1,1x2,2x1,2x2\r\n7, 1 ,2,3,4\r\n\r\n9,5,6,7,8\r\n\r\n");
        Assert.Equal(new byte[] { 7, 9 }, set.Labels);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, set.Pixels);
    }

    [Fact]
    public void Read_EmptyFile_OrHeaderOnly_IsAnError()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DataFormatException>(() => Read(tmp, ""));
        Assert.Contains("is empty", e.Message);
        e = Assert.Throws<DataFormatException>(() => Read(tmp, "label,1x1,1x2,2x1,2x2\n\n"));
        Assert.Contains("holds no images", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_ThenRead_RoundTrips(bool header)
    {
        using var tmp = new TempDir();
        var (pixels, labels) = Pattern(7, 28, 28);
        MnistCsv.Write(tmp.File("m.csv"), new LabeledImages(pixels, labels, 28, 28), header);
        var lines = File.ReadAllLines(tmp.File("m.csv"));
        Assert.Equal(7 + (header ? 1 : 0), lines.Length);
        if (header) Assert.StartsWith("label,1x1,1x2,", lines[0]);
        Assert.StartsWith("1,7,8,9,", lines[header ? 2 : 1]);   // image 1: label 1, pixels 7, 8, 9, ...
        Assert.Equal(785, lines[^1].Split(',').Length);
        var back = MnistCsv.Read(tmp.File("m.csv"));
        Assert.Equal(pixels, back.Pixels);
        Assert.Equal(labels, back.Labels);
    }

    [Fact]
    public void TooFewColumns_NamesLine()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => Read(tmp, "1,0,0,0,0\n2,0,0,0\n"), "d.csv", "line 2", "expected 5", "found 4");
    }

    [Fact]
    public void TooManyColumns_NamesLine_CountingTheHeader()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => Read(tmp, "label,a,b,c,d\n1,0,0,0,0\n2,0,0,0,0,0\n"), "line 3", "found more");
    }

    [Fact]
    public void NonNumber_NamesLineAndColumn()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => Read(tmp, "1,0,0,0,0\n2,0,0,x7,0\n"), "line 2", "column 4", "'x7' is not an integer");
    }

    [Fact]
    public void PixelOutOfRange_NamesLineAndColumn()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => Read(tmp, "1,0,0,0,256\n"), "line 1", "column 5", "pixel 256 is outside 0..255");
    }

    [Fact]
    public void LabelOutOfRange_NamesLine()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => Read(tmp, "1,0,0,0,0\n10,0,0,0,0\n"), "line 2", "label 10 is outside 0..9");
    }

    [Fact]
    public void MissingFile_IsAFormatError()
    {
        using var tmp = new TempDir();
        AssertFormatError(() => MnistCsv.Read(tmp.File("absent.csv")), "absent.csv", "not found");
    }
}
