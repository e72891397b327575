using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Nabla.Cli.Composition;

/// <summary>What config.json records besides the options: the tool's version and commit, the machine, the thread
/// count, the data's identity (a checksum over its files) and the start time, so that a run can be compared with
/// another or reproduced.</summary>
public static class RunInfo
{
    /// <summary>The tool's version (informational version without the commit).</summary>
    public static string Version => InformationalVersion.Split('+')[0];

    /// <summary>The git commit the tool was built from, when the build recorded it (SourceLink adds it to the
    /// informational version as "+sha"); null otherwise.</summary>
    public static string? Commit => InformationalVersion.Split('+') is [_, var sha, ..] && sha.Length > 0 ? sha : null;

    private static string InformationalVersion =>
        typeof(RunInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>CPU model, logical cores, OS, runtime.</summary>
    public static JsonObject Machine() => new()
    {
        ["cpu"] = CpuModel(),
        ["cores"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["hostname"] = Environment.MachineName,
    };

    /// <summary>The threads the tensor kernels use.</summary>
    public static int Threads => Tensor.GetNumThreads();

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int i and > 0)
                        return line[(i + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    /// <summary>Identity of a data set: its name, the file or folder it was read from, the files (relative path and
    /// size) and one SHA-256 over their names and contents (files taken in ordinal order of their relative paths).
    /// Above <paramref name="maxHashBytes"/> in total the checksum covers names, sizes and modification times only
    /// ("checksum_of": "names, sizes, times").</summary>
    public static JsonObject DataIdentity(string name, string? path, long maxHashBytes = 2L << 30)
    {
        if (path is null) return new JsonObject { ["name"] = name, ["path"] = null, ["sha256"] = null, ["checksum_of"] = "nothing (the data could not be located)" };
        var files = File.Exists(path) ? [new FileInfo(path)]
            : Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.StartsWith('.')).OrderBy(f => System.IO.Path.GetRelativePath(path, f.FullName), StringComparer.Ordinal).ToList()
            : new List<FileInfo>();
        long total = files.Sum(f => f.Length);
        bool contents = total <= maxHashBytes;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var list = new JsonArray();
        string root = File.Exists(path) ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))! : path;
        foreach (var f in files)
        {
            string rel = System.IO.Path.GetRelativePath(root, f.FullName).Replace('\\', '/');
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{rel}\n{f.Length}\n"));
            if (contents)
                using (var s = f.OpenRead()) { var buf = new byte[1 << 16]; int n; while ((n = s.Read(buf)) > 0) sha.AppendData(buf, 0, n); }
            else sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{f.LastWriteTimeUtc.Ticks}\n"));
            if (list.Count < 50) list.Add(new JsonObject { ["name"] = rel, ["bytes"] = f.Length });
        }
        return new JsonObject
        {
            ["name"] = name,
            ["path"] = System.IO.Path.GetFullPath(path),
            ["files"] = list,
            ["file_count"] = files.Count,
            ["bytes"] = total,
            ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()),
            ["checksum_of"] = contents ? "names, sizes, contents" : "names, sizes, times",
        };
    }
}
