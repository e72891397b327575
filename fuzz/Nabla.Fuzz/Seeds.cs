using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Nabla.Data;
using Nabla.IO;
using StbImageWriteSharp;

namespace Nabla.Fuzz;

/// <summary>The seed corpus: small valid files per target, written with Nabla's own writers (and stb_image_write
/// for images), plus hand-made valid variants the writers do not produce (Fortran order, big-endian, float16, uint8
/// .npy; a word2vec header; CRLF lines).</summary>
internal static class Seeds
{
    public static void Write(string root)
    {
        void Put(string target, string name, byte[] data)
        {
            Directory.CreateDirectory(Path.Combine(root, target));
            File.WriteAllBytes(Path.Combine(root, target, name), data);
        }

        string tmp = Directory.CreateTempSubdirectory("nabla-seeds").FullName;
        try
        {
            // .npy: the writer's three dtypes, a scalar, and hand-made headers
            Put("npy", "f4_2x3.npy", NpyBytes(Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3)));
            Put("npy", "f8_3.npy", NpyBytes(Tensor.FromArray(new double[] { 0.5, -1, 1e10 }, 3)));
            Put("npy", "i4_2x2.npy", NpyBytes(Tensor.FromArray(new[] { 1, -2, 3, 4 }, 2, 2)));
            Put("npy", "u1_fortran.npy", Handmade("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", [1, 2, 3, 4, 5, 6]));
            Put("npy", "f4_bigendian.npy", Handmade("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", [0x3F, 0x80, 0, 0, 0x40, 0, 0, 0]));
            Put("npy", "f2.npy", Handmade("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", [0, 0x3C, 0, 0xC0]));
            Put("npy", "i8.npy", Handmade("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", [7, 0, 0, 0, 0, 0, 0, 0]));

            // .npz: stored and deflated
            var arrays = new Dictionary<string, Tensor>
            {
                ["layer.weight"] = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2),
                ["layer.bias"] = Tensor.FromArray(new float[] { 0.5f, -0.5f }, 2),
            };
            foreach (bool compress in new[] { false, true })
            {
                string p = Path.Combine(tmp, $"m{compress}.npz");
                Npz.Save(p, arrays, compress);
                Put("npz", compress ? "deflated.npz" : "stored.npz", File.ReadAllBytes(p));
            }

            // IDX: images and labels, raw and gzip
            var pixels = new byte[] { 0, 50, 100, 150, 200, 250, 1, 2, 3, 4, 5, 6 };
            foreach (var (name, magic, dims, data) in new[]
            {
                ("images", IdxFile.ImagesMagic, new[] { 3, 2, 2 }, pixels),
                ("labels", IdxFile.LabelsMagic, new[] { 3 }, new byte[] { 0, 9, 4 }),
            })
                foreach (string ext in new[] { "", ".gz" })
                {
                    string p = Path.Combine(tmp, name + ext);
                    IdxFile.WriteIdx(p, magic, dims, data);
                    Put("idx", name + (ext == "" ? ".idx" : ".idx.gz"), File.ReadAllBytes(p));
                }

            // CSV of 2x2 images, with and without the header line; CRLF
            var images = new LabeledImages(pixels, [3, 0, 9], 2, 2);
            foreach (bool header in new[] { false, true })
            {
                string p = Path.Combine(tmp, $"c{header}.csv");
                MnistCsv.Write(p, images, header);
                Put("csv", header ? "header.csv" : "plain.csv", File.ReadAllBytes(p));
            }
            Put("csv", "crlf_bom.csv", [0xEF, 0xBB, 0xBF, .. "label,1x1,1x2,2x1,2x2\r\n7, 1 ,2,3,4\r\n\r\n9,5,6,7,8\r\n"u8]);

            // general CSV tables: quoted fields (delimiter, doubled quote, line break inside), missing values, CRLF,
            // a BOM, blank lines
            Put("csvtable", "mixed.csv", "x,y,label\n1.5,-2e3,cat\n\n NA ,4,\"dog, big\"\n7,,\"say \"\"hi\"\"\"\n"u8.ToArray());
            Put("csvtable", "crlf_bom.csv", [0xEF, 0xBB, 0xBF, .. "a,b\r\n1,\"two\r\nlines\"\r\n3,4\r\n"u8]);
            Put("csvtable", "numbers.csv", "f1,f2,f3,target\n0.1,0.2,0.3,1\n-1,1e-3,?,0\n"u8.ToArray());

            // CIFAR-10 binary records, and the tarball layout (gzip and plain tar)
            Put("cifar", "two_records.bin", CifarRecords(2));
            var members = Cifar10Binary.TrainFiles.Append(Cifar10Binary.TestFile)
                .Select(f => ($"cifar-10-batches-bin/{f}", CifarRecords(1))).Append(("cifar-10-batches-bin/batches.meta.txt", "airplane\n"u8.ToArray())).ToList();
            Put("tar", "cifar-10-binary.tar.gz", Tar(members, gzip: true));
            Put("tar", "cifar-10-binary.tar", Tar(members, gzip: false));

