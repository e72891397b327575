using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Commands;

/// <summary>A bad command line (an option out of range, a flag combination, an --out that is refused): exit code 2.</summary>
public sealed class UsageException(string message) : ArgumentException(message);

/// <summary>
/// Turns errors into one clear line on stderr and an exit code, never a stack trace: usage errors (parse errors,
/// <see cref="UsageException"/>) exit 2, the POSIX / System.CommandLine convention; the library's typed errors and
/// file-system errors exit 1. .NET internals (<c>System.Nullable`1[...]</c> type names, <c>(Parameter 'x')</c>
/// suffixes) are rewritten or removed.
/// </summary>
public static partial class CliErrors
{
    /// <summary>Exit code of a bad command line.</summary>
    public const int UsageExit = 2;

    /// <summary>Runs <paramref name="action"/>: 0 on success, else the error's exit code.</summary>
    public static int Run(string command, Action action) => Run(command, () => { action(); return 0; });

    /// <summary>Runs <paramref name="action"/> and returns its exit code, or the error's.</summary>
    public static int Run(string command, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"nabla {command}: {Clean(e.Message)}");
            return UsageExit;
        }
        catch (Exception e) when (e is NablaException or ArgumentException or IOException or UnauthorizedAccessException
                                      or InvalidOperationException or JsonException or NotSupportedException)
        {
            Console.Error.WriteLine($"nabla {command}: {Clean(e.Message)}");
            return 1;
        }
    }

    /// <summary>Prints a parse result's most specific error and a hint, two lines (no help dump), and returns 2.</summary>
    public static int Usage(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        string command = names.Count == 0 ? "" : " " + string.Join(" ", names);
        // "Required command was not provided" only when nothing more specific was said.
        var errors = parse.Errors.OrderBy(e => e.Message.StartsWith("Required command", StringComparison.Ordinal) ? 1 : 0).ToList();
        foreach (var e in errors.Take(1)) Console.Error.WriteLine($"nabla{command}: {Clean(e.Message)}");
        Console.Error.WriteLine($"(run 'nabla{command} --help' for the options)");
        return UsageExit;
    }

    /// <summary>The message without .NET internals: parse errors about a type name say what was expected instead.</summary>
    public static string Clean(string message)
    {
        var m = ParseError().Match(message);
        if (m.Success)
            return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {Expected(m.Groups["type"].Value)}";
        message = ParameterSuffix().Replace(message, "");
        return message.Replace("\r", " ").Replace("\n", " ").Trim();
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("UInt64") || type.Contains("UInt32") => "a non-negative integer",
        _ when type.Contains("Int32") || type.Contains("Int64") => "an integer (from -2147483648 to 2147483647)",
        _ when type.Contains("Double") || type.Contains("Single") => "a number",
        _ when type.Contains("Boolean") => "true or false",
        _ => "a valid value",
    };

    [GeneratedRegex(@"Cannot parse argument '(?<value>[^']*)' for (option|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?")]
    private static partial Regex ParseError();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
