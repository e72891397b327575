namespace Nabla.Data;

/// <summary>Images read from class folders: pixels and labels, the class names (label order), each image's file
/// (in image order) and where they came from.</summary>
public sealed record ImageFolderData(LabeledImages Images, IReadOnlyList<string> Classes, IReadOnlyList<string> Files, string Source);

/// <summary>
/// A folder with one sub-folder of images per class (<c>root/&lt;class&gt;/&lt;file&gt;.jpg|.png</c>), like
/// torchvision's <c>ImageFolder</c>: label = index of the class name, files in ordinal name order within a class.
/// Also reads the same layout inside a .tar.gz without extracting it. All images are decoded once, in parallel,
/// into one byte array [N, C, H, W] (see <see cref="ImageDecoder"/>).
/// </summary>
public static class ImageFolder
{
    /// <summary>Reads <paramref name="dir"/>/&lt;class&gt;/&lt;image&gt;.</summary>
    public static ImageFolderData Read(string dir, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        if (!Directory.Exists(dir)) throw DataFormatException.For(dir, "folder not found");
        var files = new List<(string Class, string Name, string Path)>();
        foreach (var classDir in Directory.EnumerateDirectories(dir))
            foreach (var f in Directory.EnumerateFiles(classDir))
                if (ImageDecoder.IsImageName(f)) files.Add((Path.GetFileName(classDir), Path.GetFileName(f), f));
        var order = Arrange(files.Select(f => (f.Class, f.Name)).ToList(), dir, options, out var classes);
        var paths = order.Select(i => files[i].Path).ToArray();
        var (pixels, h, w) = ImageDecoder.DecodeAll(paths.Length, i => File.ReadAllBytes(paths[i]), paths, options.Channels, options.Size, options.Antialias,
            Parallelism(options), options.Limits);
        return Assemble(pixels, h, w, paths, order.Select(i => files[i].Class).ToArray(), classes, dir, options);
    }

