namespace Nabla.Data;

/// <summary>
/// The original CIFAR-10 binary format: files of 3,073-byte records (1 label byte 0..9, then the 32×32 red, green
/// and blue planes, row-major), no header; <c>cifar-10-binary.tar.gz</c> holds
/// <c>cifar-10-batches-bin/data_batch_1..5.bin</c> (10,000 records each), <c>test_batch.bin</c> and
/// <c>batches.meta.txt</c>. A record is already [3, 32, 32] channel-major, so images are copied as they are.
/// </summary>
public static class Cifar10Binary
{
    /// <summary>Bytes per record: one label byte, then 3·32·32 pixel bytes (R plane, G plane, B plane).</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>data_batch_1.bin .. data_batch_5.bin: the 50,000 training images in order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];

    /// <summary>The 10,000 test images.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Reads one .bin file (any whole number of records, e.g. a prefix of a batch).</summary>
    public static LabeledImages ReadFile(string path)
    {
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses records; <paramref name="source"/> names the data in errors (a path, or archive:member).</summary>
    public static LabeledImages Parse(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length == 0) throw DataFormatException.For(source, "is empty; CIFAR-10 binary files hold 3,073-byte records");
        if (data.Length % RecordSize != 0)
            throw DataFormatException.For(source,
                $"{data.Length:N0} bytes is not a whole number of 3,073-byte CIFAR-10 records ({data.Length / RecordSize:N0} records and {data.Length % RecordSize:N0} bytes left over)");
        int n = data.Length / RecordSize, size = RecordSize - 1;
        var labels = new byte[n];
        var pixels = new byte[(long)n * size];
        for (int i = 0; i < n; i++)
        {
            var rec = data.Slice(i * RecordSize, RecordSize);
            if (rec[0] >= Cifar10.NumClasses)
                throw DataFormatException.For(source, $"record {i} has label {rec[0]}; CIFAR-10 labels are 0..9 (is this a CIFAR-100 file?)");
            labels[i] = rec[0];
            rec[1..].CopyTo(pixels.AsSpan(i * size, size));
        }
        return new LabeledImages(pixels, labels, 32, 32, 3);
    }

    /// <summary>The training and test images from <c>cifar-10-binary.tar.gz</c> (read in one pass, nothing extracted).</summary>
    public static (LabeledImages Train, LabeledImages Test) ReadTarball(string path, ReadLimits? limits = null)
    {
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        var wanted = new HashSet<string>([.. TrainFiles, TestFile]);
        var found = new Dictionary<string, LabeledImages>();
        foreach (var (name, data) in Archive.Entries(path, n => wanted.Contains(Path.GetFileName(n)), limits))
            found[Path.GetFileName(name)] = Parse(data, $"{path}:{name}");
        var missing = wanted.Where(w => !found.ContainsKey(w)).Order().ToList();
        if (missing.Count > 0) throw DataFormatException.For(path, $"lacks {string.Join(", ", missing)} (expected cifar-10-batches-bin/*.bin members)");
        return (Concat([.. TrainFiles.Select(f => found[f])]), found[TestFile]);
    }

    /// <summary>The training and test images from extracted .bin files in <paramref name="dir"/>.</summary>
    public static (LabeledImages Train, LabeledImages Test) ReadFolder(string dir)
    {
        string Need(string f) => File.Exists(Path.Combine(dir, f)) ? Path.Combine(dir, f)
            : throw DataFormatException.For(Path.Combine(dir, f), "file not found (CIFAR-10 needs data_batch_1..5.bin and test_batch.bin)");
        var train = TrainFiles.Select(f => ReadFile(Need(f))).ToArray();
        return (Concat(train), ReadFile(Need(TestFile)));
    }

    /// <summary>Class names from batches.meta.txt: one per line, blank lines ignored.</summary>
    public static IReadOnlyList<string> ReadClassNames(string path)
    {
        var names = BoundedText.ReadAllText(path).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count != Cifar10.NumClasses)
            throw DataFormatException.For(path, $"lists {names.Count} class names; CIFAR-10 has {Cifar10.NumClasses}");
        return names;
    }

    /// <summary>The images of several sets one after another (all of the same image shape).</summary>
    public static LabeledImages Concat(IReadOnlyList<LabeledImages> parts)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        long total = parts.Sum(p => (long)p.Pixels.Length);
        var pixels = new byte[total];
        var labels = new byte[parts.Sum(p => p.Count)];
        long at = 0;
        int li = 0;
        foreach (var p in parts)
        {
            if (p.ImageSize != first.ImageSize) throw new ArgumentException("Cifar10Binary.Concat: image shapes differ");
            p.Pixels.CopyTo(pixels, at);
            p.Labels.CopyTo(labels, li);
            at += p.Pixels.Length;
            li += p.Count;
        }
        return new LabeledImages(pixels, labels, first.Rows, first.Cols, first.Channels);
    }
}
