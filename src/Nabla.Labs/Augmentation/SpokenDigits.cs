using System.Diagnostics;
using System.Globalization;
using Nabla.IO;

namespace Nabla.Labs;

/// <summary>One synthesised word: the digit it says, who says it (espeak-ng accent + voice variant, the "speaker"),
/// the speaking rate and pitch it was made with, the variant's gender (espeak-ng's own M/F), and the trimmed waveform.</summary>
public sealed record SpokenClip(int Digit, string Accent, string Variant, int Speed, int Pitch, bool Female, int SampleRate, float[] Samples)
{
    /// <summary>"en-us+f3": the voice as espeak-ng's -v takes it.</summary>
    public string Speaker => $"{Accent}+{Variant}";
}

/// <summary>The espeak-ng tool: where it is, and how to install it when it is missing.</summary>
public static class Espeak
{
    /// <summary>How to get espeak-ng (Debian/Ubuntu package).</summary>
    public const string InstallHint = "install it with `sudo apt-get install -y espeak-ng` (Debian/Ubuntu; `brew install espeak-ng` on macOS)";

    /// <summary>The command that runs espeak-ng (found on PATH by the process launcher).</summary>
    public const string Command = "espeak-ng";

    private static readonly Lazy<string?> _problem = new(() => ProblemWith(Command));

    /// <summary>Null when <c>espeak-ng --version</c> runs, else why not and how to install it (probed once).</summary>
    public static string? Problem => _problem.Value;

    /// <summary>Null when <c><paramref name="executable"/> --version</c> runs and exits with 0, else why not and how to
    /// install espeak-ng.</summary>
    public static string? ProblemWith(string executable)
    {
        try
        {
            var psi = new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return $"{executable} did not start: {InstallHint}";
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"`{executable} --version` exited with code {p.ExitCode}: {InstallHint}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{executable} is not installed or not on PATH ({e.Message}): {InstallHint}";
        }
    }
}

/// <summary>
/// A small spoken-digit data set made on the spot with espeak-ng: the words zero … nine said by every voice (accent ×
/// variant) at every speaking rate (-s, words per minute) and pitch (-p, 0–99), written as WAV files into a folder
/// (kept, so they can be listened to) and read back with the library's <see cref="Wav"/> reader.
/// </summary>
public static class SpokenDigits
{
    /// <summary>The ten words, index = digit.</summary>
    public static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>espeak-ng voice variants marked female in <c>espeak-ng --voices=variant</c> (the rest used here are male).</summary>
    public static readonly HashSet<string> FemaleVariants = new(StringComparer.OrdinalIgnoreCase)
        { "f1", "f2", "f3", "f4", "f5", "Alicia", "Andrea", "Annie", "aunty", "belinda", "linda", "steph", "steph2", "steph3", "anika" };

    /// <summary>Synthesises (or reuses, when a previous run left it in <paramref name="folder"/>) one WAV per
    /// (accent, variant, speed, pitch, word) and returns the clips, silence trimmed. Throws
    /// <see cref="InvalidOperationException"/> with the install hint when espeak-ng is missing, and names the command
    /// when espeak-ng fails.</summary>
    public static List<SpokenClip> Synthesize(string folder, IReadOnlyList<string> accents, IReadOnlyList<string> variants,
        IReadOnlyList<int> speeds, IReadOnlyList<int> pitches, TextWriter? log = null)
    {
        if (Espeak.Problem is string why) throw new InvalidOperationException($"the audio part needs espeak-ng: {why}");
        string exe = Espeak.Command;
        Directory.CreateDirectory(folder);
        var clips = new List<SpokenClip>();
        var clock = Stopwatch.StartNew();
        int made = 0;
        foreach (var accent in accents)
            foreach (var variant in variants)
                foreach (int speed in speeds)
                    foreach (int pitch in pitches)
                        for (int d = 0; d < Words.Length; d++)
                        {
                            string voice = $"{accent}+{variant}";
                            string file = System.IO.Path.Combine(folder, $"{d}_{voice}_s{speed}_p{pitch}.wav");
                            if (!File.Exists(file))
                            {
                                Run(exe, ["-v", voice, "-s", speed.ToString(CultureInfo.InvariantCulture), "-p", pitch.ToString(CultureInfo.InvariantCulture),
                                    "-w", file + ".tmp", Words[d]]);
                                File.Move(file + ".tmp", file, overwrite: true);
                                made++;
                            }
                            var wav = Wav.Read(file);
                            clips.Add(new SpokenClip(d, accent, variant, speed, pitch, FemaleVariants.Contains(variant), wav.SampleRate, Trim(wav.Samples)));
                        }
        log?.WriteLine($"spoken digits: {clips.Count} clips ({made} synthesised now) in {clock.Elapsed.TotalSeconds:F1} s, folder {folder}");
        return clips;
    }

    private static void Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"espeak-ng {string.Join(' ', args)} exited with code {p.ExitCode}: {err.Trim()}");
    }

    /// <summary>The waveform without its leading and trailing silence: from the first to the last sample whose
    /// magnitude reaches <paramref name="relative"/> × the peak (all of it when the clip is silent).</summary>
    public static float[] Trim(float[] x, double relative = 0.02)
    {
        float peak = 0;
        foreach (var v in x) peak = Math.Max(peak, Math.Abs(v));
        if (peak == 0) return x;
        float th = (float)(relative * peak);
        int a = 0, b = x.Length - 1;
        while (a < b && Math.Abs(x[a]) < th) a++;
        while (b > a && Math.Abs(x[b]) < th) b--;
        return x.AsSpan(a, b - a + 1).ToArray();
    }
}
