using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageDecoderTests
{
    [Fact]
    public void Png_round_trip_and_parallel_equals_sequential()
    {
        var images = Enumerable.Range(0, 40).Select(i => VisionTestFiles.Png(VisionTestFiles.Pattern(7, 9, i), 3, 7, 9)).ToArray();
        var names = Enumerable.Range(0, 40).Select(i => $"img{i}").ToArray();
        var (one, h, w) = ImageDecoder.DecodeAll(images, names, 3, null, maxParallelism: 1);
        var (many, _, _) = ImageDecoder.DecodeAll(images, names, 3, null, maxParallelism: 4);
        Assert.Equal((7, 9), (h, w));
        Assert.Equal(one, many);
        Assert.Equal(VisionTestFiles.Pattern(7, 9, 17), one.AsSpan(17 * 189, 189).ToArray());
        var (resizedOne, _, _) = ImageDecoder.DecodeAll(images, names, 3, (4, 4), maxParallelism: 1);
        var (resizedMany, _, _) = ImageDecoder.DecodeAll(images, names, 3, (4, 4), maxParallelism: 4);
        Assert.Equal(resizedOne, resizedMany);
    }

    /// <summary>train/airplane/0000.jpg and test/cat/0000.jpg of the CIFAR-10 JPEG copy; expected RGB values from
    /// libjpeg-turbo 2.1.5 (djpeg -pnm). Decoders may differ by a few levels (IDCT, chroma upsampling).</summary>
    [RequiresDataFact("cifar10", Cifar10.JpegTarball)]
    public void Jpeg_pixels_agree_with_libjpeg()
    {
        string tar = Path.Combine(RequiresDataFactAttribute.Folder("cifar10"), Cifar10.JpegTarball);
        var files = Archive.Entries(tar, n => n is "train/airplane/0000.jpg" or "test/cat/0000.jpg").ToDictionary(e => e.Name, e => e.Data);
        void Check(string name, (int Y, int X, int[] Rgb)[] expected, double[] mean)
        {
            var (w, h, px) = ImageDecoder.Decode(files[name], 3, name);
            Assert.Equal((32, 32), (w, h));
            foreach (var (y, x, rgb) in expected)
                for (int c = 0; c < 3; c++) Assert.InRange(px[c * 1024 + y * 32 + x], rgb[c] - 6, rgb[c] + 6);
            for (int c = 0; c < 3; c++) Assert.InRange(px.Skip(c * 1024).Take(1024).Average(b => b), mean[c] - 1.5, mean[c] + 1.5);
        }
        Check("train/airplane/0000.jpg", [(0, 0, [200, 202, 197]), (5, 7, [226, 228, 225]), (31, 31, [236, 236, 238]), (16, 10, [4, 4, 6])], [148.176, 148.697, 148.850]);
        Check("test/cat/0000.jpg", [(0, 0, [167, 107, 47]), (5, 7, [172, 119, 41]), (31, 31, [27, 79, 129]), (16, 10, [156, 144, 130])], [110.075, 110.396, 104.628]);
    }
}
