using System.Globalization;
using Nabla.Cli.Commands;
using Nabla.IO;

namespace Nabla.Cli.Composition;

/// <summary>
/// A run folder owned by one process. <see cref="Acquire"/> takes an OS-level exclusive lock on
/// <c>&lt;folder&gt;/.nabla.lock</c> (a <see cref="FileStream"/> with <see cref="FileShare.None"/>: <c>flock</c> on
/// Linux and macOS, a share-mode lock on Windows), which the kernel releases when the process ends however it ends; a
/// second run into the folder is refused while the first holds it. The lock file records the owner's pid while it
/// runs and is emptied on a clean exit, so a non-empty lock file that can be locked was left by a killed run (a
/// stale lock): it is taken over, and the temporary files (<c>.*.tmp</c>) that run's interrupted writes left are removed.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>Where runs go when no --out is given: runs/train/&lt;model&gt;-&lt;data&gt;-001, -002, ...</summary>
    public const string DefaultParent = "runs/train";

    /// <summary>The lock file's name.</summary>
    public const string LockName = ".nabla.lock";

    /// <summary>Files that make a folder hold a run result (a folder with none of them may be reused freely).</summary>
    public static readonly string[] ResultFiles = ["model.npz", "checkpoint.npz", "metrics.json"];

    /// <summary>Every file a run writes (what --overwrite removes).</summary>
    public static readonly string[] RunFiles =
        ["model.npz", "checkpoint.npz", "metrics.json", "metrics.jsonl", "metrics.csv", "config.json", "preprocess.json", "curves.png", "curves-loss.svg", "curves-accuracy.svg"];

    private readonly FileStream _lock;
    private readonly bool _created;

    private RunFolder(string path, FileStream lockStream, bool created, string? staleOwner, IReadOnlyList<string> removed)
    {
        Path = path;
        _lock = lockStream;
        _created = created;
        StaleOwner = staleOwner;
        RemovedTemporaries = removed;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>What the lock file of a killed earlier run said (null when the lock was not stale).</summary>
    public string? StaleOwner { get; }

    /// <summary>Temporary files of interrupted writes removed when the folder was acquired.</summary>
    public IReadOnlyList<string> RemovedTemporaries { get; }

    /// <summary>The result files present (<see cref="ResultFiles"/>); empty when there is neither a model.npz nor a
    /// checkpoint.npz (a run stopped before its first good epoch leaves at most config.json and metrics.json: no result).</summary>
    public IReadOnlyList<string> ExistingResults()
    {
        var present = ResultFiles.Where(f => File.Exists(System.IO.Path.Combine(Path, f))).ToList();
        return present.Contains("model.npz") || present.Contains("checkpoint.npz") ? present : [];
    }

    /// <summary>Creates <paramref name="path"/> if needed and locks it; throws <see cref="UsageException"/> when another
    /// run holds it or the path is a file, <see cref="IOException"/> naming the folder when it cannot be created or written.</summary>
    public static RunFolder Acquire(string path)
    {
        if (File.Exists(path)) throw new UsageException($"--out {path} is a file, not a folder");
        bool created = !Directory.Exists(path);
        try { Directory.CreateDirectory(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the run folder {path}: {e.Message}", e);
        }
        return Lock(path, created) ?? throw new UsageException(
            $"{path} is in use by another training run (it holds {System.IO.Path.Combine(path, LockName)}); wait for it to finish or choose another --out");
    }

    /// <summary>A new numbered folder <paramref name="parent"/>/<paramref name="stem"/>-NNN (the first number not yet
    /// used), created and locked.</summary>
    public static RunFolder CreateNumbered(string parent, string stem)
    {
        for (int n = 1; n < 100_000; n++)
        {
            string path = System.IO.Path.Combine(parent, $"{stem}-{n.ToString("000", CultureInfo.InvariantCulture)}");
            if (Directory.Exists(path) || File.Exists(path)) continue;
            try { Directory.CreateDirectory(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot create the run folder {path}: {e.Message}", e);
            }
            var folder = Lock(path, created: true);
            if (folder is null) continue;                                    // another run just took this number
            if (folder.ExistingResults().Count == 0) return folder;
            folder.Dispose();
        }
        throw new IOException($"{parent}: no free run number left (000..99999 all used)");
    }

    private static RunFolder? Lock(string path, bool created)
    {
        string lockPath = System.IO.Path.Combine(path, LockName);
        FileStream fs;
        try { fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e) when (IsSharingViolation(e)) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write in the run folder {path} ({lockPath}): {e.Message}", e);
        }
        try
        {
            string? stale = null;
            if (fs.Length > 0)
            {
                var buf = new byte[Math.Min(fs.Length, 4096)];
                fs.ReadExactly(buf);
                stale = System.Text.Encoding.UTF8.GetString(buf).Trim();
            }
            fs.SetLength(0);
            fs.Position = 0;
            fs.Write(System.Text.Encoding.UTF8.GetBytes(
                $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n"));
            fs.Flush(flushToDisk: true);
            var removed = AtomicFile.RemoveStaleTemporaries(path);
            return new RunFolder(path, fs, created, string.IsNullOrEmpty(stale) ? null : stale, removed);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    private static bool IsSharingViolation(IOException e) =>
        (e.HResult & 0xFFFF) is 32 or 33 || e.HResult == 11 /* EWOULDBLOCK */ || e.Message.Contains("being used by another process", StringComparison.Ordinal);

    /// <summary>Removes the run files of an earlier run (model.npz first, so that no step of the removal leaves a
    /// model beside another run's config.json).</summary>
    public void RemoveRunFiles()
    {
        foreach (var f in RunFiles)
        {
            string p = System.IO.Path.Combine(Path, f);
            if (File.Exists(p)) File.Delete(p);
        }
        AtomicFile.SyncDirectory(Path);
    }

    /// <summary>Releases the lock (the lock file is emptied: a clean exit). A folder this run created and left without
    /// any file is removed again.</summary>
    public void Dispose()
    {
        try
        {
            _lock.SetLength(0);
            _lock.Flush(flushToDisk: true);
            if (_created && Directory.EnumerateFileSystemEntries(Path).All(e => System.IO.Path.GetFileName(e) == LockName))
            {
                File.Delete(System.IO.Path.Combine(Path, LockName));
                _lock.Dispose();
                Directory.Delete(Path);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        finally { _lock.Dispose(); }
    }
}
