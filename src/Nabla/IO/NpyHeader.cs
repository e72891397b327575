using System.Globalization;
using System.Text;

namespace Nabla.IO;

/// <summary>The header of a .npy file: a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>
/// (NEP 1, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).</summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>The dict literal as NumPy writes it (keys sorted, trailing comma), without padding.</summary>
    public string Format()
    {
        string shape = Shape.Length switch
        {
            0 => "()",
            1 => $"({Shape[0]},)",
            _ => "(" + string.Join(", ", Shape) + ")",
        };
        return $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
    }

    /// <summary>Parses the dict literal; <paramref name="fail"/> builds the exception for a problem.</summary>
    public static NpyHeader Parse(string text, Func<string, Exception> fail)
    {
        var p = new Parser(text, fail);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (true)
        {
            p.SkipSpace();
            if (p.TryConsume('}')) break;
            string key = p.ReadString();
            p.SkipSpace();
            p.Expect(':');
            p.SkipSpace();
            switch (key)
            {
                case "descr":
                    if (p.Peek() == '[') throw fail("structured (record) dtypes are not supported");
                    descr = p.ReadString();
                    break;
                case "fortran_order": fortran = p.ReadBool(); break;
                case "shape": shape = p.ReadIntTuple(); break;
                default: throw fail($"unexpected header key '{key}'");
            }
            p.SkipSpace();
            if (p.TryConsume('}')) break;
            p.Expect(',');
        }
        if (descr is null || fortran is null || shape is null)
            throw fail($"header lacks {(descr is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}: {text.Trim()}");
        return new NpyHeader(descr, fortran.Value, shape);
    }

    private ref struct Parser(string text, Func<string, Exception> fail)
    {
        private int _pos;

        public char Peek() => _pos < text.Length ? text[_pos] : '\0';

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public bool TryConsume(char c)
        {
            if (Peek() != c) return false;
            _pos++;
            return true;
        }

        public void Expect(char c)
        {
            SkipSpace();
            if (!TryConsume(c)) throw fail($"malformed header: expected '{c}' at offset {_pos} of \"{text.TrimEnd()}\"");
        }

        public string ReadString()
        {
            char q = Peek();
            if (q is not ('\'' or '"')) throw fail($"malformed header: expected a quoted string at offset {_pos} of \"{text.TrimEnd()}\"");
            int end = text.IndexOf(q, _pos + 1);
            if (end < 0) throw fail("malformed header: unterminated string");
            string s = text.Substring(_pos + 1, end - _pos - 1);
            _pos = end + 1;
            return s;
        }

        public bool ReadBool()
        {
            if (text.AsSpan(_pos).StartsWith("True")) { _pos += 4; return true; }
            if (text.AsSpan(_pos).StartsWith("False")) { _pos += 5; return false; }
            throw fail($"malformed header: expected True or False at offset {_pos}");
        }

        public int[] ReadIntTuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(')')) break;
                int start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                if (!long.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out long d))
                    throw fail($"malformed header: expected a dimension at offset {start} of \"{text.TrimEnd()}\"");
                if (d > int.MaxValue) throw fail($"dimension {d} exceeds 2^31-1");
                TryConsume('L');                // Python 2 long literal in old files
                dims.Add((int)d);
                SkipSpace();
                if (TryConsume(')')) break;
                Expect(',');
            }
            return dims.ToArray();
        }
    }

    /// <summary>The bytes before the data: magic, version, header length, header padded with spaces and a final
    /// newline so that the data starts on a 64-byte boundary. Version 1.0 when the header fits in 65535 bytes,
    /// otherwise 2.0 (4-byte length).</summary>
    public byte[] Encode()
    {
        string dict = Format();
        int major = dict.Length + 1 + 10 <= ushort.MaxValue ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;      // magic(6) + version(2) + length(2 or 4)
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var sb = new StringBuilder(dict, total - prefix);
        sb.Append(' ', total - prefix - dict.Length - 1).Append('\n');
        var bytes = new byte[total];
        Npy.Magic.CopyTo(bytes);
        bytes[6] = (byte)major;
        bytes[7] = 0;
        int headerLen = total - prefix;
        if (major == 1) { bytes[8] = (byte)headerLen; bytes[9] = (byte)(headerLen >> 8); }
        else System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), headerLen);
        Encoding.ASCII.GetBytes(sb.ToString(), bytes.AsSpan(prefix));
        return bytes;
    }
}
