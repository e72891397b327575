using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Nabla.Board;

/// <summary>Where and what the board serves.</summary>
/// <param name="Root">The runs folder (it must exist).</param>
/// <param name="Host">The address to listen on: an IP address or <c>localhost</c> (= 127.0.0.1). The default
/// keeps the board private to this machine.</param>
/// <param name="Port">The TCP port; 0 picks a free one (<see cref="BoardServer.Url"/> tells which).</param>
/// <param name="PollInterval">How often the live view checks the runs folder for changes.</param>
public sealed record BoardOptions(string Root, string Host = "127.0.0.1", int Port = BoardOptions.DefaultPort, TimeSpan? PollInterval = null)
{
    /// <summary>The default port (TensorBoard's).</summary>
    public const int DefaultPort = 6006;

    /// <summary>The poll interval in effect (1 s unless set).</summary>
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromSeconds(1);

    /// <summary>The address to bind, checked.</summary>
    public IPAddress Address()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port must be between 0 and 65535 (0 picks a free port), got {Port}");
        if (Poll <= TimeSpan.Zero) throw new ArgumentException($"the poll interval must be positive, got {Poll}");
        if (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return IPAddress.TryParse(Host.Trim('[', ']'), out var ip) ? ip
            : throw new ArgumentException($"--host '{Host}' is not an IP address or localhost (e.g. 127.0.0.1, 0.0.0.0, ::1)");
    }
}

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
