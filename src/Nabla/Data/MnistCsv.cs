using System.Globalization;
using System.Text;

namespace Nabla.Data;

/// <summary>
/// The CSV form of MNIST used by many homework sets (e.g. mnist_train.csv / mnist_test.csv): one image per line,
/// the label then rows·cols pixel values 0..255, comma-separated; an optional header line (recognised by a first
/// field that is not a number, e.g. "label,1x1,1x2,...") is skipped. Blank lines are ignored. Errors are
/// <see cref="DataFormatException"/>s naming the file, the line and the column; so is a file without any image
/// (empty, or a header line only) and a line longer than <see cref="ReadLimits.MaxLineLength"/>.
/// </summary>
public static class MnistCsv
{
    /// <summary>Reads a CSV file of labelled images of rows x cols pixels, labels in 0..numClasses-1.</summary>
    public static LabeledImages Read(string path, int rows = 28, int cols = 28, int numClasses = 10, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        if (!File.Exists(path)) throw DataFormatException.For(path, "CSV file not found");
        if (rows < 1 || cols < 1 || (long)rows * cols > 1 << 24) throw new ArgumentException($"MnistCsv.Read: image size {rows} x {cols} is not plausible");
        int pixelsPerImage = rows * cols, fields = 1 + pixelsPerImage;
        // Every pixel takes at least two characters ("0,"), so a file of L bytes holds at most L/2 pixels.
        var pixels = new byte[Math.Max(pixelsPerImage, Math.Min(new FileInfo(path).Length / 2, Array.MaxLength))];
        var labels = new List<byte>();
        using var stream = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var reader = new BoundedLineReader(stream, limits.MaxLineLength, path);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            long lineNumber = reader.LineNumber;
            var rest = line.AsSpan().Trim();
            if (rest.IsEmpty) continue;
            if (labels.Count == 0 && lineNumber == 1 && IsHeader(rest)) continue;
            int n = labels.Count;
            if ((long)(n + 1) * pixelsPerImage > pixels.Length)
                Array.Resize(ref pixels, (int)Math.Min(Array.MaxLength, Math.Max((long)pixels.Length * 2, (long)(n + 1) * pixelsPerImage)));
            var image = pixels.AsSpan(n * pixelsPerImage, pixelsPerImage);
            int column = 0;
            byte label = 0;
            while (true)
            {
                int comma = rest.IndexOf(',');
                var field = (comma < 0 ? rest : rest[..comma]).Trim();
                column++;
                if (column > fields)
                    throw DataFormatException.AtLine(path, lineNumber, $"expected {fields} comma-separated values (label + {pixelsPerImage} pixels), found more");
                int max = column == 1 ? numClasses - 1 : 255;
                if (!int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
                    throw DataFormatException.AtLine(path, lineNumber, $"column {column}: '{Shorten(field)}' is not an integer");
                if (v < 0 || v > max)
                    throw DataFormatException.AtLine(path, lineNumber, $"column {column}: {(column == 1 ? "label" : "pixel")} {v} is outside 0..{max}");
                if (column == 1) label = (byte)v;
                else image[column - 2] = (byte)v;
                if (comma < 0) break;
                rest = rest[(comma + 1)..];
            }
            if (column != fields)
                throw DataFormatException.AtLine(path, lineNumber, $"expected {fields} comma-separated values (label + {pixelsPerImage} pixels), found {column}");
            labels.Add(label);
        }
        if (labels.Count == 0)
            throw DataFormatException.For(path, reader.LineNumber == 0 ? "is empty; expected one image per line (label, then pixels)" : "holds no images, only a header or blank lines");
        Array.Resize(ref pixels, labels.Count * pixelsPerImage);
        return new LabeledImages(pixels, labels.ToArray(), rows, cols);
    }

    /// <summary>Writes one line per image (label, then pixels); with <paramref name="header"/> a first line
    /// "label,1x1,1x2,...,RxC" as in the widespread Kaggle files. Written to a temporary file, then renamed.</summary>
    public static void Write(string path, LabeledImages images, bool header = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        // unique and hidden: two conversions into one folder never share it (the AtomicFile convention, inlined: Data may not use IO)
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
        using (var writer = new StreamWriter(new FileStream(tmp, FileMode.CreateNew, FileAccess.Write), new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            writer.NewLine = "\n";
            if (header)
            {
                var sb = new StringBuilder("label");
                for (int r = 1; r <= images.Rows; r++)
                    for (int c = 1; c <= images.Cols; c++)
                        sb.Append(',').Append(r).Append('x').Append(c);
                writer.WriteLine(sb.ToString());
            }
            var line = new char[4 * (images.ImageSize + 1) + 8];
            for (int i = 0; i < images.Count; i++)
            {
                int at = 0;
                images.Labels[i].TryFormat(line.AsSpan(at), out int w, provider: CultureInfo.InvariantCulture);
                at += w;
                foreach (byte p in images.Image(i))
                {
                    line[at++] = ',';
                    p.TryFormat(line.AsSpan(at), out w, provider: CultureInfo.InvariantCulture);
                    at += w;
                }
                line[at++] = '\n';
                writer.Write(line, 0, at);
            }
        }
        File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }   // a failed write (disk full) leaves no temporary file
            throw;
        }
    }

    private static bool IsHeader(ReadOnlySpan<char> line)
    {
        int comma = line.IndexOf(',');
        var first = (comma < 0 ? line : line[..comma]).Trim();
        return !double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static string Shorten(ReadOnlySpan<char> s) => s.Length <= 20 ? s.ToString() : s[..20].ToString() + "...";
}
