using System.Text;

namespace Nabla.Data;

/// <summary>Lines of a text file with a bound on their length: like <see cref="TextReader.ReadLine"/> (line ends
/// "\n", "\r\n" or "\r"), but a line longer than the bound is an error naming the file and the line instead of a
/// string as long as the file (a 64 MiB line without a newline must not cost 64 M characters of memory).</summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength, string path)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _pos, _len;

    /// <summary>The number of the line last returned (1-based).</summary>
    public long LineNumber { get; private set; }

    public string? ReadLine()
    {
        _line.Clear();
        bool any = false;
        while (true)
        {
            if (_pos == _len)
            {
                _len = reader.Read(_buffer, 0, _buffer.Length);
                _pos = 0;
                if (_len <= 0)
                {
                    _len = 0;
                    if (!any) return null;
                    LineNumber++;
                    return _line.ToString();
                }
            }
            any = true;
            int start = _pos;
            while (_pos < _len && _buffer[_pos] is not ('\n' or '\r')) _pos++;
            Append(start, _pos - start);
            if (_pos == _len) continue;
            char end = _buffer[_pos++];
            if (end == '\r')
            {
                if (_pos == _len)
                {
                    _len = reader.Read(_buffer, 0, _buffer.Length);
                    _pos = 0;
                    if (_len < 0) _len = 0;
                }
                if (_pos < _len && _buffer[_pos] == '\n') _pos++;
            }
            LineNumber++;
            return _line.ToString();
        }
    }

    private void Append(int start, int count)
    {
        if (_line.Length + count > maxLength)
            throw DataFormatException.AtLine(path, LineNumber + 1, $"the line is longer than {maxLength:N0} characters (ReadLimits.MaxLineLength); is this the right file?");
        _line.Append(_buffer, start, count);
    }
}
