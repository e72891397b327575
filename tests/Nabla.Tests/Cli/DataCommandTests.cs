using System.Net;
using System.Security.Cryptography;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.Data;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>`nabla data info` on each image dataset layout it accepts (exit code 0; it used to fail on CIFAR-10,
/// whose published tarball is absent when the extracted files or the JPEG copy are used).</summary>
public class DataCommandTests
{
    [RequiresDataFact("cifar10")]
    public void Info_succeeds_on_cifar10_in_any_accepted_layout() =>
        Assert.Equal(0, DataCommand.Create().Parse(["info", "--data", "cifar10"]).Invoke());

    [RequiresDataFact]
    public void Info_succeeds_on_mnist() =>
        Assert.Equal(0, DataCommand.Create().Parse(["info", "--data", "mnist"]).Invoke());

    [Fact]
    public void Info_on_a_missing_root_fails_with_exit_code_1()
    {
        string empty = Directory.CreateTempSubdirectory("nabla-empty-").FullName;
        try
        {
            Assert.Equal(1, DataCommand.Create().Parse(["info", "--data", "cifar10", "--data-root", empty]).Invoke());
        }
        finally { Directory.Delete(empty, true); }
    }

    /// <summary>Serves one payload at one URL; any other URL fails like an offline machine.</summary>
    private sealed class OneFile(string url, byte[] payload) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            request.RequestUri!.ToString() == url
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(payload)) })
                : throw new HttpRequestException($"Name or service not known ({request.RequestUri.Host})");
    }

    /// <summary>What `nabla train` and `nabla data download` print while fetching a missing dataset (log redirected,
    /// as in CI): the URL tried, the mirror that failed, and a progress bar every 10 % that ends at 100 % with the
    /// file's size; the file lands md5-checked.</summary>
    [Fact]
    public void Download_progress_names_each_url_and_draws_a_bar_to_100_percent()
    {
        var payload = new byte[1_000_000];
        new Random(3).NextBytes(payload);
        var spec = new DatasetSpec("toy", "Toy", ["https://down.example/", "https://up.example/"],
            [new("a.gz", payload.Length, Convert.ToHexStringLower(MD5.HashData(payload)))], []);
        string root = Directory.CreateTempSubdirectory("nabla-download-").FullName;
        try
        {
            var log = new StringWriter();
            var options = TrainData.DownloadProgress(log) with { Handler = new OneFile("https://up.example/a.gz", payload) };
            string dir = DatasetDownloader.Download(spec, root, options);
            Assert.Equal(payload, File.ReadAllBytes(Path.Combine(dir, "a.gz")));
            var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            Assert.Equal("downloading https://down.example/a.gz", lines[0]);
            Assert.StartsWith("  failed: Name or service not known", lines[1]);
            Assert.Equal("downloading https://up.example/a.gz", lines[2]);
            var bars = lines.Skip(3).ToList();
            Assert.All(bars, b => Assert.Matches(@"^  a\.gz \[[█░]{30}\] +\d+%  \d+\.\d/1\.0 MB$", b));
            Assert.InRange(bars.Count, 2, 11);                                   // at most one line per 10 % step, plus 100 %
            Assert.Equal("  a.gz [" + new string('█', 30) + "] 100%  1.0/1.0 MB", bars[^1]);
            var percents = bars.Select(b => int.Parse(b.Split(']')[1].Trim().Split('%')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(percents.Order(), percents);                            // the bar only moves forward
        }
        finally { Directory.Delete(root, true); }
    }
}
