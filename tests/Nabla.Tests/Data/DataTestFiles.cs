using System.Buffers.Binary;
using System.IO.Compression;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-data-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Writes tiny IDX and CSV files byte by byte (independently of the code under test).</summary>
public static class DataTestFiles
{
    /// <summary>Header (big-endian magic and dims) followed by the data.</summary>
    public static byte[] IdxBytes(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(raw);
        return ms.ToArray();
    }

    /// <summary>Pixel (i, k) of image i = (7·i + k) mod 256; labels i mod 10.</summary>
    public static (byte[] Pixels, byte[] Labels) Pattern(int count, int rows, int cols)
    {
        var pixels = new byte[count * rows * cols];
        for (int i = 0; i < count; i++)
            for (int k = 0; k < rows * cols; k++) pixels[i * rows * cols + k] = (byte)((7 * i + k) % 256);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        return (pixels, labels);
    }

    /// <summary>Writes images + labels files (gzip or raw) into <paramref name="dir"/> with the MNIST names of the split.</summary>
    public static (string Images, string Labels) WriteSplit(string dir, string prefix, int count, int rows, int cols, bool gzip)
    {
        Directory.CreateDirectory(dir);
        var (pixels, labels) = Pattern(count, rows, cols);
        string ext = gzip ? ".gz" : "";
        string images = Path.Combine(dir, $"{prefix}-images-idx3-ubyte{ext}"), labelsPath = Path.Combine(dir, $"{prefix}-labels-idx1-ubyte{ext}");
        var img = IdxBytes(2051, [count, rows, cols], pixels);
        var lab = IdxBytes(2049, [count], labels);
        File.WriteAllBytes(images, gzip ? Gzip(img) : img);
        File.WriteAllBytes(labelsPath, gzip ? Gzip(lab) : lab);
        return (images, labelsPath);
    }

    /// <summary>A full tiny MNIST-named dataset (28 x 28): train and t10k files in <paramref name="dir"/>.</summary>
    public static void WriteTinyMnist(string dir, int trainCount = 12, int testCount = 5, bool gzip = true)
    {
        WriteSplit(dir, "train", trainCount, 28, 28, gzip);
        WriteSplit(dir, "t10k", testCount, 28, 28, gzip);
    }

    /// <summary>Asserts a DataFormatException whose message contains every fragment (case-insensitive).</summary>
    public static DataFormatException AssertFormatError(Action action, params string[] fragments)
    {
        var e = Assert.Throws<DataFormatException>(action);
        foreach (var f in fragments)
            Assert.True(e.Message.Contains(f, StringComparison.OrdinalIgnoreCase), $"message '{e.Message}' lacks '{f}'");
        return e;
    }
}
