using System.Globalization;
using System.Text;

namespace Nabla.Data;

/// <summary>
/// A CSV table as text cells: a header line naming the columns, then one row per line (RFC 4180: fields may be
/// quoted with <c>"</c>, a quote inside is doubled, quoted fields may hold the delimiter and line breaks; CRLF or LF;
/// a UTF-8 BOM is skipped; blank lines are skipped). Every row must have as many fields as the header, otherwise a
/// <see cref="CsvFormatException"/> names the line. Cells are kept as written (trimmed); <see cref="IsNumeric"/> and
/// <see cref="Number"/> read them as invariant-culture numbers, <see cref="IsMissing"/> recognises missing values.
/// </summary>
public sealed class CsvTable
{
    private readonly string[][] _rows;
    private readonly long[] _lines;
    private readonly HashSet<string> _missing;

    private CsvTable(string source, string[] columns, string[][] rows, long[] lines, CsvReadOptions options)
    {
        Source = source;
        Columns = columns;
        _rows = rows;
        _lines = lines;
        _missing = new HashSet<string>(options.MissingMarkers.Select(m => m.Trim()), StringComparer.OrdinalIgnoreCase) { "" };
    }

    /// <summary>The file (or name) the table was read from; errors start with it.</summary>
    public string Source { get; }

    /// <summary>Column names from the header line, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows (the header not counted).</summary>
    public int RowCount => _rows.Length;

    /// <summary>The trimmed text of a cell.</summary>
    public string Cell(int row, int column) => _rows[row][column];

    /// <summary>The 1-based line of the file where row <paramref name="row"/> starts.</summary>
    public long LineOf(int row) => _lines[row];

    /// <summary>Index of the column named <paramref name="name"/> (exact match); an error listing the columns otherwise.</summary>
    public int ColumnIndex(string name)
    {
        for (int i = 0; i < Columns.Count; i++)
            if (Columns[i] == name) return i;
        throw new ArgumentException($"{Source}: no column '{name}'; the columns are {string.Join(", ", Columns)}");
    }

    /// <summary>True when the cell is empty or one of the missing-value markers.</summary>
    public bool IsMissing(int row, int column) => _missing.Contains(_rows[row][column]);

    /// <summary>True when every non-missing cell of the column is a number (and at least one is present).</summary>
    public bool IsNumeric(int column)
    {
        bool any = false;
        for (int r = 0; r < _rows.Length; r++)
        {
            if (IsMissing(r, column)) continue;
            if (!TryNumber(_rows[r][column], out _)) return false;
            any = true;
        }
        return any;
    }

    /// <summary>The cell as a number; a <see cref="CsvFormatException"/> naming line and column when it is missing or not a number.</summary>
    public double Number(int row, int column)
    {
        if (IsMissing(row, column)) throw new CsvFormatException(Source, _lines[row], Columns[column], $"missing value ('{_rows[row][column]}')");
        if (!TryNumber(_rows[row][column], out double v))
            throw new CsvFormatException(Source, _lines[row], Columns[column], $"'{_rows[row][column]}' is not a number");
        return v;
    }

