using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>
/// The IDX format of the MNIST files, gzip-compressed (detected by its 1f 8b signature, whatever the name) or raw.
/// Header, big-endian: magic = 0x0000 · type · rank (type 0x08 = unsigned byte), then one int32 per dimension, then
/// the data row-major. Images: magic 2051, dims (N, rows, cols); labels: magic 2049, dims (N).
/// Every problem (missing, wrong magic, bad dims, truncated, trailing bytes, corrupt gzip) is a
/// <see cref="DataFormatException"/> naming the file.
/// </summary>
public static class IdxFile
{
    public const int ImagesMagic = 0x0803;   // 2051: unsigned bytes, rank 3
    public const int LabelsMagic = 0x0801;   // 2049: unsigned bytes, rank 1

    /// <summary>Reads an images file and its labels file, checks that counts agree and labels lie in 0..numClasses-1.</summary>
    public static LabeledImages Read(string imagesPath, string labelsPath, int numClasses = 10, ReadLimits? limits = null)
    {
        var (pixels, dims) = ReadIdx(imagesPath, ImagesMagic, "images", limits);
        var (labels, labelDims) = ReadIdx(labelsPath, LabelsMagic, "labels", limits);
        if (dims[0] != labelDims[0])
            throw DataFormatException.For(labelsPath, $"holds {labelDims[0]} labels but {Path.GetFileName(imagesPath)} holds {dims[0]} images");
        var set = new LabeledImages(pixels, labels, dims[1], dims[2]);
        set.ValidateLabels(numClasses, labelsPath);
        return set;
    }

    /// <summary>Writes images and labels; a path ending in ".gz" is gzip-compressed.</summary>
    public static void Write(LabeledImages images, string imagesPath, string labelsPath)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Channels != 1) throw new ArgumentException($"IdxFile.Write: IDX images are single-channel (got {images.Channels} channels)");
        WriteIdx(imagesPath, ImagesMagic, [images.Count, images.Rows, images.Cols], images.Pixels);
        WriteIdx(labelsPath, LabelsMagic, [images.Count], images.Labels);
    }

    /// <summary>Reads one IDX file of unsigned bytes with the given magic; returns the data and the dimensions. The
    /// declared size is checked against <paramref name="limits"/> and the file's length (raw), or read in growing
    /// chunks as it inflates (gzip: the ISIZE trailer can be forged), before the data is held in memory.</summary>
    public static (byte[] Data, int[] Dims) ReadIdx(string path, int magic, string what, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        if (!File.Exists(path)) throw DataFormatException.For(path, $"{what} file not found");
        using var file = File.OpenRead(path);
        long fileLength = file.Length;
        bool gzip = IsGzip(file);
        uint? gzipSize = gzip ? GzipTrailerSize(file) : null;
        Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            int rank = magic & 0xFF;
            var header = new byte[4 + 4 * rank];
            // The magic first: a file of another rank must fail on its magic, not on a header length.
            ReadAll(stream, header.AsSpan(0, 4), path, "the magic number");
            int found = BinaryPrimitives.ReadInt32BigEndian(header);
            if (found != magic)
                throw DataFormatException.For(path, $"bad magic number {found} (0x{found:X8}); an IDX {what} file starts with {magic} (0x{magic:X8})");
            ReadAll(stream, header.AsSpan(4), path, "the header");
            var dims = new int[rank];
            long payload = 1;
            for (int d = 0; d < rank; d++)
            {
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d));
                if (dims[d] < 0 || (d > 0 && dims[d] == 0))
                    throw DataFormatException.For(path, $"invalid dimension {d} = {dims[d]} in the header ({FormatDims(header, rank)})");
                payload *= dims[d];
                if (payload > Array.MaxLength)
                    throw DataFormatException.For(path, $"header dimensions ({FormatDims(header, rank)}) declare more than {Array.MaxLength} bytes");
            }
            long total = header.Length + payload;
            string declared = $"the header declares {FormatDims(header, rank)} = {payload} bytes of {what}";
            // Check the size before allocating: exactly for raw files, through the gzip ISIZE trailer otherwise.
            if (!gzip && fileLength != total)
                throw DataFormatException.For(path, fileLength < total
                    ? $"truncated: {declared} but only {fileLength - header.Length} follow the header"
                    : $"{declared} but {fileLength - total} extra bytes follow them");
            if (gzip && gzipSize != (uint)total)
            {
                long actual = header.Length + CountRemaining(stream, path);
                throw DataFormatException.For(path, actual < total
                    ? $"truncated: {declared} but the decompressed file holds only {actual - header.Length}"
                    : $"{declared} but {actual - total} extra bytes follow them");
            }
            limits.CheckBytes(payload, $"the {what} the header declares ({FormatDims(header, rank)})", p => DataFormatException.For(path, p));
            byte[] data;
            if (gzip)
                data = BoundedReader.ReadDeclared(stream, payload, got =>
                    DataFormatException.For(path, $"truncated: {declared} but the decompressed file holds only {got}"));
            else
            {
                data = new byte[payload];
                ReadAll(stream, data, path, what);
            }
            if (gzip && stream.ReadByte() >= 0)
                throw DataFormatException.For(path, $"{declared} but more bytes follow them");
            return (data, dims);
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.For(path, $"corrupt gzip data: {e.Message}", e);
        }
        finally
        {
            if (gzip) stream.Dispose();
        }
    }

    /// <summary>Writes one IDX file of unsigned bytes (gzip when the path ends in ".gz"), through a temporary
    /// file renamed at the end so that a crash never leaves a half-written dataset.</summary>
    public static void WriteIdx(string path, int magic, int[] dims, ReadOnlySpan<byte> data)
    {
        // unique and hidden: two conversions into one folder never share it (the AtomicFile convention, inlined: Data may not use IO)
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
        using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                   ? new GZipStream(file, CompressionLevel.Optimal) : (Stream)new BufferedStream(file))
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, magic);
            stream.Write(word);
            foreach (int d in dims)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, d);
                stream.Write(word);
            }
            stream.Write(data);
        }
        File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }   // a failed write (disk full) leaves no temporary file
            throw;
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> sig = stackalloc byte[2];
        int n = file.Read(sig);
        file.Position = 0;
        return n == 2 && sig[0] == 0x1f && sig[1] == 0x8b;
    }

    /// <summary>The ISIZE field of the gzip trailer: uncompressed length mod 2^32 (null when the file is too short).</summary>
    private static uint? GzipTrailerSize(FileStream file)
    {
        if (file.Length < 18) return null;   // 10-byte header + 8-byte trailer at least
        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static void ReadAll(Stream stream, Span<byte> buffer, string path, string part)
    {
        int got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (got < buffer.Length)
            throw DataFormatException.For(path, $"truncated: {part} needs {buffer.Length} bytes but only {got} remain");
    }

    /// <summary>Decompresses the rest of the stream, counting bytes (only used to describe a bad file).</summary>
    private static long CountRemaining(Stream stream, string path)
    {
        var scratch = new byte[81920];
        long n = 0;
        try
        {
            int k;
            while ((k = stream.Read(scratch)) > 0) n += k;
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.For(path, $"corrupt gzip data after {n} decompressed bytes: {e.Message}", e);
        }
        return n;
    }

    private static string FormatDims(byte[] header, int rank)
    {
        var parts = new string[rank];
        for (int d = 0; d < rank; d++) parts[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d)).ToString();
        return string.Join(" x ", parts);
    }
}
