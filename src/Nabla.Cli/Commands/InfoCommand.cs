using System.CommandLine;
using System.Reflection;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla info</c>: the runtime, cores and SIMD paths Nabla will use on this machine.</summary>
public static class InfoCommand
{
    /// <summary>The release version, as <c>nabla --version</c> prints it: the informational version of the CLI
    /// assembly (the one <c>Version</c> of Directory.Build.props, then <c>+</c> and the commit it was built from).</summary>
    public static string Version { get; } =
        typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(InfoCommand).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Builds the <c>nabla info</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var cmd = new Command("info", "show runtime, cores and SIMD support");
        cmd.SetAction(_ =>
        {
            Console.WriteLine($"nabla      {Version}");
            Console.WriteLine($".NET       {Environment.Version}");
            Console.WriteLine($"cores      {Environment.ProcessorCount}");
            Console.WriteLine($"threads    {Nabla.Tensor.GetNumThreads()} (--threads N on any command sets it)");
            Console.WriteLine($"AVX-512F   {Avx512F.IsSupported}");
            Console.WriteLine($"AVX2+FMA   {Avx2.IsSupported && Fma.IsSupported}");
            Console.WriteLine($"distributed {Nabla.Cli.Composition.DistributedTrain.Availability()}");
            return 0;
        });
        return cmd;
    }
}
