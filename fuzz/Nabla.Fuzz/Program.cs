// Nabla's fuzz targets (see ../README.md):
//   Nabla.Fuzz fuzz TARGET           run under afl-fuzz (SharpFuzz's out-of-process forkserver)
//   Nabla.Fuzz run TARGET PATH...    replay files or folders of inputs; exit 1 if any input crashes the reader
//   Nabla.Fuzz seeds FOLDER          write the seed corpus FOLDER/<target>/* (small valid files from Nabla's writers)
//   Nabla.Fuzz list                  the targets
using Nabla.Fuzz;
using Nabla;

if (args.Length == 0) return Usage();
switch (args[0])
{
    case "list":
        foreach (var name in Targets.All.Keys) Console.WriteLine(name);
        return 0;
    case "seeds" when args.Length == 2:
        Seeds.Write(args[1]);
        return 0;
    case "fuzz" when args.Length == 2 && Targets.All.TryGetValue(args[1], out var target):
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            try { target(ms.ToArray()); }
            catch (NablaException) { }   // a typed refusal is a correct answer; anything else is a finding
        });
        return 0;
    case "run" when args.Length >= 3 && Targets.All.TryGetValue(args[1], out var replay):
        return Replay.Run(args[1], replay, args.Skip(2));
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine($"usage: Nabla.Fuzz fuzz|run|seeds|list ...; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}
