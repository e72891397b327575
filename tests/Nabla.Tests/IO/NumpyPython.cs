using System.Diagnostics;

namespace Nabla.Tests.IO;

/// <summary>Runs snippets in the system python3 with numpy (for interop tests); <see cref="SkipReason"/> is null
/// when python3 can import numpy.</summary>
public static class NumpyPython
{
    private static readonly Lazy<string?> _skipReason = new(Probe);

    public static string? SkipReason => _skipReason.Value;

    private static string Executable => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string? Probe()
    {
        try
        {
            var (code, _, err) = Run("import numpy");
            return code == 0 ? null : $"python3 cannot import numpy: {err.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"python3 is not available ({e.Message})";
        }
    }

    /// <summary>Runs <paramref name="script"/> with python3 -c; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(); throw new TimeoutException("python3 took longer than 60 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
