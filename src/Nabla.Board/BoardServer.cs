using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Nabla.Board;

/// <summary>
/// The board: a Kestrel server with a minimal API over a runs folder — the page and its embedded script and style,
/// the runs (<c>/api/runs</c>), their per-epoch metrics (<c>/api/metrics</c>), lab reports as HTML
/// (<c>/api/report</c>), change notifications as server-sent events (<c>/api/events</c>), and the runs' files
/// (<c>/files/…</c>, confined to the root).
/// </summary>
public sealed class BoardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BoardServer(WebApplication app, RunsRoot root, Uri url)
    {
        _app = app;
        Root = root;
        Url = url;
    }

    /// <summary>The runs folder served.</summary>
    public RunsRoot Root { get; }

    /// <summary>The page's address, with the port actually bound.</summary>
    public Uri Url { get; }

    /// <summary>Starts the board; returns once it listens.</summary>
    public static async Task<BoardServer> StartAsync(BoardOptions options, CancellationToken cancellationToken = default)
    {
        var root = new RunsRoot(options.Root);
        var address = options.Address();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Nabla.Board", ContentRootPath = root.FullPath });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, options.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        BoardEndpoints.Map(app, root, options, IPAddress.IsLoopback(address));
        try { await app.StartAsync(cancellationToken); }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new IOException($"cannot listen on {options.Host}:{options.Port} ({e.Message}); try another --port, or --port 0 for a free one", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("Kestrel reported no address");
        var url = new UriBuilder(bound) { Path = "/" }.Uri;
        return new BoardServer(app, root, url);
    }

    /// <summary>Completes when the server stops (Ctrl-C / SIGTERM in a console app, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening and ends open event streams.</summary>
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(cts.Token); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
