using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.Tests.Board;

/// <summary>
/// Debian's chromium driven over the Chrome DevTools protocol (a WebSocket, JSON messages): enough to load a page,
/// evaluate script in it, wait for a condition and take a screenshot. Started headless as root would need it
/// (--no-sandbox), with a fresh profile and nothing that reaches the network by itself.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where Debian installs the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    /// <summary>Errors the page reported (uncaught exceptions, console.error), in order.</summary>
    public ConcurrentQueue<string> PageErrors { get; } = new();

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => File.Exists(Executable) ? null
        : $"{Executable} is absent: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser tests";

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts the browser with a viewport of <paramref name="width"/> × <paramref name="height"/> and connects
    /// to its first tab.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(int width = 1400, int height = 1000)
    {
        string profile = Directory.CreateTempSubdirectory("nabla-chromium-").FullName;
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                     "--disable-dev-shm-usage", "--mute-audio", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     "--remote-allow-origins=*", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Executable}");
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // Chromium writes the port it chose (and the browser's WebSocket path) to DevToolsActivePort in the profile.
            string portFile = Path.Combine(profile, "DevToolsActivePort");
            var deadline = Stopwatch.StartNew();
            int port = 0;
            while (port == 0)
            {
                if (process.HasExited) throw new InvalidOperationException($"chromium exited with code {process.ExitCode}:\n{log}");
                if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"chromium did not open its DevTools port in 60 s:\n{log}");
                if (File.Exists(portFile) && File.ReadAllLines(portFile) is [var first, ..] && int.TryParse(first, out int p)) port = p;
                else await Task.Delay(100);
            }
            using var http = new HttpClient();
            JsonObject? page = null;
            while (page is null)
            {
                var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
                page = targets.OfType<JsonObject>().FirstOrDefault(t => (string?)t["type"] == "page");
                if (page is null)
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("chromium opened no page target");
                    await Task.Delay(100);
                }
            }
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            browser._reader = Task.Run(browser.ReadLoop);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one DevTools command and returns its result (a protocol error throws with its message).</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        var reply = await tcs.Task.WaitAsync(TimeSpan.FromSeconds(120));
        if (reply["error"] is JsonNode error) throw new InvalidOperationException($"DevTools {method}: {error.ToJsonString()}");
        return reply["result"] as JsonObject ?? new JsonObject();
    }

    /// <summary>Opens <paramref name="url"/> in the tab.</summary>
    public async Task NavigateAsync(Uri url)
    {
        var r = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        if (r["errorText"] is JsonNode e) throw new InvalidOperationException($"navigation to {url} failed: {e}");
    }

    /// <summary>The value of a script expression in the page (promises awaited).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var r = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true,
        });
        if (r["exceptionDetails"] is JsonObject ex)
            throw new InvalidOperationException($"script failed: {expression}\n{ex["exception"]?["description"] ?? ex["text"]}");
        return r["result"]?["value"]?.DeepClone();
    }

    /// <summary>Polls <paramref name="expression"/> until it is true; a generous limit (the machine may be loaded)
    /// turns a page that never gets there into a failure naming the condition and what the page last showed.</summary>
    public async Task WaitForAsync(string expression, string? describe = null, int timeoutSeconds = 90)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if ((await EvaluateAsync($"!!({expression})"))?.GetValue<bool>() == true) return;
            if (clock.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                string body = (await EvaluateAsync("document.body ? document.body.innerText.slice(0, 2000) : ''"))?.ToString() ?? "";
                throw new TimeoutException($"the page did not reach `{describe ?? expression}` in {timeoutSeconds} s; page errors: " +
                                           $"[{string.Join("; ", PageErrors)}]; page text:\n{body}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Saves a PNG of the whole page.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var r = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)r["data"]!));
    }

    private async Task ReadLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (node["id"] is JsonNode idNode && _pending.TryRemove(idNode.GetValue<int>(), out var tcs)) tcs.SetResult(node);
                else if ((string?)node["method"] == "Runtime.exceptionThrown")
                    PageErrors.Enqueue(node["params"]?["exceptionDetails"]?["exception"]?["description"]?.ToString() ?? node.ToJsonString());
                else if ((string?)node["method"] == "Runtime.consoleAPICalled" && (string?)node["params"]?["type"] == "error")
                    PageErrors.Enqueue("console.error: " + node["params"]?["args"]?.ToJsonString());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        foreach (var tcs in _pending.Values) tcs.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    /// <summary>Closes the browser (and ends its process tree if it does not go), then deletes the profile.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or WebSocketException or OperationCanceledException) { }
        _stop.Cancel();
        try { await _reader.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        if (!_process.WaitForExit(5_000))
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
        _process.Dispose();
        _socket.Dispose();
        try { Directory.Delete(_profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