    /// <summary>Reads the splits of an archive laid out as [prefix/]&lt;split&gt;/&lt;class&gt;/&lt;image&gt;
    /// (e.g. cifar-10-jpeg.tar.gz: train/airplane/0000.jpg); one result per split, in <paramref name="splits"/> order.
    /// A split with no images is an error naming the archive.</summary>
    public static IReadOnlyList<ImageFolderData> ReadArchive(string path, IReadOnlyList<string> splits, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        // Decoding overlaps reading: the archive is read (gunzip + tar, one thread) while workers decode.
        var perSplit = splits.Select(_ => new List<(string Class, string Name, int Id)>()).ToArray();
        var decoded = new List<(byte[] Pixels, int H, int W)?>();
        var gate = new object();
        using (var queue = new System.Collections.Concurrent.BlockingCollection<(int Id, string Name, byte[] Data)>(boundedCapacity: 4096))
        {
            var workers = Enumerable.Range(0, Parallelism(options)).Select(_ => Task.Run(() =>
            {
                foreach (var (id, name, data) in queue.GetConsumingEnumerable())
                {
                    var img = ImageDecoder.DecodeOne(data, options.Channels, options.Size, $"{path}:{name}", options.Antialias, options.Limits);
                    lock (gate) decoded[id] = img;
                }
            })).ToArray();
            try
            {
                foreach (var (name, data) in Archive.Entries(path, n => SplitOf(n, splits) >= 0 && ImageDecoder.IsImageName(n), options.Limits))
                {
                    var parts = name.Split('/');
                    int id;
                    lock (gate) { id = decoded.Count; decoded.Add(null); }
                    perSplit[SplitOf(name, splits)].Add((parts[^2], name, id));
                    // a bounded queue: wait while it is full, but stop feeding once a worker has failed
                    while (!queue.TryAdd((id, name, data), 50))
                        if (workers.Any(t => t.IsFaulted)) break;
                    if (workers.Any(t => t.IsFaulted)) break;
                }
            }
            finally { queue.CompleteAdding(); }
            try { Task.WaitAll(workers); }
            catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]); }
        }
        var result = new List<ImageFolderData>();
        for (int s = 0; s < splits.Count; s++)
        {
            var items = perSplit[s];
            if (items.Count == 0) throw DataFormatException.For(path, $"holds no images under {splits[s]}/<class>/");
            var order = Arrange(items.Select(f => (f.Class, Path.GetFileName(f.Name))).ToList(), $"{path}:{splits[s]}", options, out var classes);
            var names = order.Select(i => $"{path}:{items[i].Name}").ToArray();
            var first = decoded[items[order[0]].Id]!.Value;
            int size = first.Pixels.Length;
            options.Limits.CheckBytes((long)order.Length * size, $"{order.Length} images of {first.W}×{first.H} under {splits[s]}/",
                p => DataFormatException.For(path, p));
            var pixels = new byte[(long)order.Length * size];
            for (int k = 0; k < order.Length; k++)
            {
                var img = decoded[items[order[k]].Id]!.Value;
                if (img.H != first.H || img.W != first.W)
                    throw DataFormatException.For(names[k], $"is {img.W}×{img.H}; the other images are {first.W}×{first.H} (give a size to resize)");
                img.Pixels.CopyTo(pixels, (long)k * size);
            }
            result.Add(Assemble(pixels, first.H, first.W, names, order.Select(i => items[i].Class).ToArray(), classes, $"{path}:{splits[s]}", options));
        }
        return result;
    }

    /// <summary>Index of the split named by the third-last path part (split/class/file), or −1.</summary>
    private static int SplitOf(string name, IReadOnlyList<string> splits)
    {
        var parts = name.Split('/');
        if (parts.Length < 3) return -1;
        for (int i = 0; i < splits.Count; i++)
            if (parts[^3] == splits[i]) return i;
        return -1;
    }

    /// <summary>The image order: by class index, then file name (ordinal); round-robin over classes when asked.</summary>
    private static int[] Arrange(List<(string Class, string Name)> files, string source, ImageFolderOptions options, out IReadOnlyList<string> classes)
    {
        classes = options.Classes ?? files.Select(f => f.Class).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count > 256) throw DataFormatException.For(source, $"has {classes.Count} class folders; at most 256 are supported");
        var index = new Dictionary<string, int>();
        for (int c = 0; c < classes.Count; c++) index[classes[c]] = c;
        var byClass = classes.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < files.Count; i++)
        {
            if (!index.TryGetValue(files[i].Class, out int c))
                throw DataFormatException.For(source, $"has a folder '{files[i].Class}' that is not one of the classes {string.Join(", ", classes)}");
            byClass[c].Add(i);
        }
        foreach (var list in byClass) list.Sort((a, b) => string.CompareOrdinal(files[a].Name, files[b].Name));
        if (files.Count == 0) throw DataFormatException.For(source, "holds no images (expected <class>/<image>.jpg|.png)");
        if (!options.Interleave) return byClass.SelectMany(l => l).ToArray();
        var order = new List<int>(files.Count);
        for (int j = 0; order.Count < files.Count; j++)
            foreach (var list in byClass)
                if (j < list.Count) order.Add(list[j]);
        return order.ToArray();
    }

    private static ImageFolderData Assemble(byte[] pixels, int h, int w, string[] names, string[] classOf, IReadOnlyList<string> classes, string source, ImageFolderOptions options)
    {
        var labels = new byte[names.Length];
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        for (int i = 0; i < names.Length; i++) labels[i] = (byte)index[classOf[i]];
        return new ImageFolderData(new LabeledImages(pixels, labels, h, w, options.Channels), classes, names, source);
    }

    private static int Parallelism(ImageFolderOptions o) => o.MaxParallelism > 0 ? o.MaxParallelism : Environment.ProcessorCount;
}
