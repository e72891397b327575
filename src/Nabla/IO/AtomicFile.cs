namespace Nabla.IO;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the bytes go to a temporary file in the same folder (same volume, so the final rename is
/// atomic on POSIX and NTFS), are flushed to disk, and then replace the target with one <see cref="File.Move(string, string, bool)"/>.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a fresh temporary file and moves it over <paramref name="path"/>.
    /// If <paramref name="write"/> throws, the temporary file is deleted and <paramref name="path"/> is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        // Dot-prefixed and random so that concurrent writers and directory listings (globs on *.npz) do not clash.
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }             // best effort: the original exception matters more
        catch (UnauthorizedAccessException) { }
    }
}
