using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary>Turns the library's typed errors into one clear line on stderr and exit code 1 (no stack trace).</summary>
public static class CliErrors
{
    public static int Run(string command, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is NablaException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"nabla {command}: {e.Message}");
            return 1;
        }
    }
}
