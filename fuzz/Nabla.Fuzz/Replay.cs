
namespace Nabla.Fuzz;

/// <summary>Runs a target on saved inputs (a corpus, AFL's crashes/ folder) outside the fuzzer and reports, per
/// input, whether the reader accepted it, refused it with a typed error, or failed otherwise (a finding).</summary>
internal static class Replay
{
    public static int Run(string name, Action<byte[]> target, IEnumerable<string> paths)
    {
        int accepted = 0, typed = 0, findings = 0;
        foreach (var file in paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order() : (IEnumerable<string>)[p]))
        {
            if (Path.GetFileName(file) == "README.txt") continue;
            try
            {
                target(File.ReadAllBytes(file));
                accepted++;
            }
            catch (NablaException)
            {
                typed++;
            }
            catch (Exception e)
            {
                findings++;
                Console.WriteLine($"FINDING {file}: {e.GetType().FullName}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }
        Console.WriteLine($"{name}: {accepted} accepted, {typed} refused with a typed error, {findings} findings");
        return findings == 0 ? 0 : 1;
    }
}
