using Nabla.Data;

namespace Nabla.Tests.Data;

public class Cifar10BinaryTests
{
    private const string Partial = "genuine-partial/";

    [Fact]
    public void Parses_records_into_channel_major_images()
    {
        var set = Cifar10Binary.Parse(VisionTestFiles.CifarRecords(3), "mem");
        Assert.Equal((3, 3, 32, 32), (set.Count, set.Channels, set.Rows, set.Cols));
        Assert.Equal([0, 1, 2], set.Labels);
        // image 2, green plane (offset 1024), row 1, column 5: k = 1024 + 32 + 5 → (6 + 1061) mod 256
        Assert.Equal((6 + 1061) % 256, set.Image(2)[1024 + 32 + 5]);
    }

    [Fact]
    public void A_file_that_is_not_whole_records_is_named_in_the_error()
    {
        using var tmp = new TempDir();
        string path = tmp.File("data_batch_1.bin");
        File.WriteAllBytes(path, VisionTestFiles.CifarRecords(2)[..^7]);
        DataTestFiles.AssertFormatError(() => Cifar10Binary.ReadFile(path), path, "not a whole number", "1 records", "3,066 bytes left over");
        File.WriteAllBytes(path, []);
        DataTestFiles.AssertFormatError(() => Cifar10Binary.ReadFile(path), path, "empty");
        var bad = VisionTestFiles.CifarRecords(2);
        bad[3073] = 57;
        File.WriteAllBytes(path, bad);
        DataTestFiles.AssertFormatError(() => Cifar10Binary.ReadFile(path), path, "record 1", "label 57");
    }