            // images: PNG (RGB, grey), JPEG, BMP, TGA of 6x4
            var rgb = new byte[4 * 6 * 3];
            for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37);
            var grey = rgb.Take(24).ToArray();
            Put("image", "rgb.png", Encode((w, s) => w.WritePng(rgb, 6, 4, ColorComponents.RedGreenBlue, s)));
            Put("image", "grey.png", Encode((w, s) => w.WritePng(grey, 6, 4, ColorComponents.Grey, s)));
            Put("image", "rgb.jpg", Encode((w, s) => w.WriteJpg(rgb, 6, 4, ColorComponents.RedGreenBlue, s, 90)));
            Put("image", "rgb.bmp", Encode((w, s) => w.WriteBmp(rgb, 6, 4, ColorComponents.RedGreenBlue, s)));
            Put("image", "rgb.tga", Encode((w, s) => w.WriteTga(rgb, 6, 4, ColorComponents.RedGreenBlue, s)));

            // an image tarball: <split>/<class>/<file>
            var png = File.ReadAllBytes(Path.Combine(root, "image", "rgb.png"));
            var jpg = File.ReadAllBytes(Path.Combine(root, "image", "rgb.jpg"));
            Put("imagetar", "images.tar.gz", Tar([("train/cat/0.png", png), ("train/dog/0.jpg", jpg), ("test/cat/0.jpg", jpg), ("test/dog/0.png", png)], gzip: true));

            // word vectors: GloVe, word2vec header, a 1-d file whose first word is a number
            Put("vectors", "glove.txt", "the 0.1 -0.2 0.3\nof 1e-3 2.5 -4\n\n"u8.ToArray());
            Put("vectors", "word2vec.txt", "2 3\nthe 0.1 -0.2 0.3\nété 1 2 3\n"u8.ToArray());
            Put("vectors", "numeric_words.txt", "1 5\n2 6\n"u8.ToArray());

            // TREC .label lines (Latin-1)
            Put("trec", "train.label", Encoding.Latin1.GetBytes("DESC:manner How did serfdom develop in and then leave Russia ?\r\nHUM:ind Who was Galileo ?\nNUM:date When was Ozzy Osbourne born ?\n"));

            // safetensors: the writer's dtypes with metadata, and a hand-made file with an int64 tensor and a
            // zero-length tensor (offsets [8, 8])
            {
                string p = Path.Combine(tmp, "m.safetensors");
                Safetensors.Save(new Dictionary<string, Tensor>
                {
                    ["fc.weight"] = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3),
                    ["fc.bias"] = Tensor.FromArray(new double[] { 0.5, -0.5 }, 2),
                    ["steps"] = Tensor.FromArray(new[] { 7 }, 1),
                }, p, new Dictionary<string, string> { ["format"] = "pt" });
                Put("safetensors", "writer.safetensors", File.ReadAllBytes(p));
                var header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[8,8]}}"u8.ToArray();
                Put("safetensors", "handmade.safetensors", [.. BitConverter.GetBytes((ulong)header.Length), .. header, 42, 0, 0, 0, 0, 0, 0, 0]);
            }

            // WAVE: 16-bit PCM mono from the writer, and a file with an extra chunk before 'data' and an odd-sized pad
            var wav = Wav.Encode([0f, 0.5f, -0.5f, 1f, -1f], 8000);
            Put("wav", "writer.wav", wav);
            Put("wav", "list_chunk.wav", [.. wav[..36], .. "LIST"u8, 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0, .. wav[36..]]);
        }
        finally { Directory.Delete(tmp, recursive: true); }
        foreach (var dir in Directory.GetDirectories(root).Order())
            Console.WriteLine($"{Path.GetFileName(dir)}: {Directory.GetFiles(dir).Length} seeds");
    }

    private static byte[] NpyBytes(Tensor t)
    {
        using var ms = new MemoryStream();
        Npy.Write(ms, t);
        return ms.ToArray();
    }

    /// <summary>A version 1.0 .npy with the given header dict and data bytes (header padded to 64 bytes).</summary>
    private static byte[] Handmade(string dict, byte[] data)
    {
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8) };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] CifarRecords(int count)
    {
        var data = new byte[count * Cifar10Binary.RecordSize];
        for (int r = 0; r < count; r++)
        {
            data[r * Cifar10Binary.RecordSize] = (byte)(r % 10);
            for (int k = 1; k < Cifar10Binary.RecordSize; k++) data[r * Cifar10Binary.RecordSize + k] = (byte)(k / 97 + r);
        }
        return data;
    }

    private static byte[] Tar(IEnumerable<(string Name, byte[] Data)> members, bool gzip)
    {
        using var ms = new MemoryStream();
        using (Stream outer = gzip ? new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true) : new NonClosing(ms))
        using (var tar = new TarWriter(outer, TarEntryFormat.Ustar, leaveOpen: false))
            foreach (var (name, data) in members)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        return ms.ToArray();
    }

    private static byte[] Encode(Action<ImageWriter, Stream> write)
    {
        using var ms = new MemoryStream();
        write(new ImageWriter(), ms);
        return ms.ToArray();
    }

    /// <summary>A stream whose Dispose leaves the inner stream open.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
