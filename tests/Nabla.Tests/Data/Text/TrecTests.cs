using Nabla.Data;
using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class TrecTests
{
    [Fact]
    public void ParseLine_splits_coarse_fine_and_text()
    {
        var q = Trec.ParseLine("NUM:dist How far is it from Denver to Aspen ?");
        Assert.Equal("NUM", q.Coarse);
        Assert.Equal("NUM:dist", q.Fine);
        Assert.Equal("How far is it from Denver to Aspen ?", q.Text);
        Assert.Equal(5, Trec.CoarseLabel(q));
        var e = Assert.Throws<DataFormatException>(() => Trec.ParseLine("FOO:bar what ?", "x.label", 7));
        Assert.Contains("x.label, line 7", e.Message);
        Assert.Contains("FOO", e.Message);
        Assert.Throws<DataFormatException>(() => Trec.ParseLine("no label here", "x.label", 1));
    }

    [Fact]
    public void ReadFile_reads_Latin1_bytes()
    {
        string p = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(p, [.. "LOC:city sister"u8, 0xF0, .. "city ?\nHUM:ind Who ?\n"u8]);
            var qs = Trec.ReadFile(p);
            Assert.Equal(2, qs.Count);
            Assert.Equal("sister\u00f0city ?", qs[0].Text);
            Assert.Equal(2, qs[1].Line);
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void Missing_folder_raises_DatasetNotFoundException_naming_text_trec()
    {
        string root = Directory.CreateTempSubdirectory("nabla-empty-").FullName;
        try
        {
            var e = Assert.Throws<DatasetNotFoundException>(() => Trec.Load(root));
            Assert.Contains(Path.Combine(root, "text", "trec"), e.Message);
            Assert.Contains("train_5500.label", e.Message);
        }
        finally { Directory.Delete(root, true); }
        Assert.Same(DatasetSpec.Trec, DatasetSpec.Find("text/trec"));
    }

    [RequiresDataFact("text/trec")]
    public void Real_files_have_the_published_counts_and_labels()
    {
        var d = Trec.Load();
        Assert.Equal(5452, d.Train.Count);
        Assert.Equal(500, d.Test.Count);
        Assert.Equal(["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"], d.CoarseClasses);
        Assert.Equal(50, d.Train.Select(q => q.Fine).Distinct().Count());
        Assert.Equal(50, d.FineClasses.Count);
        Assert.All(d.Train.Concat(d.Test), q => Assert.StartsWith(q.Coarse + ":", q.Fine));
        // First lines of each file, read by eye.
        Assert.Equal(new TrecQuestion("DESC", "DESC:manner", "How did serfdom develop in and then leave Russia ?", 1), d.Train[0]);
        Assert.Equal(new TrecQuestion("NUM", "NUM:dist", "How far is it from Denver to Aspen ?", 1), d.Test[0]);
        Assert.Equal(new TrecQuestion("HUM", "HUM:desc", "Who was Galileo ?", 3), d.Test[2]);
        // Line 66 of the training file holds the byte 0xF0 (Latin-1 'ð').
        var latin = d.Train[65];
        Assert.Equal(66, latin.Line);
        Assert.Equal("LOC:city", latin.Fine);
        Assert.Equal("Which city has the oldest relationship as a sister\u00f0city with Los Angeles ?", latin.Text);
        // Coarse class counts of the test set (TREC-10: 9 ABBR, 138 DESC, 94 ENTY, 65 HUM, 81 LOC, 113 NUM).
        Assert.Equal([9, 138, 94, 65, 81, 113], Trec.CoarseClassNames.Select(c => d.Test.Count(q => q.Coarse == c)));
    }
}
