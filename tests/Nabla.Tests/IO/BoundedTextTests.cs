using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Nabla.Board;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>JSON and text files read whole (a checkpoint's meta.json, a run folder's config.json / preprocess.json /
/// metrics, a safetensors header, CIFAR-10 class names) are bounded by <see cref="ReadLimits.MaxTextBytes"/>: a padded
/// file is refused with a <see cref="FileTooLargeException"/> naming the file and the limit, before it is read
/// (the reliability probe's mem_ckpt_meta_bomb: a 0.6 MB checkpoint whose meta.json is 400 MiB of JSON).</summary>
public class BoundedTextTests
{
    private static readonly ReadLimits Small = new() { MaxTextBytes = 1000 };

    /// <summary>A valid checkpoint meta.json of exactly <paramref name="bytes"/> bytes (epoch 1), padded with spaces.</summary>
    private static byte[] PaddedJson(int bytes)
    {
        var json = new byte[bytes];
        Array.Fill(json, (byte)' ');
        "{\"format\": \"nabla.checkpoint\", \"version\": 1, \"epoch\": 1"u8.CopyTo(json);
        json[^1] = (byte)'}';
        return json;
    }

    private static void AssertNamesFileAndLimit(FileTooLargeException e, string path, long limit)
    {
        Assert.Contains(path, e.Message);
        Assert.Contains("MaxTextBytes", e.Message);
        Assert.Contains(ReadLimits.Size(limit), e.Message);
        Assert.Equal(path, e.Path);
        Assert.Equal(limit, e.Limit);
    }

    [Fact]
    public void A_file_at_the_limit_is_read_and_one_byte_more_is_refused_naming_file_and_limit()
    {
        using var dir = new TempDir();
        string ok = dir.File("ok.json"), big = dir.File("big.json");
        File.WriteAllBytes(ok, PaddedJson(1000));
        File.WriteAllBytes(big, PaddedJson(1001));
        Assert.Equal(Encoding.UTF8.GetString(PaddedJson(1000)), BoundedText.ReadAllText(ok, Small));
        var e = Assert.Throws<FileTooLargeException>(() => BoundedText.ReadAllText(big, Small));
        AssertNamesFileAndLimit(e, big, 1000);
        Assert.Equal(1001, e.Bytes);
        Assert.Null(e.Entry);
    }

    [Fact]
    public void Text_decodes_like_ReadAllText_utf8_with_or_without_a_byte_order_mark_and_utf16_by_its_mark()
    {
        using var dir = new TempDir();
        string path = dir.File("t.txt");
        foreach (var encoding in new Encoding[] { new UTF8Encoding(false), new UTF8Encoding(true), Encoding.Unicode })
        {
            File.WriteAllText(path, "été ✓\nline 2", encoding);
            Assert.Equal(File.ReadAllText(path), BoundedText.ReadAllText(path));
            Assert.Equal("été ✓\nline 2", BoundedText.ReadAllText(path));
        }
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException_as_with_ReadAllText()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => BoundedText.ReadAllText(dir.File("absent.json")));
    }

    [Fact]
    public void A_file_without_a_length_is_bounded_by_what_arrives()
    {
        // /proc files report length 0: the bound must hold on the bytes read, not only on the length reported
        Assert.Contains("Name:", BoundedText.ReadAllText("/proc/self/status"));
        var e = Assert.Throws<FileTooLargeException>(() => BoundedText.ReadAllText("/proc/self/status", new ReadLimits { MaxTextBytes = 10 }));
        Assert.Equal(11, e.Bytes);
        Assert.Contains("more than 11 bytes", e.Message);
    }

    [Fact]
    public void The_default_limit_is_16_MiB()
    {
        Assert.Equal(16L << 20, ReadLimits.Default.MaxTextBytes);
    }

    /// <summary>A real checkpoint whose meta.json is replaced by <paramref name="meta"/>, deflated (as the probe's
    /// meta_bomb: 400 MiB of spaces deflate to a few hundred kilobytes).</summary>
    private static string CheckpointWithMeta(TempDir dir, byte[] meta, string name = "checkpoint.npz")
    {
        string good = dir.File("good-" + name), path = dir.File(name);
        Checkpoint.Save(good, new Dictionary<string, Tensor> { ["fc.weight"] = Tensor.Ones(2, 3) }, metadata: new CheckpointMetadata { Epoch = 7 });
        using (var src = ZipFile.OpenRead(good))
        using (var dst = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var entry in src.Entries)
            {
                var copy = dst.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                using var to = copy.Open();
                if (entry.FullName == Checkpoint.MetadataEntry) to.Write(meta);
                else { using var from = entry.Open(); from.CopyTo(to); }
            }
        return path;
    }

    [Fact]
    public void A_checkpoint_whose_meta_json_is_padded_past_the_limit_is_refused_naming_file_entry_and_limit()
    {
        using var dir = new TempDir();
        string ok = CheckpointWithMeta(dir, PaddedJson(1000));
        var loaded = Checkpoint.Load(ok, Small);
        Assert.Equal(1, loaded.Metadata.Epoch);
        Assert.Equal([2, 3], loaded.Model["fc.weight"].Shape.ToArray());

        string big = CheckpointWithMeta(dir, PaddedJson(1001), "big.npz");
        var e = Assert.Throws<FileTooLargeException>(() => Checkpoint.Load(big, Small));
        AssertNamesFileAndLimit(e, big, 1000);
        Assert.Equal(Checkpoint.MetadataEntry, e.Entry);
        Assert.Contains("entry 'meta.json'", e.Message);
    }

    [Fact]
    public void The_probes_meta_bomb_in_miniature_is_refused_by_the_default_limit_without_reading_it()
    {
        // 17 MiB of valid JSON, deflated to a small file: refused by the default 16 MiB limit from the entry's
        // declared size, so the reading thread allocates far less than the entry (measured, not assumed)
        using var dir = new TempDir();
        string path = CheckpointWithMeta(dir, PaddedJson(17 << 20));
        Assert.True(new FileInfo(path).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<FileTooLargeException>(() => Checkpoint.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        AssertNamesFileAndLimit(e, path, 16L << 20);
        Assert.Equal(17L << 20, e.Bytes);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes to refuse a 17 MiB meta.json");
    }

    [Fact]
    public void A_forged_meta_json_size_is_still_bounded_by_the_bytes_that_arrive()
    {
        // an entry stream that declares nothing (-1) and delivers more than the limit: refused after limit + 1 bytes
        using var stream = new MemoryStream(PaddedJson(5000));
        var e = Assert.Throws<FileTooLargeException>(() => BoundedText.ReadStream(stream, "x.npz", "meta.json", Small));
        Assert.Equal(1001, e.Bytes);
        Assert.Equal(1001, stream.Position);
        Assert.Contains("more than 1001 bytes", e.Message);
    }

    [Fact]
    public void A_safetensors_header_past_the_limit_is_refused_naming_file_and_limit()
    {
        using var dir = new TempDir();
        string path = dir.File("w.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) }, path);
        Assert.Equal([1f, 1f], Safetensors.Load(path, Small)["w"].ToArray<float>());
        // the same file with its JSON header padded (spaces are valid JSON whitespace) to 1008 bytes
        var bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = PadRight(bytes.AsSpan(8, n).ToArray(), 1008);
        var padded = new byte[8 + header.Length + bytes.Length - 8 - n];
        BinaryPrimitives.WriteUInt64LittleEndian(padded, (ulong)header.Length);
        header.CopyTo(padded, 8);
        bytes.AsSpan(8 + n).CopyTo(padded.AsSpan(8 + header.Length));
        File.WriteAllBytes(path, padded);
        Assert.Equal([1f, 1f], Safetensors.Load(path)["w"].ToArray<float>());
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path, Small));
        Assert.Contains(path, e.Message);
        Assert.Contains("MaxTextBytes", e.Message);
        Assert.Contains("1008 bytes", e.Message);
    }

    private static byte[] PadRight(byte[] json, int length)
    {
        var r = new byte[length];
        Array.Fill(r, (byte)' ');
        json.CopyTo(r, 0);
        return r;
    }

    /// <summary>A file of <paramref name="bytes"/> bytes, sparse (no disk, no time): a JSON object padded past the
    /// default limit with NUL bytes, which no reader gets to see.</summary>
    private static void Sparse(string path, long bytes, string start = "{")
    {
        using var fs = new FileStream(path, FileMode.Create);
        fs.Write(Encoding.UTF8.GetBytes(start));
        fs.SetLength(bytes);
    }

    [Fact]
    public void Run_folder_files_past_the_default_limit_are_refused_naming_them()
    {
        using var dir = new TempDir();
        long size = (16L << 20) + 1;
        Sparse(dir.File("config.json"), size);
        Sparse(dir.File("preprocess.json"), size);
        Sparse(dir.File("batches.meta.txt"), size, "airplane\n");
        AssertNamesFileAndLimit(Assert.Throws<FileTooLargeException>(() => EvalCommand.ReadConfig(dir.File("config.json"))), dir.File("config.json"), 16L << 20);
        AssertNamesFileAndLimit(Assert.Throws<FileTooLargeException>(() => Preprocess.Load(dir.Path)), dir.File("preprocess.json"), 16L << 20);
        AssertNamesFileAndLimit(Assert.Throws<FileTooLargeException>(() => Cifar10Binary.ReadClassNames(dir.File("batches.meta.txt"))), dir.File("batches.meta.txt"), 16L << 20);
    }

    [Fact]
    public void Cifar_class_names_are_read_through_the_bound_with_any_line_ends()
    {
        using var dir = new TempDir();
        string path = dir.File("batches.meta.txt");
        string[] names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        File.WriteAllText(path, string.Join("\r\n", names) + "\r\n\r\n");
        Assert.Equal(names, Cifar10Binary.ReadClassNames(path));
    }

    [Fact]
    public void The_board_leaves_out_a_metrics_file_past_its_limit_with_a_warning()
    {
        using var dir = new TempDir();
        string path = dir.File("metrics.jsonl");
        Sparse(path, MetricsReader.MaxFileBytes + 1, "{\"epoch\": 1, \"loss\": 0.5}\n");
        var warnings = new List<string>();
        Assert.Empty(MetricsReader.ReadJsonl(path, warnings));
        Assert.Contains(warnings, w => w.Contains("metrics.jsonl", StringComparison.Ordinal) && w.Contains("67108864", StringComparison.Ordinal));
        // at the limit exactly it is read (the NUL padding is not JSON and is reported, the record before it kept)
        File.WriteAllText(path, "{\"epoch\": 1, \"loss\": 0.5}\n");
        warnings.Clear();
        Assert.Single(MetricsReader.ReadJsonl(path, warnings));
    }
}
