using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Nabla.Board;

namespace Nabla.Tests.Board;

/// <summary>The board's JSON API and file serving over HTTP, on a free port over a temporary runs folder.</summary>
public class BoardServerTests : IAsyncLifetime
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("nabla-board-http-").FullName;
    private string Root => Path.Combine(_tmp, "runs");
    private BoardServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        RunFolders.Write(Root, "a", 2);
        RunFolders.Write(Root, "b", 3, scale: 1.0, final: false);
        RunFolders.WriteLab(Root, "labs/logic");
        File.WriteAllText(Path.Combine(Root, "a", "model.npz"), "weights");
        File.WriteAllText(Path.Combine(_tmp, "secret.txt"), "top secret");
        _server = await BoardServer.StartAsync(new BoardOptions(Root, Port: 0, PollInterval: TimeSpan.FromMilliseconds(100)));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_tmp, true);
    }

    private Uri At(string path) => new(_server.Url, path);

    private async Task<JsonNode> GetJson(string path)
    {
        using var r = await _http.GetAsync(At(path));
        Assert.True(r.IsSuccessStatusCode, $"{path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        Assert.StartsWith("application/json", r.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public void It_listens_on_loopback_on_the_port_it_picked()
    {
        Assert.Equal("127.0.0.1", _server.Url.Host);
        Assert.NotEqual(0, _server.Url.Port);
    }

    [Fact]
    public async Task Runs_lists_every_run_with_config_and_final_metrics()
    {
        var j = await GetJson("/api/runs");
        var runs = j["runs"]!.AsArray();
        Assert.Equal(["a", "b", "labs/logic"], runs.Select(r => (string)r!["id"]!));
        Assert.Equal(["finished", "running", "finished"], runs.Select(r => (string)r!["status"]!));
        Assert.Equal(0.9, (double)runs[0]!["final"]!["test_accuracy"]!);
        Assert.Equal(2, (int)runs[0]!["final"]!["epochs"]!);
        Assert.Equal(1 - (1.0 / 3 + 0.1) / 4, (double)runs[1]!["final"]!["val_accuracy"]!, 12); // epoch 3 of scale 1
        Assert.Equal("[32]", (string?)runs[0]!["config"]!["hidden"]);
        Assert.Equal("labs/logic/report.md", (string?)runs[2]!["report"]);
    }

    [Fact]
    public async Task Metrics_returns_each_runs_history_and_404_for_a_run_that_is_not_there()
    {
        var j = await GetJson("/api/metrics?run=a&run=b");
        var a = j["runs"]!["a"]!["history"]!.AsArray();
        var b = j["runs"]!["b"]!["history"]!.AsArray();
        Assert.Equal([1, 2], a.Select(r => (int)r!["epoch"]!));
        Assert.Equal([1, 2, 3], b.Select(r => (int)r!["epoch"]!));
        Assert.Equal(0.025, (double)b[2]!["lr"]!, 12); // 0.1 · 0.5²
        foreach (var bad in new[] { "/api/metrics?run=nope", "/api/metrics?run=../runs/a", "/api/metrics?run=labs" })
            Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(At(bad))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(At("/api/metrics"))).StatusCode);
    }

    [Fact]
    public async Task Report_is_rendered_html_with_figures_served_from_the_run()
    {
        var j = await GetJson("/api/report?run=labs/logic");
        string html = (string)j["html"]!;
        Assert.Contains("<h1>Logic gates</h1>", html);
        Assert.Contains("<td>XOR</td><td>0.75</td>", html);
        Assert.Contains("<img src=\"/files/labs/logic/fig.svg\"", html);
        Assert.DoesNotContain("<script", html);
        using var fig = await _http.GetAsync(At("/files/labs/logic/fig.svg"));
        Assert.Equal(HttpStatusCode.OK, fig.StatusCode);
        Assert.Equal("image/svg+xml", fig.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<rect", await fig.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(At("/api/report?run=a"))).StatusCode);
    }

    [Fact]
    public async Task The_page_script_and_style_are_served_by_the_board_itself()
    {
        string page = await _http.GetStringAsync(At("/"));
        Assert.Contains("<script src=\"/static/board.js\"", page);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", page);
        using var js = await _http.GetAsync(At("/static/board.js"));
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        string script = await js.Content.ReadAsStringAsync();
        Assert.Contains("EventSource", script);
        Assert.DoesNotContain("https://", script);
        Assert.Contains("script-src 'self'", js.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(At("/static/board.css"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(At("/static/evil.js"))).StatusCode);
    }

    [Fact]
    public async Task Files_serves_run_files_but_not_other_kinds()
    {
        string csv = await _http.GetStringAsync(At("/files/a/metrics.csv"));
        Assert.StartsWith("epoch,train_loss,", csv);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(At("/files/a/model.npz"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(At("/files/a/missing.png"))).StatusCode);
    }

    /// <summary>Requests sent byte for byte (HttpClient would normalise the dots away before sending).</summary>
    [Theory]
    [InlineData("/files/../secret.txt")]
    [InlineData("/files/a/../../secret.txt")]
    [InlineData("/files/%2e%2e/secret.txt")]
    [InlineData("/files/..%2fsecret.txt")]
    [InlineData("/files/..%2Fsecret.txt")]
    [InlineData("/files/a/..%5c..%5csecret.txt")]
    [InlineData("/files//" + "tmp/secret.txt")]
    [InlineData("/files/%2fetc%2fpasswd")]
    [InlineData("/api/report?run=..")]
    [InlineData("/api/metrics?run=..%2f")]
    public async Task Traversal_out_of_the_root_never_returns_a_file(string rawPath)
    {
        var (status, body) = await RawGet(rawPath);
        Assert.NotEqual(200, status);
        Assert.DoesNotContain("top secret", body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task A_link_out_of_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "a", "leak.txt"), Path.Combine(_tmp, "secret.txt"));
        var (status, body) = await RawGet("/files/a/leak.txt");
        Assert.Equal(403, status);
        Assert.DoesNotContain("top secret", body);
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused_on_a_loopback_board()
    {
        // DNS rebinding: a web page on evil.example resolving to 127.0.0.1 must not read the runs.
        var (status, _) = await RawGet("/api/runs", host: "evil.example");
        Assert.Equal(421, status);
        Assert.Equal(200, (await RawGet("/api/runs", host: "localhost")).Status);
    }

    [Fact]
    public async Task Events_announce_a_change_when_an_epoch_is_appended()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var response = await _http.GetAsync(At("/api/events"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("event: hello", await NextEvent(reader, cts.Token));
        RunFolders.Append(Path.Combine(Root, "b"), RunFolders.Epoch(4, 1.0));
        Assert.Equal("event: change", await NextEvent(reader, cts.Token));
        var b = (await GetJson("/api/metrics?run=b"))["runs"]!["b"]!["history"]!.AsArray();
        Assert.Equal(4, b.Count);
    }

    private static async Task<string> NextEvent(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is string line)
            if (line.StartsWith("event: ")) return line;
        throw new EndOfStreamException("the event stream ended");
    }

    private async Task<(int Status, string Body)> RawGet(string rawPath, string? host = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.Url.Host, _server.Url.Port);
        using var stream = tcp.GetStream();
        string request = $"GET {rawPath} HTTP/1.1\r\nHost: {host ?? "127.0.0.1:" + _server.Url.Port}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var statusLine = response.Split("\r\n", 2)[0].Split(' ');
        return (int.Parse(statusLine[1]), response);
    }
}
