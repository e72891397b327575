using System.IO.Compression;

namespace Nabla.IO;

/// <summary>
/// NumPy's .npz format: a ZIP archive with one "name.npy" entry per array (<c>np.savez</c> stores,
/// <c>np.savez_compressed</c> deflates; both are read). Names may contain dots and slashes
/// ("layers.0.weight", "model/fc.bias") and come back unchanged; <c>np.load(path)[name]</c> sees the same names.
/// Writes are atomic (<see cref="AtomicFile"/>) and reproducible (entries carry a fixed 1980-01-01 timestamp, as
/// NumPy's do).
/// </summary>
public static class Npz
{
    internal static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="arrays"/> to <paramref name="path"/>, deflated when
    /// <paramref name="compress"/> (like <c>np.savez_compressed</c>), stored otherwise (like <c>np.savez</c>).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntries(zip, arrays, "", compress);
        });
    }

    /// <summary>Reads every ".npy" entry of an .npz file, in archive order; other entries are ignored. Each entry's
    /// declared data is checked against the entry's size and <paramref name="limits"/> before it is allocated.</summary>
    public static Dictionary<string, Tensor> Load(string path, ReadLimits? limits = null) => Read(path, null, limits);

    /// <summary>Adds one entry "<paramref name="prefix"/>name.npy" per array.</summary>
    internal static void WriteEntries(ZipArchive zip, IReadOnlyDictionary<string, Tensor> arrays, string prefix, bool compress)
    {
        foreach (var (name, tensor) in arrays)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("Npz.Save: an array name is empty");
            if (tensor is null) throw new ArgumentException($"Npz.Save: array '{name}' is null");
            var entry = zip.CreateEntry(prefix + name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = FixedTimestamp;
            using var es = entry.Open();
            Npy.Write(es, tensor);
        }
    }

    /// <summary>Reads the ".npy" entries of <paramref name="path"/>; every other entry goes to
    /// <paramref name="onOtherEntry"/> (or is skipped when it is null). ZIP errors become
    /// <see cref="NpzFormatException"/>s that name the file and entry.</summary>
    internal static Dictionary<string, Tensor> Read(string path, Action<ZipArchiveEntry>? onOtherEntry, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ZipArchive zip;
        try { zip = new ZipArchive(fs, ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new NpzFormatException(path, null, $"not a readable ZIP archive ({e.Message})", e); }
        using (zip)
        {
            var result = new Dictionary<string, Tensor>();
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try { entries = zip.Entries; }     // the central directory is parsed here, on first use
            catch (InvalidDataException e) { throw new NpzFormatException(path, null, $"not a readable ZIP archive ({e.Message})", e); }
            foreach (var entry in entries)
            {
                if (entry.FullName.EndsWith('/')) continue;                 // directory record
                try
                {
                    if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) { onOtherEntry?.Invoke(entry); continue; }
                    string name = entry.FullName[..^4];
                    using var es = entry.Open();
                    var t = Npy.Read(es, path, entry.FullName, limits, Available(entry, fs.Length));
                    if (!result.TryAdd(name, t)) throw new NpzFormatException(path, entry.FullName, "duplicate entry name");
                }
                catch (InvalidDataException e)
                {
                    throw new NpzFormatException(path, entry.FullName, $"corrupt ZIP entry ({e.Message})", e);
                }
            }
            return result;
        }
    }

    /// <summary>The entry's declared uncompressed size, and whether the bytes are certainly in the file: a stored
    /// entry whose size fits the file. A deflated entry's size is only an upper bound (it may be forged).</summary>
    private static (long Bytes, bool Present) Available(ZipArchiveEntry entry, long fileLength)
    {
        bool stored = entry.CompressedLength == entry.Length && entry.Length <= fileLength;
        return (entry.Length, stored);
    }
}
