using Nabla.Data;
using Nabla.Data.Text;
using Nabla.IO;

namespace Nabla.Fuzz;

/// <summary>One fuzz target per reader: the input bytes go to the reader as a file (or a stream where the reader
/// takes one). The reader may accept the input or refuse it with a <see cref="Tensors.NablaException"/> (the typed
/// errors: DataFormatException, NpzFormatException); any other exception is a finding.</summary>
internal static class Targets
{
    /// <summary>Small limits, so that an input which makes a reader allocate past them without refusing is caught
    /// (the fuzzer also runs under a .NET heap cap; see README.md). Created on first use: an instrumented Nabla.dll
    /// must not run before SharpFuzz has set up AFL's shared memory.</summary>
    private static ReadLimits Limits => s_limits ??= new() { MaxBytes = 64 << 20, MaxImagePixels = 1 << 22, MaxLineLength = 1 << 16 };

    private static ReadLimits? s_limits;

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["npy"] = data => Npy.Read(new MemoryStream(data, writable: false), "fuzz.npy", null, Limits),
        ["npz"] = data => Npz.Load(AsFile(data, "fuzz.npz"), Limits),
        ["idx"] = data =>
        {
            string path = AsFile(data, "fuzz-idx");
            // the magic decides: images (rank 3) or labels (rank 1); anything else is refused by both
            try { IdxFile.ReadIdx(path, IdxFile.ImagesMagic, "images", Limits); }
            catch (DataFormatException e) when (e.Message.Contains("bad magic", StringComparison.Ordinal))
            {
                IdxFile.ReadIdx(path, IdxFile.LabelsMagic, "labels", Limits);
            }
        },
        ["csv"] = data => MnistCsv.Read(AsFile(data, "fuzz.csv"), rows: 2, cols: 2, limits: Limits),
        ["csvtable"] = data =>
        {
            // the general CSV reader (train/predict on tabular data): parse, then read every cell as the CLI does
            var table = CsvTable.Read(AsFile(data, "fuzz-table.csv"), new CsvReadOptions { Limits = Limits });
            for (int c = 0; c < table.Columns.Count; c++)
            {
                bool numeric = table.IsNumeric(c);
                for (int r = 0; r < table.RowCount; r++)
                    if (numeric && !table.IsMissing(r, c)) table.Number(r, c);
            }
            if (table.Columns.Count > 0) table.ColumnIndex(table.Columns[^1]);
        },
        ["cifar"] = data => Cifar10Binary.Parse(data, "fuzz.bin"),
        ["tar"] = data => Cifar10Binary.ReadTarball(AsFile(data, "fuzz.tar.gz"), Limits),
        ["image"] = data =>
        {
            ImageDecoder.Decode(data, 3, "fuzz-image", Limits);
            ImageDecoder.DecodeOne(data, 1, (5, 7), "fuzz-image", limits: Limits);
        },
        ["imagetar"] = data => ImageFolder.ReadArchive(AsFile(data, "fuzz-images.tar.gz"), ["train", "test"],
            new ImageFolderOptions { Size = (4, 4), MaxParallelism = 1, Limits = Limits }),
        ["vectors"] = data => PretrainedVectors.Read(AsFile(data, "fuzz-vectors.txt"), Limits),
        ["trec"] = data => Trec.ReadFile(AsFile(data, "fuzz.label"), Limits),
        ["safetensors"] = data =>
        {
            // the file reader (what load_state_dict/predict call) and the in-memory parser
            Safetensors.Read(AsFile(data, "fuzz.safetensors"), Limits);
            Safetensors.Parse(data, "fuzz.safetensors", Limits);
        },
        ["wav"] = data => Wav.Read(AsFile(data, "fuzz.wav")),
    };

    private static readonly string Folder = MakeFolder();

    /// <summary>Writes the input to a per-process file (in /dev/shm when it exists) and returns its path.</summary>
    private static string AsFile(byte[] data, string name)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static string MakeFolder()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string dir = Path.Combine(root, $"nabla-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
