using System.Net;
using System.Security.Cryptography;
using Nabla.Data;

namespace Nabla.Tests.Data;

public class DatasetDownloaderTests
{
    /// <summary>Serves fixed bytes per URL; unknown URLs fail like an offline machine.</summary>
    private sealed class FakeHandler(Dictionary<string, byte[]> content) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            string url = request.RequestUri!.ToString();
            Requests.Add(url);
            if (!content.TryGetValue(url, out var bytes)) throw new HttpRequestException($"Name or service not known ({request.RequestUri.Host})");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });
        }
    }

    private static readonly byte[] Payload = [1, 2, 3, 4, 5, 6, 7];

    private static DatasetSpec Spec() => new("toy", "Toy", ["https://one.example/", "https://two.example/"],
        [new("a.gz", Payload.Length, Convert.ToHexStringLower(MD5.HashData(Payload)))], []);

    [Fact]
    public void Download_VerifiesAndRenames_FallingBackToTheNextMirrorOnBadMd5()
    {
        using var tmp = new TempDir();
        var handler = new FakeHandler(new()
        {
            ["https://one.example/a.gz"] = [9, 9, 9, 9, 9, 9, 9],   // right size, wrong md5
            ["https://two.example/a.gz"] = Payload,
        });
        var log = new List<string>();
        string dir = DatasetDownloader.Download(Spec(), tmp.Path, new DownloadOptions { Handler = handler, Log = log.Add });
        Assert.Equal(Path.Combine(tmp.Path, "toy"), dir);
        Assert.Equal(Payload, File.ReadAllBytes(Path.Combine(dir, "a.gz")));
        Assert.Single(Directory.GetFiles(dir));   // no .part file left behind
        Assert.Contains(log, l => l.Contains("md5"));
        // Present with the right md5: nothing is fetched again.
        handler.Requests.Clear();
        DatasetDownloader.Download(Spec(), tmp.Path, new DownloadOptions { Handler = handler });
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Offline_FailsNamingEveryUrl_AndSuggestsNablaData()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DataDownloadException>(() =>
            DatasetDownloader.Download(Spec(), tmp.Path, new DownloadOptions { Handler = new FakeHandler([]) }));
        Assert.Contains("https://one.example/a.gz", e.Message);
        Assert.Contains("https://two.example/a.gz", e.Message);
        Assert.Contains("NABLA_DATA", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "toy")));
    }

    [Fact]
    public void WrongSize_IsRejected()
    {
        using var tmp = new TempDir();
        var handler = new FakeHandler(new() { ["https://one.example/a.gz"] = [1, 2, 3], ["https://two.example/a.gz"] = [.. Payload, 8] });
        var e = Assert.Throws<DataDownloadException>(() => DatasetDownloader.Download(Spec(), tmp.Path, new DownloadOptions { Handler = handler }));
        Assert.Contains("got 3 bytes", e.Message);
        Assert.Contains("more than the published 7 bytes", e.Message);
    }

    [Fact]
    public void PublishedSpecs_HaveFourFilesAndMirrors()
    {
        foreach (var spec in new[] { DatasetSpec.Mnist, DatasetSpec.FashionMnist })
        {
            Assert.Equal(4, spec.Files.Count);
            Assert.NotEmpty(spec.Mirrors);
        }
        foreach (var spec in DatasetSpec.All)
            Assert.All(spec.Files, f => Assert.Matches("^[0-9a-f]{32}$", f.Md5));
        Assert.Single(DatasetSpec.Cifar10.Files);
        Assert.Throws<DataDownloadException>(() => DatasetDownloader.Download(DatasetSpec.DogsVsCats, Path.GetTempPath()));
        Assert.Same(DatasetSpec.FashionMnist, DatasetSpec.Find("Fashion-MNIST"));
        Assert.Throws<ArgumentException>(() => DatasetSpec.Find("cifar-100"));
    }
}
