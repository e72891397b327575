using System.Formats.Tar;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>Reads the regular files of a .tar or .tar.gz (gzip detected by its magic bytes) in archive order,
/// without extracting anything to disk. Malformed archives become <see cref="DataFormatException"/>s naming the file.
/// A member's declared size is checked against <see cref="ReadLimits"/> and against the archive (a raw tar's
/// length, or the bytes a .tar.gz actually inflates to) before its contents are held in memory.</summary>
internal static class Archive
{
    /// <summary>True for names ending in .tar.gz, .tgz or .tar.</summary>
    public static bool IsArchiveName(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <summary>(name with '/' separators and no leading "./", contents) of every regular file whose name
    /// <paramref name="wanted"/> accepts.</summary>
    public static IEnumerable<(string Name, byte[] Data)> Entries(string path, Func<string, bool> wanted, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream stream = file;
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        if (b0 == 0x1f && b1 == 0x8b) stream = new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
        using var reader = new TarReader(stream);
        while (true)
        {
            TarEntry? entry;
            try { entry = reader.GetNextEntry(); }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw DataFormatException.For(path, $"not a readable tar archive ({e.Message})", e);
            }
            catch (NotSupportedException e)
            {
                throw DataFormatException.For(path, $"holds a tar member of a kind that cannot be read ({e.Message})", e);
            }
            catch (Exception e) when (e is ArgumentException or OverflowException or IOException)
            {
                throw DataFormatException.For(path, $"not a readable tar archive (a malformed member header near offset {Offset(file)})", e);
            }
            if (entry is null) yield break;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            string name = entry.Name.Replace('\\', '/');
            while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            if (!wanted(name)) continue;
            yield return (name, ReadMember(entry, name, path, file, gzip: stream != file, limits));
        }
    }

    private static byte[] ReadMember(TarEntry entry, string name, string path, FileStream file, bool gzip, ReadLimits limits)
    {
        long length = entry.Length;
        limits.CheckBytes(length, $"member {name} (declared size {length} bytes)", p => DataFormatException.For(path, p));
        if (length == 0 || entry.DataStream is not { } s) return [];
        Exception Truncated(long got) =>
            DataFormatException.For(path, $"member {name} is truncated: its header declares {length} bytes but the archive holds only {got}");
        try
        {
            if (gzip) return BoundedReader.ReadDeclared(s, length, Truncated);
            long left = entry.DataOffset >= 0 ? file.Length - entry.DataOffset : length;
            if (left < length) throw Truncated(Math.Max(left, 0));
            var data = new byte[length];
            int got = s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (got < length) throw Truncated(got);
            return data;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw DataFormatException.For(path, $"member {name} cannot be read ({(e is EndOfStreamException ? "truncated" : "corrupt gzip data")})", e);
        }
    }

    private static string Offset(FileStream file)
    {
        try { return file.Position.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        catch (ObjectDisposedException) { return "?"; }
    }
}