    [Fact]
    public void Reads_the_tarball_layout_in_batch_order()
    {
        using var tmp = new TempDir();
        string tar = tmp.File("cifar-10-binary.tar.gz");
        var members = Enumerable.Range(1, 5).Select(b => ($"cifar-10-batches-bin/data_batch_{b}.bin", VisionTestFiles.CifarRecords(4, first: 4 * (b - 1))))
            .Append(("cifar-10-batches-bin/test_batch.bin", VisionTestFiles.CifarRecords(3, first: 100)))
            .Append(("cifar-10-batches-bin/batches.meta.txt", "airplane\n"u8.ToArray()))
            .Reverse();   // member order must not matter
        VisionTestFiles.TarGz(tar, members);
        var (train, test) = Cifar10Binary.ReadTarball(tar);
        Assert.Equal(20, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)(i % 10)), train.Labels);
        Assert.Equal(VisionTestFiles.CifarRecords(20)[1..3073], train.Image(0).ToArray());
        Assert.Equal(VisionTestFiles.CifarRecords(1, first: 19)[1..], train.Image(19).ToArray());
        Assert.Equal((byte)(101 % 10), test.Labels[1]);
    }

    [Fact]
    public void A_tarball_missing_a_batch_or_holding_a_broken_one_is_reported()
    {
        using var tmp = new TempDir();
        string tar = tmp.File("cifar-10-binary.tar.gz");
        VisionTestFiles.TarGz(tar, [("cifar-10-batches-bin/data_batch_1.bin", VisionTestFiles.CifarRecords(1))]);
        DataTestFiles.AssertFormatError(() => Cifar10Binary.ReadTarball(tar), tar, "data_batch_2.bin", "test_batch.bin");
        VisionTestFiles.TarGz(tar, [("cifar-10-batches-bin/data_batch_1.bin", new byte[5000])]);
        DataTestFiles.AssertFormatError(() => Cifar10Binary.ReadTarball(tar), "data_batch_1.bin", "not a whole number");
        File.WriteAllBytes(tar, DataTestFiles.Gzip(new byte[700]));
        Assert.ThrowsAny<Exception>(() => Cifar10Binary.ReadTarball(tar));
    }

    /// <summary>Counts, labels and pixels of the genuine prefixes, against values printed by NumPy from the same
    /// files (np.fromfile(...).reshape(-1, 3073)).</summary>
    [RequiresDataFact("cifar10", Partial + "data_batch_1.first4000.bin")]
    public void Genuine_training_prefix()
    {
        var set = Cifar10Binary.ReadFile(Path.Combine(RequiresDataFactAttribute.Folder("cifar10"), Partial + "data_batch_1.first4000.bin"));
        Assert.Equal(4000, set.Count);
        Assert.Equal([6, 9, 9, 4, 1, 1, 2, 7, 8, 3], set.Labels[..10]);
        Assert.Equal(4, set.Labels[^1]);
        Assert.Equal([396, 366, 420, 384, 422, 393, 414, 385, 407, 413], Enumerable.Range(0, 10).Select(c => set.Labels.Count(l => l == c)));
        Assert.Equal([59, 43, 50, 68], set.Image(0)[..4].ToArray());          // R, row 0
        Assert.Equal(77, set.Image(0)[1024 + 5 * 32 + 7]);                   // G (5, 7)
        Assert.Equal(72, set.Image(0)[2048 + 31 * 32 + 31]);                 // B (31, 31)
        Assert.Equal(91, set.Image(123)[1024 + 10 * 32 + 20]);
        Assert.Equal(4, set.Image(3999)[16 * 32 + 16]);
        var (mean, std) = ImageStatistics.ChannelMeanStd(set);
        TestUtil.AssertClose([0.4915966844745703, 0.48175927925858053, 0.44465670094209636], Tensor.FromArray(mean, 3), 1e-6);
        TestUtil.AssertClose([0.2471137835529701, 0.2439722298787571, 0.2625002570836881], Tensor.FromArray(std, 3), 1e-5);
    }

    [RequiresDataFact("cifar10", Partial + "test_batch.first1000.bin")]
    public void Genuine_test_prefix()
    {
        var set = Cifar10Binary.ReadFile(Path.Combine(RequiresDataFactAttribute.Folder("cifar10"), Partial + "test_batch.first1000.bin"));
        Assert.Equal(1000, set.Count);
        Assert.Equal([3, 8, 8, 0, 6, 6, 1, 6, 3, 1], set.Labels[..10]);
        Assert.Equal([103, 89, 100, 103, 90, 86, 112, 102, 106, 109], Enumerable.Range(0, 10).Select(c => set.Labels.Count(l => l == c)));
        Assert.Equal([158, 159, 165, 166], set.Image(0)[..4].ToArray());
        Assert.Equal(115, set.Image(0)[1024 + 5 * 32 + 7]);
        Assert.Equal(110, set.Image(0)[2048 + 31 * 32 + 31]);
        Assert.Equal(135, set.Image(999)[16 * 32 + 16]);
    }

    /// <summary>The genuine prefix cut into five "batches" and packed as the published tarball is laid out.</summary>
    [RequiresDataFact("cifar10", Partial + "data_batch_1.first4000.bin")]
    public void Genuine_records_through_a_tarball()
    {
        string dir = Path.Combine(RequiresDataFactAttribute.Folder("cifar10"), Partial);
        var train = File.ReadAllBytes(Path.Combine(dir, "data_batch_1.first4000.bin"));
        var test = File.ReadAllBytes(Path.Combine(dir, "test_batch.first1000.bin"));
        using var tmp = new TempDir();
        string tar = tmp.File("cifar-10-binary.tar.gz");
        int part = 800 * 3073;
        VisionTestFiles.TarGz(tar, Enumerable.Range(0, 5).Select(b => ($"cifar-10-batches-bin/data_batch_{b + 1}.bin", train[(b * part)..((b + 1) * part)]))
            .Append(("cifar-10-batches-bin/test_batch.bin", test)));
        var (tr, te) = Cifar10Binary.ReadTarball(tar);
        var direct = Cifar10Binary.ReadFile(Path.Combine(dir, "data_batch_1.first4000.bin"));
        Assert.Equal(direct.Labels, tr.Labels);
        Assert.Equal(direct.Pixels, tr.Pixels);
        Assert.Equal(1000, te.Count);
    }
}
