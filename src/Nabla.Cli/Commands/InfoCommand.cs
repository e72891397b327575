using System.CommandLine;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla info</c>: the runtime, cores and SIMD paths Nabla will use on this machine.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "show runtime, cores and SIMD support");
        cmd.SetAction(_ =>
        {
            Console.WriteLine($"nabla      {typeof(Nabla.Tensors.Tensor).Assembly.GetName().Version}");
            Console.WriteLine($".NET       {Environment.Version}");
            Console.WriteLine($"cores      {Environment.ProcessorCount}");
            Console.WriteLine($"AVX-512F   {Avx512F.IsSupported}");
            Console.WriteLine($"AVX2+FMA   {Avx2.IsSupported && Fma.IsSupported}");
            return 0;
        });
        return cmd;
    }
}
