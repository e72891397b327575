namespace Nabla;

/// <summary>Reads data whose length a file declares from a stream whose real length is unknown (gzip, deflate, a
/// tar member behind gzip): the buffer grows with the bytes that actually arrive (doubling from 1 MiB), so a forged
/// length costs at most twice the data present, never what the header claims.</summary>
internal static class BoundedReader
{
    private const int InitialBytes = 1 << 20;

    /// <summary>Exactly <paramref name="declared"/> bytes into a new array; when the stream ends early, the exception
    /// <paramref name="truncated"/>(bytes present) builds. The caller has checked <paramref name="declared"/>
    /// against <see cref="ReadLimits"/>.</summary>
    public static byte[] ReadDeclared(Stream stream, long declared, Func<long, Exception> truncated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(declared);
        if (declared > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(declared));
        int length = (int)declared;
        var buffer = new byte[Math.Min(length, InitialBytes)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            int got = stream.Read(buffer, filled, buffer.Length - filled);
            if (got <= 0) throw truncated(filled);
            filled += got;
        }
        return buffer;
    }

    /// <summary>Whether the stream holds at least <paramref name="bytes"/> more bytes; null when it cannot tell
    /// (not seekable).</summary>
    public static bool? HasAtLeast(Stream stream, long bytes)
    {
        if (!stream.CanSeek) return null;
        try { return stream.Length - stream.Position >= bytes; }
        catch (NotSupportedException) { return null; }
    }
}
