namespace Nabla.IO;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the bytes go to a temporary file in the same folder (same volume, so the final rename is
/// atomic on POSIX and NTFS), are flushed to disk (fsync), replace the target with one
/// <see cref="File.Move(string, string, bool)"/>, and the folder itself is then fsynced (POSIX) so that the rename
/// survives a power loss. Temporary files are named <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>; a process killed mid-write
/// leaves one behind, which <see cref="RemoveStaleTemporaries"/> deletes.</summary>
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
        string temp = TempPathFor(full);
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
        SyncDirectory(dir);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => s.Write(new System.Text.UTF8Encoding(false).GetBytes(text)));

    /// <summary>A fresh temporary name beside <paramref name="path"/>: dot-prefixed (hidden from globs such as
    /// <c>*.npz</c>) and unique, so that concurrent writers never share one.</summary>
    public static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Deletes the temporary files (<c>.*.tmp</c>) that writes interrupted by a crash or kill left in
    /// <paramref name="directory"/>; call it only while no other writer uses the folder (e.g. under a lock).
    /// Returns the names removed.</summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var f in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            try { File.Delete(f); removed.Add(Path.GetFileName(f)); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>fsync of a folder, so that a rename or a new file in it is durable (no-op on Windows, where NTFS
    /// journals the metadata; best effort: a file system that refuses it is not an error).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows() || !s_syncDirectories) return;
        try
        {
            int fd = Posix.Open(directory, 0 /* O_RDONLY */);
            if (fd < 0) return;
            Posix.FSync(fd);
            Posix.Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_syncDirectories = false;      // no C library under that name: the data is still fsynced, only the rename is not
        }
    }

    private static bool s_syncDirectories = true;

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }             // best effort: the original exception matters more
        catch (UnauthorizedAccessException) { }
    }

    private static class Posix
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
