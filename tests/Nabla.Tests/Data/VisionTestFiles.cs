using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Nabla.Tests.Data;

/// <summary>Writes PNG files, CIFAR-10 records and .tar.gz archives byte by byte, independently of the code under test.</summary>
public static class VisionTestFiles
{
    /// <summary>An 8-bit PNG (colour type 2 = RGB or 0 = grey, no interlace) of channel-major pixels [C, H, W].</summary>
    public static byte[] Png(byte[] chw, int channels, int h, int w)
    {
        var raw = new byte[h * (1 + w * channels)];
        for (int y = 0; y < h; y++)
        {
            int row = y * (1 + w * channels);   // filter byte 0 (None), then the pixels interleaved
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++) raw[row + 1 + x * channels + c] = chw[(c * h + y) * w + x];
        }
        using var zs = new MemoryStream();
        using (var z = new ZLibStream(zs, CompressionLevel.Fastest)) z.Write(raw);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8;
        ihdr[9] = (byte)(channels == 3 ? 2 : 0);
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", zs.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var td = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(td);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(td));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    /// <summary>A .tar.gz (or plain .tar) of the given members.</summary>
    public static void TarGz(string path, IEnumerable<(string Name, byte[] Data)> members, bool gzip = true)
    {
        using var file = File.Create(path);
        using Stream outer = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var tar = new TarWriter(outer, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (name, data) in members)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
    }

    /// <summary>CIFAR-10 records: label i mod 10, pixel k of image i = (3·i + k) mod 256 (plane order R, G, B).</summary>
    public static byte[] CifarRecords(int count, int first = 0)
    {
        var bytes = new byte[count * 3073];
        for (int i = 0; i < count; i++)
        {
            int img = first + i;
            bytes[i * 3073] = (byte)(img % 10);
            for (int k = 0; k < 3072; k++) bytes[i * 3073 + 1 + k] = (byte)((3 * img + k) % 256);
        }
        return bytes;
    }

    /// <summary>A small RGB pattern [3, h, w]: value (c·50 + y·7 + x·3 + seed) mod 256.</summary>
    public static byte[] Pattern(int h, int w, int seed, int channels = 3)
    {
        var px = new byte[channels * h * w];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) px[(c * h + y) * w + x] = (byte)((c * 50 + y * 7 + x * 3 + seed) % 256);
        return px;
    }
}
