using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Nabla.Board;

/// <summary>The board's routes. Every path from a request goes through <see cref="RunsRoot.Resolve"/>.</summary>
internal static class BoardEndpoints
{
    /// <summary>The files <c>/files/</c> serves, by extension, with their content type.</summary>
    internal static readonly Dictionary<string, string> FileTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/plain; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".jsonl"] = "text/plain; charset=utf-8",
        [".csv"] = "text/plain; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".log"] = "text/plain; charset=utf-8",
    };

    private static readonly Dictionary<string, string> StaticTypes = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["board.js"] = "text/javascript; charset=utf-8",
        ["board.css"] = "text/css; charset=utf-8",
    };

    /// <summary>The page may load only what the board serves: no CDN, no inline script.</summary>
    private const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app, RunsRoot root, BoardOptions options, bool loopbackOnly)
    {
        var assets = StaticTypes.ToDictionary(kv => kv.Key, kv => (Bytes: ReadAsset(kv.Key), Type: kv.Value));
        app.Use(async (ctx, next) =>
        {
            // DNS rebinding: a board bound to loopback answers only requests addressed to a loopback name.
            if (loopbackOnly && ctx.Request.Host.Host is not ("127.0.0.1" or "localhost" or "[::1]" or "::1"))
            {
                ctx.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                return;
            }
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.ContentSecurityPolicy = PagePolicy;
            ctx.Response.Headers.CacheControl = "no-store";
            await next();
        });

        app.MapGet("/", () => Asset(assets["index.html"]));
        app.MapGet("/static/{name}", (string name) => assets.TryGetValue(name, out var a) ? Asset(a) : NotFound($"no static file '{name}'"));

        app.MapGet("/api/runs", () =>
        {
            var runs = RunIndex.Scan(root);
            return JsonResult(new JsonObject
            {
                ["root"] = root.FullPath,
                ["version"] = RunIndex.Signature(root),
                ["runs"] = new JsonArray(runs.Select(r => (JsonNode)r.ToJson()).ToArray()),
            });
        });

        app.MapGet("/api/metrics", (HttpRequest request) =>
        {
            var ids = request.Query["run"];
            if (ids.Count == 0) return Error(StatusCodes.Status400BadRequest, "name one or more runs: /api/metrics?run=ID&run=ID");
            var result = new JsonObject();
            foreach (var id in ids)
            {
                if (RunDir(root, id) is not string dir) return NotFound($"no run '{id}' under the runs folder");
                var warnings = new List<string>();
                var history = MetricsReader.History(dir, warnings);
                result[id!] = new JsonObject
                {
                    ["history"] = new JsonArray(history.Select(h => (JsonNode)h).ToArray()),
                    ["warnings"] = new JsonArray(warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
                };
            }
            return JsonResult(new JsonObject { ["runs"] = result });
        });

        app.MapGet("/api/report", (string? run) =>
        {
            if (RunDir(root, run) is not string dir || !File.Exists(Path.Combine(dir, "report.md")))
                return NotFound($"no report.md in run '{run}'");
            if (new FileInfo(Path.Combine(dir, "report.md")).Length > MetricsReader.MaxFileBytes)
                return Error(StatusCodes.Status422UnprocessableEntity, $"report.md of run '{run}' is larger than the {MetricsReader.MaxFileBytes} bytes the board reads");
            string md = File.ReadAllText(Path.Combine(dir, "report.md"));
            return JsonResult(new JsonObject { ["run"] = run, ["html"] = MarkdownLite.ToHtml(md, root.Relative(dir)) });
        });

        app.MapGet("/files/{**path}", (string? path) =>
        {
            string? full = root.Resolve(path);
            if (full is null) return Error(StatusCodes.Status403Forbidden, $"'{path}' is outside the runs folder");
            if (!FileTypes.TryGetValue(Path.GetExtension(full), out var type)) return Error(StatusCodes.Status403Forbidden, $"the board does not serve '{Path.GetExtension(full)}' files");
            if (!File.Exists(full)) return NotFound($"no file '{path}' under the runs folder");
            var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Results.Stream(stream, type);
        });

        app.MapGet("/api/events", async (HttpContext ctx) =>
        {
            var stopping = ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
            var ct = cts.Token;
            ctx.Response.ContentType = "text/event-stream";
            ctx.Response.Headers.CacheControl = "no-cache";
            long last = RunIndex.Signature(root);
            try
            {
                await Send(ctx, $"retry: 2000\nevent: hello\ndata: {last}\n\n", ct);
                var quiet = TimeSpan.Zero;
                while (!ct.IsCancellationRequested)
                {
                    await Task.Delay(options.Poll, ct);
                    long now = RunIndex.Signature(root);
                    if (now != last)
                    {
                        last = now;
                        quiet = TimeSpan.Zero;
                        await Send(ctx, $"event: change\ndata: {now}\n\n", ct);
                    }
                    else if ((quiet += options.Poll) >= TimeSpan.FromSeconds(15))
                    {
                        quiet = TimeSpan.Zero;
                        await Send(ctx, ": keep-alive\n\n", ct); // lets proxies and the browser see the stream is alive
                    }
                }
            }
            catch (OperationCanceledException) { }
            catch (IOException) { } // the page went away
        });
    }

    /// <summary>The run folder named by <paramref name="id"/>, or null when it is not a run inside the root.</summary>
    internal static string? RunDir(RunsRoot root, string? id) =>
        root.Resolve(id) is string dir && Directory.Exists(dir) && RunIndex.Markers.Any(m => File.Exists(Path.Combine(dir, m))) ? dir : null;

    private static async Task Send(HttpContext ctx, string text, CancellationToken ct)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await ctx.Response.Body.FlushAsync(ct);
    }

    private static IResult Asset((byte[] Bytes, string Type) a) => Results.Bytes(a.Bytes, a.Type);

    private static IResult JsonResult(JsonNode node) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8");

    private static IResult Error(int status, string message) =>
        Results.Text(new JsonObject { ["error"] = message }.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    private static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    private static byte[] ReadAsset(string name)
    {
        using var s = typeof(BoardEndpoints).Assembly.GetManifestResourceStream("wwwroot/" + name)
                      ?? throw new InvalidOperationException($"embedded resource wwwroot/{name} is missing from {typeof(BoardEndpoints).Assembly.GetName().Name}");
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
