using System.Runtime.InteropServices;

namespace Nabla.Bench;

/// <summary>
/// The processor time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), in nanoseconds: on
/// a loaded machine it counts only the time this thread actually ran, so a breakdown taken with it (at one thread) is
/// far less inflated by neighbours than wall time. Elsewhere <see cref="IsSupported"/> is false and it reads 0.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Whether the thread clock can be read here (Linux x64/arm64).</summary>
    public static readonly bool IsSupported = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

    private static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Nanoseconds of processor time used by this thread so far (0 where unsupported).</summary>
    public static long NowNs()
    {
        if (!IsSupported) return 0;
        ClockGetTime(ClockThreadCpuTimeId, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
