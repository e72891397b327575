using System.Buffers.Binary;
using System.Text;

namespace Nabla.IO;

/// <summary>A mono waveform: samples in [−1, 1) (16-bit PCM divided by 32768) at <see cref="SampleRate"/> Hz.</summary>
public sealed record WavAudio(int SampleRate, float[] Samples)
{
    /// <summary>Length in seconds.</summary>
    public double Duration => (double)Samples.Length / SampleRate;
}

/// <summary>A .wav file that cannot be read: not RIFF/WAVE, a missing or malformed chunk, a format other than 16-bit
/// PCM mono, or truncated data. The message names the file and the problem.</summary>
public sealed class WavFormatException : NablaException
{
    /// <summary>An error about <paramref name="fileName"/>: "<paramref name="fileName"/>: <paramref name="problem"/>".</summary>
    /// <param name="fileName">the file (or a stream description)</param>
    /// <param name="problem">what is wrong with it, e.g. "not a RIFF/WAVE file"</param>
    /// <param name="inner">the underlying error, if any</param>
    public WavFormatException(string fileName, string problem, Exception? inner = null) : base($"{fileName}: {problem}", inner)
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The file (or a stream description such as "&lt;stream&gt;").</summary>
    public string FileName { get; }

    /// <summary>What is wrong with the file, without its name.</summary>
    public string Problem { get; }
}

/// <summary>
/// Reads and writes RIFF/WAVE files with 16-bit PCM mono samples (what <c>espeak-ng -w</c> and most speech corpora
/// write). Chunks other than "fmt " and "data" (LIST, fact, …) are skipped; a data chunk whose declared size runs past
/// the end of the file is an error, except the 0 / 0xFFFFFFFF size that streaming writers leave (then the rest of the
/// file is the data).
/// </summary>
public static class Wav
{
    /// <summary>Reads <paramref name="path"/>. Throws <see cref="FileNotFoundException"/> when it does not exist and
    /// <see cref="WavFormatException"/> naming the file and the problem when it is not 16-bit PCM mono WAVE.</summary>
    public static WavAudio Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"WAV file not found: {path}", path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a whole WAVE file held in <paramref name="bytes"/>; <paramref name="name"/> labels errors.</summary>
    public static WavAudio Read(ReadOnlySpan<byte> bytes, string name = "<stream>")
    {
        if (bytes.Length < 12) throw new WavFormatException(name, $"too short for a RIFF header ({bytes.Length} bytes)");
        if (!bytes[..4].SequenceEqual("RIFF"u8)) throw new WavFormatException(name, $"not a RIFF file (starts with '{Ascii(bytes[..4])}')");
        if (!bytes.Slice(8, 4).SequenceEqual("WAVE"u8)) throw new WavFormatException(name, $"RIFF form is '{Ascii(bytes.Slice(8, 4))}', not 'WAVE'");
        int pos = 12, sampleRate = 0;
        bool haveFormat = false;
        while (pos + 8 <= bytes.Length)
        {
            string id = Ascii(bytes.Slice(pos, 4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(pos + 4, 4));
            int body = pos + 8;
            if (id == "fmt ")
            {
                if (size < 16 || body + 16 > bytes.Length) throw new WavFormatException(name, $"'fmt ' chunk of {size} bytes is shorter than 16");
                var f = bytes.Slice(body, 16);
                int format = BinaryPrimitives.ReadUInt16LittleEndian(f), channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(f[4..]);
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
                if (format == 0xFFFE && size >= 40 && body + 26 <= bytes.Length)
                    format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 24, 2));   // WAVE_FORMAT_EXTENSIBLE: the sub-format
                if (format != 1) throw new WavFormatException(name, $"audio format {format} is not PCM (1); only 16-bit PCM mono is supported");
                if (channels != 1) throw new WavFormatException(name, $"{channels} channels; only mono is supported");
                if (bits != 16) throw new WavFormatException(name, $"{bits} bits per sample; only 16-bit PCM is supported");
                if (sampleRate <= 0) throw new WavFormatException(name, $"sample rate {sampleRate} is not positive");
                haveFormat = true;
            }
            else if (id == "data")
            {
                if (!haveFormat) throw new WavFormatException(name, "'data' chunk before the 'fmt ' chunk");
                long available = bytes.Length - body;
                long length = size is 0 or uint.MaxValue ? available : size;
                if (length > available) throw new WavFormatException(name, $"truncated: the 'data' chunk declares {size} bytes, the file holds {available}");
                if (length % 2 != 0) throw new WavFormatException(name, $"'data' chunk of {length} bytes is not a whole number of 16-bit samples");
                var samples = new float[length / 2];
                var data = bytes.Slice(body, (int)length);
                for (int i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) / 32768f;
                return new WavAudio(sampleRate, samples);
            }
            long next = body + (long)size + (size & 1);   // chunks are padded to an even length
            if (next > bytes.Length) break;
            pos = (int)next;
        }
        throw new WavFormatException(name, haveFormat ? "no 'data' chunk" : "no 'fmt ' chunk");
    }

    /// <summary>Writes <paramref name="samples"/> (clipped to [−1, 1], rounded to 16-bit) as PCM mono at
    /// <paramref name="sampleRate"/> Hz, atomically (a crash leaves the old file or none).</summary>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), $"Wav.Write: sample rate {sampleRate} is not positive");
        var bytes = Encode(samples, sampleRate);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The bytes of a 16-bit PCM mono WAVE file holding <paramref name="samples"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate)
    {
        var b = new byte[44 + 2 * samples.Length];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + 2 * samples.Length));
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], 2 * sampleRate);
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], 16);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)(2 * samples.Length));
        for (int i = 0; i < samples.Length; i++)
        {
            double v = Math.Round(Math.Clamp(samples[i], -1f, 1f) * 32768.0);
            BinaryPrimitives.WriteInt16LittleEndian(s[(44 + 2 * i)..], (short)Math.Clamp(v, short.MinValue, short.MaxValue));
        }
        return b;
    }

    private static string Ascii(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(b.Length);
        foreach (byte c in b) sb.Append(c is >= 32 and < 127 ? (char)c : '?');
        return sb.ToString();
    }
}