    /// <summary>Parses an invariant-culture number (1.5, -2e3); "NaN" and infinities are not numbers here.</summary>
    public static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Reads a CSV file (UTF-8).</summary>
    public static CsvTable Read(string path, CsvReadOptions? options = null)
    {
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataFormatException.For(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in errors.</summary>
    public static CsvTable Parse(TextReader reader, string source, CsvReadOptions? options = null)
    {
        options ??= new CsvReadOptions();
        if (options.Delimiter is '"' or '\r' or '\n') throw new ArgumentException($"CsvReadOptions: the delimiter cannot be {(int)options.Delimiter}");
        string[]? header = null;
        long headerLine = 0;
        var rows = new List<string[]>();
        var lines = new List<long>();
        var lexer = new Lexer(reader, source, options.Delimiter, (options.Limits ?? ReadLimits.Default).MaxLineLength);
        while (lexer.NextRecord(out var fields, out long line, out bool anyQuoted))
        {
            if (fields.Count == 1 && fields[0].Length == 0 && !anyQuoted) continue;   // blank line (a quoted "" is a cell)
            if (header is null)
            {
                header = fields.ToArray();
                headerLine = line;
                var seen = new HashSet<string>();
                for (int c = 0; c < header.Length; c++)
                {
                    if (header[c].Length == 0) throw new CsvFormatException(source, line, null, $"header field {c + 1} is empty; every column needs a name");
                    if (!seen.Add(header[c])) throw new CsvFormatException(source, line, header[c], "the column name appears twice in the header");
                }
                continue;
            }
            if (fields.Count != header.Length)
                throw new CsvFormatException(source, line, null, $"has {fields.Count} fields; the header (line {headerLine}) has {header.Length}");
            rows.Add(fields.ToArray());
            lines.Add(line);
        }
        if (header is null) throw new CsvFormatException(source, 0, null, "is empty (expected a header line naming the columns)");
        if (rows.Count == 0) throw new CsvFormatException(source, headerLine, null, "has a header but no data rows");
        return new CsvTable(source, header, rows.ToArray(), lines.ToArray(), options);
    }

    /// <summary>Splits the text into records of fields, tracking line numbers; quoted fields may span lines. Short
    /// cells are interned (a 60,000-row pixel table repeats "0".."255" millions of times).</summary>
    private sealed class Lexer(TextReader reader, string source, char delimiter, int maxRecord)
    {
        private int _recordLength;
        private long _line = 1;
        private char[] _cell = new char[64];
        private int _length;
        private readonly Dictionary<string, string> _pool = [];

        public bool NextRecord(out List<string> fields, out long startLine, out bool anyQuoted)
        {
            fields = [];
            startLine = _line;
            anyQuoted = false;
            int ch = reader.Peek();
            if (ch < 0) return false;
            _length = 0;
            _recordLength = 0;
            bool quoted = false, wasQuoted = false;
            long quoteLine = 0;
            while (true)
            {
                ch = reader.Read();
                if (ch >= 0 && (quoted || ch is not ('\n' or '\r')) && ++_recordLength > maxRecord)
                    throw new CsvFormatException(source, startLine, null,
                        $"the record starting here is longer than {maxRecord:N0} characters (ReadLimits.MaxLineLength); is this a CSV file?");
                if (quoted)
                {
                    if (ch < 0) throw new CsvFormatException(source, quoteLine, null, "a quoted field is never closed (missing \")");
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (ch == '\n') _line++;
                        Append((char)ch);
                    }
                    continue;
                }
                if (ch < 0 || ch == '\n' || ch == '\r')
                {
                    if (ch == '\r' && reader.Peek() == '\n') reader.Read();
                    fields.Add(Take(wasQuoted));
                    if (ch >= 0) _line++;
                    return true;
                }
                if (ch == delimiter)
                {
                    fields.Add(Take(wasQuoted));
                    wasQuoted = false;
                    continue;
                }
                if (ch == '"' && !wasQuoted && _cell.AsSpan(0, _length).Trim().Length == 0)
                {
                    _length = 0;
                    quoted = wasQuoted = anyQuoted = true;
                    quoteLine = _line;
                    continue;
                }
                if (wasQuoted)
                {
                    if (char.IsWhiteSpace((char)ch)) continue;
                    throw new CsvFormatException(source, _line, null, $"text after a closing quote in field {fields.Count + 1} (a quote inside a quoted field is written \"\")");
                }
                Append((char)ch);
            }
        }

        private void Append(char c)
        {
            if (_length == _cell.Length) Array.Resize(ref _cell, 2 * _cell.Length);
            _cell[_length++] = c;
        }

        /// <summary>The current cell (trimmed unless quoted), interned when short; clears the buffer.</summary>
        private string Take(bool quoted)
        {
            var span = quoted ? _cell.AsSpan(0, _length) : _cell.AsSpan(0, _length).Trim();
            _length = 0;
            if (span.Length > 8) return span.ToString();
            var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(span, out var s)) return s;
            s = span.ToString();
            _pool[s] = s;
            return s;
        }
    }
}
