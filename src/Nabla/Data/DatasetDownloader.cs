using System.Security.Cryptography;

namespace Nabla.Data;

/// <summary>How <see cref="DatasetDownloader"/> reaches the network.</summary>
public sealed record DownloadOptions
{
    /// <summary>Time to establish a connection to one mirror (short, so that an offline machine fails fast).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one whole file from one mirror.</summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Replaces the HTTP stack (tests pass a fake; null = sockets).</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Receives one line per step ("downloading ...", "ok", "skip").</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives (file name, bytes received, published size) as a file streams in (for a progress bar).</summary>
    public Action<string, long, long>? Progress { get; init; }
}

/// <summary>
/// Fetches a dataset's published files into <c>&lt;root&gt;/&lt;name&gt;/</c>, trying each mirror in turn and
/// accepting a file only when its size and md5 match the published ones. Each file is streamed to a temporary
/// file and renamed into place, so an interrupted download never leaves a partial file under the real name.
/// Files already present with the right md5 are kept.
/// </summary>
public static class DatasetDownloader
{
    /// <summary>Downloads <paramref name="spec"/> under the data root (see <see cref="DataRoot.Resolve"/>) and returns its folder.</summary>
    public static string Download(DatasetSpec spec, string? root = null, DownloadOptions? options = null) =>
        DownloadAsync(spec, root, options).GetAwaiter().GetResult();

    /// <summary>Downloads <paramref name="spec"/>'s files under the data root, trying each mirror in turn and checking sizes and MD5 sums; returns the dataset folder. Files already present and valid are kept.</summary>
    /// <param name="spec">the dataset</param>
    /// <param name="root">the data root; null = <see cref="DataRoot.Resolve"/>'s choice</param>
    /// <param name="options">mirrors, timeout, progress; null = the defaults</param>
    /// <param name="ct">cancels the download</param>
    /// <exception cref="DataDownloadException">no published download, or every mirror failed or gave a bad checksum</exception>
    public static async Task<string> DownloadAsync(DatasetSpec spec, string? root = null, DownloadOptions? options = null, CancellationToken ct = default)
    {
        options ??= new DownloadOptions();
        if (spec.Mirrors.Count == 0 || spec.Files.Count == 0)
            throw new DataDownloadException($"{spec.Title} has no published download; put it in {Path.Combine(DataRoot.Resolve(root).Path, spec.Name)} by hand ({spec.Expected})");
        string dir = Path.Combine(DataRoot.Resolve(root).Path, spec.Name);
        Directory.CreateDirectory(dir);
        var handler = options.Handler ?? new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
        using var http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = options.FileTimeout };
        foreach (var file in spec.Files)
        {
            string target = Path.Combine(dir, file.FileName);
            if (File.Exists(target) && Md5Of(target) == file.Md5)
            {
                options.Log?.Invoke($"{file.FileName}: present, md5 ok");
                continue;
            }
            var failures = new List<string>();
            bool done = false;
            foreach (var mirror in spec.Mirrors)
            {
                string url = mirror + file.FileName;
                options.Log?.Invoke($"downloading {url}");
                string? problem = await TryFetch(http, url, file, target, options.Progress, ct).ConfigureAwait(false);
                if (problem is null) { done = true; break; }
                failures.Add($"{url}: {problem}");
                options.Log?.Invoke($"  failed: {problem}");
            }
            if (!done)
                throw new DataDownloadException(
                    $"could not download {spec.Title} file {file.FileName} into {dir}; tried {string.Join("; ", failures)}. " +
                    $"If this machine is offline, copy the files ({string.Join(", ", spec.Files.Select(f => f.FileName))}) " +
                    $"into {dir}, or set {DataRoot.EnvironmentVariable} (or --data-root) to a folder that holds {spec.Name}/");
        }
        return dir;
    }

    /// <summary>Fetches one file; returns null on success, otherwise why it failed.</summary>
    private static async Task<string?> TryFetch(HttpClient http, string url, DataFileSpec file, string target, Action<string, long, long>? progress, CancellationToken ct)
    {
        string tmp = $"{target}.{Guid.NewGuid():N}.part";
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long size = 0;
            await using (var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
            await using (var output = File.Create(tmp))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    size += n;
                    progress?.Invoke(file.FileName, size, file.Size);
                    if (size > file.Size) return $"more than the published {file.Size} bytes";
                }
            }
            if (size != file.Size) return $"got {size} bytes, published size is {file.Size}";
            string hash = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (hash != file.Md5) return $"md5 {hash} differs from the published {file.Md5}";
            File.Move(tmp, target, overwrite: true);
            return null;
        }
        catch (HttpRequestException e) { return e.Message; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return $"timed out after {http.Timeout.TotalSeconds:0} s"; }
        catch (IOException e) { return e.Message; }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Lower-case hex md5 of a file.</summary>
    public static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
