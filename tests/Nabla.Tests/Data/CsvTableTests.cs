using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>CSV tables: cells, numbers, quoting, missing values, and errors that name the file, line and column.</summary>
public class CsvTableTests
{
    private static CsvTable Parse(string text, CsvReadOptions? options = null) => CsvTable.Parse(new StringReader(text), "t.csv", options);

    [Fact]
    public void Reads_header_cells_and_numbers()
    {
        var t = Parse("a,b,name\n1.5,-2e3,x\n 3 ,4, y y \n");
        Assert.Equal(["a", "b", "name"], t.Columns);
        Assert.Equal(2, t.RowCount);
        Assert.Equal(1.5, t.Number(0, 0));
        Assert.Equal(-2000.0, t.Number(0, 1));
        Assert.Equal(3.0, t.Number(1, 0));          // unquoted cells are trimmed
        Assert.Equal("y y", t.Cell(1, 2));
        Assert.True(t.IsNumeric(0));
        Assert.True(t.IsNumeric(1));
        Assert.False(t.IsNumeric(2));
        Assert.Equal(2, t.ColumnIndex("name"));
        Assert.Equal(2, t.LineOf(0));
        Assert.Equal(3, t.LineOf(1));
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_quotes_and_line_breaks_and_later_lines_are_counted_right()
    {
        var t = Parse("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,  \" padded \"  \n");
        Assert.Equal("a, b", t.Cell(0, 1));
        Assert.Equal("say \"hi\"", t.Cell(1, 1));
        Assert.Equal("two\nlines", t.Cell(2, 1));
        Assert.Equal(" padded ", t.Cell(3, 1));     // quoted cells keep their spaces
        Assert.Equal(4, t.LineOf(2));
        Assert.Equal(6, t.LineOf(3));                 // the quoted line break moved row 4 to line 6
        var e = Assert.Throws<CsvFormatException>(() => Parse("id,text\n1,\"two\nlines\"\n2,a,b\n"));
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Crlf_bom_and_blank_lines_are_handled()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("nabla-csv-").FullName, "bom.csv");
        try
        {
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("x,y\r\n1,2\r\n\r\n3,4\r\n")]);
            var t = CsvTable.Read(path);
            Assert.Equal(["x", "y"], t.Columns);   // no BOM in the first name
            Assert.Equal(2, t.RowCount);
            Assert.Equal(4.0, t.Number(1, 1));
            Assert.Equal(4, t.LineOf(1));
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_names_its_line()
    {
        var e = Assert.Throws<CsvFormatException>(() => Parse("a,b,c\n1,2,3\n4,5\n6,7,8\n"));
        Assert.Equal(3, e.Line);
        Assert.Equal("t.csv", e.Path);
        Assert.Contains("t.csv, line 3", e.Message);
        Assert.Contains("2 fields", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Fact]
    public void Missing_values_are_recognised_skipped_by_type_detection_and_refused_as_numbers()
    {
        var t = Parse("a,b\n1,NA\n2,\n?,3\n4,5\n");
        Assert.True(t.IsMissing(0, 1));
        Assert.True(t.IsMissing(1, 1));
        Assert.True(t.IsMissing(2, 0));
        Assert.False(t.IsMissing(3, 0));
        Assert.True(t.IsNumeric(0));
        Assert.True(t.IsNumeric(1));
        var e = Assert.Throws<CsvFormatException>(() => t.Number(1, 1));
        Assert.Equal(3, e.Line);
        Assert.Equal("b", e.Column);
        Assert.Contains("column 'b'", e.Message);
        Assert.Contains("missing", e.Message);
        // custom markers replace the defaults (the empty cell always counts)
        var custom = Parse("a\nNA\n-\n", new CsvReadOptions { MissingMarkers = ["-"] });
        Assert.False(custom.IsMissing(0, 0));
        Assert.True(custom.IsMissing(1, 0));
    }

    [Fact]
    public void A_non_number_read_as_a_number_names_line_and_column()
    {
        var t = Parse("a,b\n1,2\n3,abc\n");
        Assert.False(t.IsNumeric(1));
        var e = Assert.Throws<CsvFormatException>(() => t.Number(1, 1));
        Assert.Equal((3L, "b"), (e.Line, e.Column));
        Assert.Contains("'abc' is not a number", e.Message);
        Assert.False(CsvTable.TryNumber("NaN", out _));
        Assert.False(CsvTable.TryNumber("1,5", out _));   // invariant culture: a comma is not a decimal point
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("a,b\n", 1, "no data rows")]
    [InlineData("a,a\n1,2\n", 1, "appears twice")]
    [InlineData("a,,c\n1,2,3\n", 1, "header field 2 is empty")]
    [InlineData("a,b\n1,\"open\n2,3\n", 2, "never closed")]
    [InlineData("a,b\n1,\"x\"y\n", 2, "after a closing quote")]
    public void Malformed_files_are_typed_errors_with_the_line(string text, long line, string problem)
    {
        var e = Assert.Throws<CsvFormatException>(() => Parse(text));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Unknown_columns_and_absent_files_are_clear_errors()
    {
        var t = Parse("a,b\n1,2\n");
        var e = Assert.Throws<ArgumentException>(() => t.ColumnIndex("c"));
        Assert.Contains("no column 'c'", e.Message);
        Assert.Contains("a, b", e.Message);
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => CsvTable.Read("/nonexistent/x.csv")).Message);
    }
}
