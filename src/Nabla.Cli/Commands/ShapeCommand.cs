using System.CommandLine;
using Nabla.NN;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla shape</c>: conv/pool output size along one axis, o = ⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1, or the one
/// quantity marked '?' that gives a wanted output, e.g. <c>nabla shape --input 32 --kernel 5 --padding ? --output 32</c>
/// (padding = 2). With no '?' it prints the output size (and checks --output when given). Exit code 1 when no
/// integer solution exists.
/// </summary>
public static class ShapeCommand
{
    /// <summary>Builds the <c>nabla shape</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        Option<string?> Opt(string name, string what, string? def) => new(name)
        {
            Description = what + " (an integer, or ? for the unknown)" + (def is null ? "" : $"; default {def}"),
            DefaultValueFactory = _ => def,
        };
        var input = Opt("--input", "input size along the axis", null);
        var kernel = Opt("--kernel", "kernel size", null);
        var stride = Opt("--stride", "stride", "1");
        var padding = Opt("--padding", "zero padding on each side", "0");
        var dilation = Opt("--dilation", "dilation", "1");
        var output = Opt("--output", "wanted output size", null);
        var transposed = new Option<bool>("--transposed") { Description = "transposed convolution (output size only)" };
        var cmd = new Command("shape", "conv/pool shape arithmetic: output size, or solve for the quantity given as ?")
        {
            input, kernel, stride, padding, dilation, output, transposed,
        };
        int exit = 0;
        cmd.SetAction(p =>
        {
            exit = 0;
            int rc = CliErrors.Run("shape", () =>
            {
                int? i = Parse(p.GetValue(input), "--input", required: true), k = Parse(p.GetValue(kernel), "--kernel", required: true);
                int? s = Parse(p.GetValue(stride), "--stride"), pad = Parse(p.GetValue(padding), "--padding"), d = Parse(p.GetValue(dilation), "--dilation");
                string? outText = p.GetValue(output);
                int? o = Parse(outText, "--output");
                bool unknownGiven = new[] { p.GetValue(input), p.GetValue(kernel), p.GetValue(stride), p.GetValue(padding), p.GetValue(dilation), outText }.Contains("?");
                string given = $"input {Show(i)}, kernel {Show(k)}, stride {Show(s)}, padding {Show(pad)}, dilation {Show(d)}";
                if (p.GetValue(transposed))
                {
                    if (unknownGiven) throw new ArgumentException("--transposed computes the output size only; give every other quantity");
                    Console.WriteLine($"output = {ConvArithmetic.TransposedOutputSize(i!.Value, k!.Value, s!.Value, pad!.Value, d!.Value)}   (transposed; {given})");
                    return;
                }
                if (!unknownGiven)
                {
                    int size = ConvArithmetic.OutputSize(i!.Value, k!.Value, s!.Value, pad!.Value, d!.Value);
                    Console.WriteLine($"output = {size}   ({given})");
                    if (o is int want && want != size) { Console.WriteLine($"not the wanted {want}"); exit = 1; }
                    return;
                }
                var sol = ConvArithmetic.Solve(i, k, s, pad, d, outText == "?" ? null : o ?? throw new ArgumentException("give the wanted --output to solve for the '?' quantity"));
                Console.WriteLine($"{sol}   ({given}, output {(outText == "?" ? "?" : o.ToString())})");
                if (sol.IsEmpty) exit = 1;
            });
            return rc != 0 ? rc : exit;
        });
        return cmd;
    }

    private static string Show(int? v) => v?.ToString() ?? "?";

    /// <summary>An integer, null for "?", or (when absent) null unless <paramref name="required"/>.</summary>
    private static int? Parse(string? text, string option, bool required = false)
    {
        if (text is null)
            return required ? throw new ArgumentException($"{option} is required (an integer, or ? for the unknown)") : null;
        if (text == "?") return null;
        return int.TryParse(text, out int v) ? v : throw new ArgumentException($"{option} must be an integer or ?, got '{text}'");
    }
}
