using System.Globalization;
using System.Text;
using CsCheck;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>Properties of <see cref="CsvTable"/> (CsCheck): a table written as RFC 4180 CSV reads back cell for cell
/// (quotes, delimiters, line breaks, CRLF, a BOM, non-ASCII text, numbers written round-trip); random bytes and every
/// truncation of a valid file are either read or refused with the typed errors (<see cref="CsvFormatException"/>,
/// <see cref="DataFormatException"/>), never another exception; a record longer than the limit is refused.</summary>
public class CsvTablePropertyTests
{
    /// <summary>Pieces of cells: the characters CSV treats specially, whitespace, non-ASCII (two-byte, three-byte and a
    /// surrogate pair), digits.</summary>
    private static readonly Gen<string> Piece = Gen.OneOf("a", "Z", "1", ".", "-", ",", ";", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\t", "é", "✓", "😀", "NA", "e5");

    private static readonly Gen<string> Cell = Piece.Array[0, 6].Select(p => string.Concat(p));

    /// <summary>A table: 1..5 distinct non-empty column names, 1..6 rows of cells.</summary>
    private static readonly Gen<(string[] Columns, string[][] Rows)> Table =
        Gen.Int[1, 5].SelectMany(cols => Gen.Select(
            Cell.Where(c => c.Length > 0).Array[cols].Where(h => h.Distinct().Count() == h.Length),
            Cell.Array[cols].Array[1, 6]));

    private static bool NeedsQuotes(string cell, char delimiter) =>
        cell.Length == 0 || cell.IndexOfAny([delimiter, '"', '\r', '\n']) >= 0 || char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1]);

    private static string Field(string cell, char delimiter, bool alwaysQuote) =>
        alwaysQuote || NeedsQuotes(cell, delimiter) ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static string Write(string[] columns, string[][] rows, char delimiter, string newline, bool alwaysQuote) =>
        string.Concat(new[] { columns }.Concat(rows).Select(r => string.Join(delimiter, r.Select(c => Field(c, delimiter, alwaysQuote))) + newline));

    private static string Unique(TempDir tmp, string name) => tmp.File($"{Guid.NewGuid():N}-{name}");   // samples run in parallel

    [Fact]
    public void Write_then_read_is_the_identity_cell_for_cell()
    {
        using var tmp = new TempDir();
        Gen.Select(Table, Gen.OneOf(',', ';', '\t'), Gen.OneOf("\n", "\r\n"), Gen.Bool, Gen.Int[0, 2]).Sample((table, delimiter, newline, alwaysQuote, how) =>
        {
            var (columns, rows) = table;
            string text = Write(columns, rows, delimiter, newline, alwaysQuote);
            var options = new CsvReadOptions { Delimiter = delimiter };
            CsvTable read;
            if (how == 0) read = CsvTable.Parse(new StringReader(text), "t.csv", options);
            else
            {
                // through a file, UTF-8 with (how == 2) or without a byte-order mark
                string path = Unique(tmp, "t.csv");
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: how == 2));
                read = CsvTable.Read(path, options);
            }
            Assert.Equal(columns, read.Columns);
            Assert.Equal(rows.Length, read.RowCount);
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < columns.Length; c++)
                    Assert.Equal(rows[r][c], read.Cell(r, c));
            // each row starts on the line after the header and the line breaks inside quoted cells before it
            long line = 1 + columns.Sum(CountLines) + 1;
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.Equal(line, read.LineOf(r));
                line += rows[r].Sum(CountLines) + 1;
            }
        }, iter: 300);
    }

    /// <summary>Line breaks inside a cell as the reader counts lines: every "\n" (a lone "\r" inside quotes does not end a line).</summary>
    private static int CountLines(string cell) => cell.Count(ch => ch == '\n');

    [Fact]
    public void Finite_numbers_written_round_trip_read_back_exactly()
    {
        Gen.Double.Where(double.IsFinite).Array[1, 20].Sample(values =>
        {
            string text = "x\n" + string.Concat(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "\n"));
            var t = CsvTable.Parse(new StringReader(text), "n.csv");
            Assert.True(t.IsNumeric(0));
            for (int r = 0; r < values.Length; r++) Assert.Equal(values[r], t.Number(r, 0));
        }, iter: 300);
    }

    /// <summary>Reads the file as the CLI does (every column's type, every number), accepting only the typed errors.</summary>
    private static void ReadAll(string path, CsvReadOptions options)
    {
        try
        {
            var t = CsvTable.Read(path, options);
            Assert.NotEmpty(t.Columns);
            Assert.True(t.RowCount > 0);
            for (int c = 0; c < t.Columns.Count; c++)
            {
                bool numeric = t.IsNumeric(c);
                for (int r = 0; r < t.RowCount; r++)
                {
                    Assert.Equal(t.Columns.Count, Enumerable.Range(0, t.Columns.Count).Count(k => t.Cell(r, k) is not null));
                    if (numeric && !t.IsMissing(r, c)) Assert.True(double.IsFinite(t.Number(r, c)));
                }
            }
        }
        catch (CsvFormatException e) { Assert.Contains(path, e.Message); }
        catch (DataFormatException e) { Assert.Contains(path, e.Message); }
    }

    /// <summary>Bytes drawn mostly from what CSV gives meaning to (so that the reader gets past the first line), or
    /// uniformly, including invalid UTF-8.</summary>
    private static readonly Gen<byte[]> Bytes = Gen.OneOf(new IGen<byte[]>[]
    {
        Gen.Byte.Array[0, 400],
        Gen.OneOf("a", "1", "2.5", ",", ",", "\"", "\"", "\n", "\r", " ", "NA", "é", "\u00ff", "1e999", "-", "\t").Array[0, 120]
            .Select(p => Encoding.UTF8.GetBytes(string.Concat(p))),
        Gen.Byte.Array[0, 60].Select(b => (byte[])[0xEF, 0xBB, 0xBF, .. "a,b\n"u8, .. b]),
    });

    [Fact]
    public void Random_bytes_are_read_or_refused_with_a_typed_error_naming_the_file()
    {
        using var tmp = new TempDir();
        var options = new CsvReadOptions { Limits = new ReadLimits { MaxLineLength = 64 } };
        Bytes.Sample(bytes =>
        {
            string path = Unique(tmp, "r.csv");
            File.WriteAllBytes(path, bytes);
            ReadAll(path, options);
        }, iter: 2000);
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_is_read_or_refused_with_a_typed_error()
    {
        using var tmp = new TempDir();
        Table.Sample(table =>
        {
            var bytes = Encoding.UTF8.GetBytes(Write(table.Columns, table.Rows, ',', "\r\n", alwaysQuote: false));
            string path = Unique(tmp, "cut.csv");
            for (int len = 0; len <= bytes.Length; len++)
            {
                File.WriteAllBytes(path, bytes[..len]);
                ReadAll(path, new CsvReadOptions());
            }
        }, iter: 40);
    }

    [Fact]
    public void A_record_longer_than_the_limit_is_refused_naming_file_and_line_even_inside_quotes()
    {
        var options = new CsvReadOptions { Limits = new ReadLimits { MaxLineLength = 20 } };
        string ok = "a,b\n" + new string('x', 18) + ",y\n";       // 20 characters and its line end: read
        Assert.Equal(new string('x', 18), CsvTable.Parse(new StringReader(ok), "ok.csv", options).Cell(0, 0));
        foreach (string text in new[]
        {
            "a,b\n1,2\n" + new string('x', 25) + "\n",                     // a long line
            "a,b\n1,2\n\"" + string.Concat(Enumerable.Repeat("x\n", 15)) + "\",1\n",   // a quoted field over many lines
            "a,b\n1,2\n" + new string(',', 25) + "\n",                     // delimiters only (empty fields)
        })
        {
            var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse(new StringReader(text), "long.csv", options));
            Assert.Equal(3, e.Line);
            Assert.Contains("long.csv, line 3", e.Message);
            Assert.Contains("20 characters", e.Message);
            Assert.Contains("MaxLineLength", e.Message);
        }
    }

    [Fact]
    public void A_quoted_empty_cell_in_a_one_column_table_is_a_row_not_a_blank_line()
    {
        var t = CsvTable.Parse(new StringReader("x\n\"\"\n\n  \n1\n"), "one.csv");
        Assert.Equal(2, t.RowCount);
        Assert.True(t.IsMissing(0, 0));
        Assert.Equal(2, t.LineOf(0));
        Assert.Equal(5, t.LineOf(1));
        Assert.Equal(1.0, t.Number(1, 0));
    }
}
