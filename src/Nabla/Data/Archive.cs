using System.Formats.Tar;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>Reads the regular files of a .tar or .tar.gz (gzip detected by its magic bytes) in archive order,
/// without extracting anything to disk. Malformed archives become <see cref="DataFormatException"/>s naming the file.</summary>
internal static class Archive
{
    /// <summary>True for names ending in .tar.gz, .tgz or .tar.</summary>
    public static bool IsArchiveName(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <summary>(name with '/' separators and no leading "./", contents) of every regular file whose name
    /// <paramref name="wanted"/> accepts.</summary>
    public static IEnumerable<(string Name, byte[] Data)> Entries(string path, Func<string, bool> wanted)
    {
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
            if (entry is null) yield break;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            string name = entry.Name.Replace('\\', '/');
            while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            if (!wanted(name)) continue;
            var data = new byte[entry.Length];
            if (entry.DataStream is { } s)
            {
                try { s.ReadExactly(data); }
                catch (EndOfStreamException e) { throw DataFormatException.For(path, $"member {name} is truncated", e); }
            }
            yield return (name, data);
        }
    }
}
