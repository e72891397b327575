using System.Text;

namespace Nabla;

/// <summary>Reads a JSON or text file whole, like <see cref="File.ReadAllText(string)"/>, but refuses one larger than
/// <see cref="ReadLimits.MaxTextBytes"/> with a <see cref="FileTooLargeException"/> before reading it (a run folder's
/// config.json padded to 400 MiB must not cost 400 MiB plus its parse). The bound holds even when the file grows while
/// it is read or reports no length (/proc, a pipe). A missing file throws <see cref="FileNotFoundException"/> as
/// <see cref="File.ReadAllText(string)"/> does.</summary>
public static class BoundedText
{
    /// <summary>The file's bytes, at most <see cref="ReadLimits.MaxTextBytes"/> of <paramref name="limits"/> (default
    /// <see cref="ReadLimits.Default"/>).</summary>
    public static byte[] ReadAllBytes(string path, ReadLimits? limits = null) => ReadAllBytes(path, limits, FileShare.Read);

    /// <summary>The file's text (UTF-8 unless a byte-order mark says otherwise), at most
    /// <see cref="ReadLimits.MaxTextBytes"/> bytes of it.</summary>
    public static string ReadAllText(string path, ReadLimits? limits = null) => Decode(ReadAllBytes(path, limits));

    /// <summary>As <see cref="ReadAllText(string, ReadLimits?)"/>, for a file another process may be appending to
    /// or replacing (a running training's metrics.jsonl).</summary>
    public static string ReadShared(string path, ReadLimits? limits = null) =>
        Decode(ReadAllBytes(path, limits, FileShare.ReadWrite | FileShare.Delete));

    /// <summary>Text bytes as a string: UTF-8, or the encoding a byte-order mark names (as File.ReadAllText).</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>All of <paramref name="stream"/> (an archive entry whose declared length may be forged), refused
    /// once more than the limit has arrived; <paramref name="path"/> and <paramref name="entry"/> name it.</summary>
    internal static byte[] ReadStream(Stream stream, string path, string? entry, ReadLimits limits, long declared = -1)
    {
        long max = limits.MaxTextBytes;
        if (declared > max) throw new FileTooLargeException(path, entry, declared, max);
        return ReadCapped(stream, path, entry, max);
    }

    private static byte[] ReadAllBytes(string path, ReadLimits? limits, FileShare share)
    {
        long max = (limits ?? ReadLimits.Default).MaxTextBytes;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, share, bufferSize: 1, FileOptions.SequentialScan);
        long length = 0;
        try { length = fs.Length; } catch (NotSupportedException) { }
        if (length > max) throw new FileTooLargeException(path, null, length, max);
        return ReadCapped(fs, path, null, max);
    }

    /// <summary>Reads to the end, never holding more than <paramref name="max"/> + 1 bytes.</summary>
    private static byte[] ReadCapped(Stream stream, string path, string? entry, long max)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (true)
        {
            int want = (int)Math.Min(chunk.Length, max + 1 - buffer.Length);
            int got = stream.Read(chunk, 0, want);
            if (got <= 0) return buffer.ToArray();
            buffer.Write(chunk, 0, got);
            if (buffer.Length > max) throw new FileTooLargeException(path, entry, buffer.Length, max, atLeast: true);
        }
    }
}
