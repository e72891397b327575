using CsCheck;
using Nabla.Data;
using StbImageWriteSharp;

namespace Nabla.Tests.Data;

/// <summary>Properties of the IDX, CSV, CIFAR-10 and image readers (CsCheck): write → read is the identity, and
/// every truncation of a valid file is refused with <see cref="DataFormatException"/> (for line-based CSV: refused,
/// or exactly the images of the lines that are complete), never another exception.</summary>
public class ReaderPropertyTests
{
    /// <summary>count 0..5 images of rows × cols (1..5) grey pixels, labels 0..9.</summary>
    private static readonly Gen<LabeledImages> Images =
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Byte.Array[200], Gen.Int[0, 9].Array[5]).Select((n, rows, cols, px, labels) =>
            new LabeledImages(px.AsSpan(0, n * rows * cols).ToArray(), labels.Take(n).Select(l => (byte)l).ToArray(), rows, cols));

    private static void AssertSame(LabeledImages expected, LabeledImages actual)
    {
        Assert.Equal((expected.Rows, expected.Cols, expected.Channels), (actual.Rows, actual.Cols, actual.Channels));
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Pixels, actual.Pixels);
    }

    private static string Unique(TempDir tmp, string name) => tmp.File($"{Guid.NewGuid():N}-{name}");   // samples run in parallel

    [Fact]
    public void Idx_write_then_read_is_the_identity_raw_and_gzip()
    {
        using var tmp = new TempDir();
        Gen.Select(Images, Gen.Bool).Sample((images, gzip) =>
        {
            string ext = gzip ? ".gz" : "", imagesPath = Unique(tmp, "images" + ext), labelsPath = Unique(tmp, "labels" + ext);
            IdxFile.Write(images, imagesPath, labelsPath);
            AssertSame(images, IdxFile.Read(imagesPath, labelsPath));
        }, iter: 100);
    }

    [Fact]
    public void Every_truncation_of_an_idx_file_is_a_typed_error()
    {
        using var tmp = new TempDir();
        Gen.Select(Images.Where(i => i.Count > 0), Gen.Bool).Sample((images, gzip) =>
        {
            string ext = gzip ? ".gz" : "", imagesPath = Unique(tmp, "images" + ext), labelsPath = Unique(tmp, "labels" + ext);
            IdxFile.Write(images, imagesPath, labelsPath);
            var bytes = File.ReadAllBytes(imagesPath);
            string cut = Unique(tmp, "cut" + ext);
            for (int len = 0; len < bytes.Length; len++)
            {
                File.WriteAllBytes(cut, bytes[..len]);
                var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadIdx(cut, IdxFile.ImagesMagic, "images"));
                Assert.Contains(cut, e.Message);
            }
        }, iter: 30);
    }

    [Fact]
    public void Csv_write_then_read_is_the_identity()
    {
        using var tmp = new TempDir();
        Gen.Select(Images.Where(i => i.Count > 0), Gen.Bool).Sample((images, header) =>
        {
            string path = Unique(tmp, "m.csv");
            MnistCsv.Write(path, images, header);
            AssertSame(images, MnistCsv.Read(path, images.Rows, images.Cols));
        }, iter: 100);
    }

    /// <summary>A CSV cut anywhere: when the cut ends a line, the complete lines' images; when it falls inside the
    /// last value of a line, that line too (its last pixel may be cut short: "25" → "2" is still a number); otherwise
    /// a typed error naming the file and the line.</summary>
    [Fact]
    public void Every_truncation_of_a_csv_file_is_a_typed_error_or_its_complete_lines()
    {
        using var tmp = new TempDir();
        Gen.Select(Images.Where(i => i.Count > 0), Gen.Bool).Sample((images, header) =>
        {
            string path = Unique(tmp, "m.csv"), cut = Unique(tmp, "cut.csv");
            MnistCsv.Write(path, images, header);
            string text = File.ReadAllText(path);
            int fields = 1 + images.ImageSize;
            for (int len = 0; len < text.Length; len++)
            {
                string prefix = text[..len];
                File.WriteAllText(cut, prefix);
                int complete = prefix.Count(c => c == '\n') - (header && prefix.Contains('\n') ? 1 : 0);
                string partial = prefix[(prefix.LastIndexOf('\n') + 1)..];
                bool headerCut = header && !prefix.Contains('\n');
                bool lastValueCut = !headerCut && partial.Length > 0 && partial.Count(c => c == ',') == fields - 1 && !partial.EndsWith(',');
                int expected = complete + (lastValueCut ? 1 : 0);
                if (expected == 0 || (partial.Length > 0 && !lastValueCut && !headerCut))
                {
                    var e = Assert.Throws<DataFormatException>(() => MnistCsv.Read(cut, images.Rows, images.Cols));
                    Assert.Contains(cut, e.Message);
                    continue;
                }
                var read = MnistCsv.Read(cut, images.Rows, images.Cols);
                Assert.Equal(expected, read.Count);
                Assert.Equal(images.Labels[..expected], read.Labels);
                int exact = expected * images.ImageSize - (lastValueCut ? 1 : 0);   // all but a possibly cut last pixel
                Assert.Equal(images.Pixels[..exact], read.Pixels[..exact]);
            }
        }, iter: 15);
    }

    private static readonly Gen<byte[]> CifarFiles =
        Gen.Select(Gen.Int[1, 3], Gen.Byte.Array[3072], Gen.Int[0, 9].Array[3]).Select((n, px, labels) =>
        {
            var data = new byte[n * Cifar10Binary.RecordSize];
            for (int i = 0; i < n; i++)
            {
                data[i * Cifar10Binary.RecordSize] = (byte)labels[i];
                for (int k = 0; k < 3072; k++) data[i * Cifar10Binary.RecordSize + 1 + k] = (byte)(px[k] + i);
            }
            return data;
        });

    /// <summary>CIFAR-10 records laid out by the format (label byte, then the R, G and B planes) read back as images
    /// [3, 32, 32]; every truncation that is not a whole number of records is a typed error naming the file.</summary>
    [Fact]
    public void Cifar_records_read_back_and_every_partial_record_is_a_typed_error()
    {
        using var tmp = new TempDir();
        CifarFiles.Sample(data =>
        {
            string path = Unique(tmp, "data_batch_1.bin"), cut = Unique(tmp, "cut.bin");
            File.WriteAllBytes(path, data);
            var set = Cifar10Binary.ReadFile(path);
            int n = data.Length / Cifar10Binary.RecordSize;
            Assert.Equal((n, 3, 32, 32), (set.Count, set.Channels, set.Rows, set.Cols));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(data[i * Cifar10Binary.RecordSize], set.Labels[i]);
                Assert.Equal(data.AsSpan(i * Cifar10Binary.RecordSize + 1, 3072).ToArray(), set.Image(i).ToArray());
            }
            for (int len = 0; len < data.Length; len += 1 + len % 97)
            {
                File.WriteAllBytes(cut, data[..len]);
                if (len > 0 && len % Cifar10Binary.RecordSize == 0) { Assert.Equal(len / Cifar10Binary.RecordSize, Cifar10Binary.ReadFile(cut).Count); continue; }
                var e = Assert.Throws<DataFormatException>(() => Cifar10Binary.ReadFile(cut));
                Assert.Contains(cut, e.Message);
            }
        }, iter: 10);
    }

    /// <summary>Every truncation of a cifar-10-binary.tar.gz (and of the plain .tar) is a typed error naming it.</summary>
    [Fact]
    public void Every_truncation_of_a_cifar_tarball_is_a_typed_error()
    {
        using var tmp = new TempDir();
        foreach (bool gzip in new[] { true, false })
        {
            string path = tmp.File(gzip ? "cifar-10-binary.tar.gz" : "cifar-10-binary.tar"), cut = tmp.File(gzip ? "cut.tar.gz" : "cut.tar");
            VisionTestFiles.TarGz(path, Cifar10Binary.TrainFiles.Append(Cifar10Binary.TestFile)
                .Select((f, i) => ($"cifar-10-batches-bin/{f}", VisionTestFiles.CifarRecords(1, i))), gzip);
            var (train, test) = Cifar10Binary.ReadTarball(path);
            Assert.Equal((5, 1), (train.Count, test.Count));
            var bytes = File.ReadAllBytes(path);
            for (int len = 0; len < bytes.Length; len += gzip ? 1 : 1 + len % 13)
            {
                File.WriteAllBytes(cut, bytes[..len]);
                // a cut after the last member (in the end-of-archive zero blocks, or a .gz's trailer) still holds every
                // member: it may be read or refused
                if ((gzip ? InflatedLength(bytes[..len]) : len) >= 6 * (512 + 3584)) { try { Cifar10Binary.ReadTarball(cut); } catch (DataFormatException) { } continue; }
                var e = Assert.Throws<DataFormatException>(() => Cifar10Binary.ReadTarball(cut));
                Assert.Contains(cut, e.Message);
            }
        }
    }

    /// <summary>PNG, JPEG and BMP files written by stb_image_write decode to their size; every truncation is refused
    /// with a typed error naming the file (a truncated file must not decode to grey-filled garbage).</summary>
    [Fact]
    public void Every_truncation_of_a_png_jpeg_or_bmp_is_a_typed_error()
    {
        Gen.Select(Gen.Int[1, 9], Gen.Int[1, 9], Gen.Byte.Array[243], Gen.Int[0, 2]).Sample((h, w, px, format) =>
        {
            using var ms = new MemoryStream();
            var writer = new ImageWriter();
            var rgb = px.AsSpan(0, h * w * 3).ToArray();
            switch (format)
            {
                case 0: writer.WritePng(rgb, w, h, ColorComponents.RedGreenBlue, ms); break;
                case 1: writer.WriteJpg(rgb, w, h, ColorComponents.RedGreenBlue, ms, 90); break;
                default: writer.WriteBmp(rgb, w, h, ColorComponents.RedGreenBlue, ms); break;
            }
            var bytes = ms.ToArray();
            var (width, height, pixels) = ImageDecoder.Decode(bytes, 3, "whole.img");
            Assert.Equal((w, h, 3 * w * h), (width, height, pixels.Length));
            if (format != 1) Assert.Equal(rgb, Interleave(pixels, h * w));   // lossless formats: the same pixels
            for (int len = 0; len < bytes.Length; len++)
            {
                var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(bytes[..len], 3, "cut.img"));
                Assert.StartsWith("cut.img: ", e.Message);
            }
        }, iter: 60);
    }

    /// <summary>How many bytes a (possibly truncated) gzip stream inflates to before it ends or breaks.</summary>
    private static long InflatedLength(byte[] gz)
    {
        using var z = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        var buf = new byte[4096];
        long n = 0;
        try
        {
            int k;
            while ((k = z.Read(buf)) > 0) n += k;
        }
        catch (InvalidDataException) { }
        return n;
    }

    private static byte[] Interleave(byte[] chw, int hw)
    {
        var hwc = new byte[chw.Length];
        for (int p = 0; p < hw; p++)
            for (int c = 0; c < 3; c++) hwc[3 * p + c] = chw[c * hw + p];
        return hwc;
    }
}
