using System.Net;

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
