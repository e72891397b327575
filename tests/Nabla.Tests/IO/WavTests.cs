using System.Buffers.Binary;
using Nabla.IO;

namespace Nabla.Tests.IO;

public class WavTests
{
    /// <summary>A RIFF/WAVE file assembled by hand from its chunks: "fmt " (format, channels, rate, bits) and the
    /// given extra chunks, in order.</summary>
    private static byte[] Riff(params (string Id, byte[] Body)[] chunks)
    {
        var body = new List<byte>();
        body.AddRange("WAVE"u8.ToArray());
        foreach (var (id, b) in chunks)
        {
            body.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)b.Length);
            body.AddRange(size);
            body.AddRange(b);
            if (b.Length % 2 == 1) body.Add(0);
        }
        var head = new byte[8];
        "RIFF"u8.CopyTo(head);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), (uint)body.Count);
        return [.. head, .. body];
    }

    private static byte[] Fmt(int format = 1, int channels = 1, int rate = 8000, int bits = 16)
    {
        var f = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(f, (ushort)format);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), rate * channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)bits);
        return f;
    }

    private static byte[] Pcm(params short[] s)
    {
        var b = new byte[2 * s.Length];
        for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), s[i]);
        return b;
    }

    [Fact]
    public void Reads_hand_made_pcm16_samples_divided_by_32768_and_skips_other_chunks()
    {
        var bytes = Riff(("fmt ", Fmt(rate: 22050)), ("LIST", [1, 2, 3]), ("data", Pcm(0, 16384, -32768, 32767, -1)));
        var w = Wav.Read(bytes, "hand.wav");
        Assert.Equal(22050, w.SampleRate);
        Assert.Equal([0f, 0.5f, -1f, 32767f / 32768, -1f / 32768], w.Samples);
        Assert.Equal(5.0 / 22050, w.Duration, 15);
    }

    [Fact]
    public void Encode_writes_the_canonical_44_byte_header_and_round_trips()
    {
        float[] x = [0, 0.25f, -0.5f, 1.5f, -2f];   // the last two are clipped to the 16-bit range
        var b = Wav.Encode(x, 16000);
        Assert.Equal(44 + 10, b.Length);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(b, 0, 4));
        Assert.Equal(36u + 10, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4)));
        Assert.Equal("WAVEfmt ", System.Text.Encoding.ASCII.GetString(b, 8, 8));
        Assert.Equal(Fmt(rate: 16000), b.AsSpan(20, 16).ToArray());
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(b, 36, 4));
        Assert.Equal(Pcm(0, 8192, -16384, 32767, -32768), b.AsSpan(44).ToArray());
        var w = Wav.Read(b);
        Assert.Equal([0f, 0.25f, -0.5f, 32767f / 32768, -1f], w.Samples);

        using var dir = new TempDir();
        string path = dir.File("x.wav");
        Wav.Write(path, x, 16000);
        Assert.Equal(b, File.ReadAllBytes(path));
    }

    [NumpyFact]
    public void Reads_what_pythons_wave_module_writes()
    {
        using var dir = new TempDir();
        string path = dir.File("py.wav");
        var (code, _, err) = NumpyPython.Run("""
            import sys, wave, struct
            w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(11025)
            w.writeframes(struct.pack('<5h', 100, -200, 300, 32767, -32768)); w.close()
            """, path);
        Assert.True(code == 0, err);
        var a = Wav.Read(path);
        Assert.Equal(11025, a.SampleRate);
        Assert.Equal(new[] { 100, -200, 300, 32767, -32768 }.Select(v => v / 32768f), a.Samples);
    }

    [Fact]
    public void Bad_files_get_typed_errors_naming_file_and_problem()
    {
        WavFormatException Bad(byte[] b) => Assert.Throws<WavFormatException>(() => Wav.Read(b, "bad.wav"));
        Assert.Contains("too short", Bad([1, 2, 3]).Message);
        Assert.Contains("not a RIFF file", Bad("RIFX\0\0\0\0WAVEfmt "u8.ToArray()).Message);
        Assert.Contains("not 'WAVE'", Bad("RIFF\0\0\0\0AVI fmt "u8.ToArray()).Message);
        var stereo = Bad(Riff(("fmt ", Fmt(channels: 2)), ("data", Pcm(1, 2))));
        Assert.Equal("bad.wav", stereo.FileName);
        Assert.Contains("2 channels; only mono", stereo.Message);
        Assert.Contains("8 bits per sample", Bad(Riff(("fmt ", Fmt(bits: 8)), ("data", [1, 2]))).Message);
        Assert.Contains("audio format 3 is not PCM", Bad(Riff(("fmt ", Fmt(format: 3, bits: 32)), ("data", new byte[8]))).Message);
        Assert.Contains("'data' chunk before the 'fmt ' chunk", Bad(Riff(("data", Pcm(1)), ("fmt ", Fmt()))).Message);
        Assert.Contains("no 'data' chunk", Bad(Riff(("fmt ", Fmt()))).Message);
        Assert.Contains("no 'fmt ' chunk", Bad(Riff(("LIST", [0, 0]))).Message);
        Assert.Contains("not a whole number of 16-bit samples", Bad(Riff(("fmt ", Fmt()), ("data", [1, 2, 3]))).Message);
        var cut = Riff(("fmt ", Fmt()), ("data", Pcm(1, 2, 3, 4)));
        Assert.Contains("truncated: the 'data' chunk declares 8 bytes, the file holds 5", Bad(cut[..^3]).Message);
        Assert.Throws<FileNotFoundException>(() => Wav.Read(Path.Combine(Path.GetTempPath(), "nabla-no-such-file.wav")));
    }
}
