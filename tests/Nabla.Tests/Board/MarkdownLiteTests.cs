using Nabla.Board;

namespace Nabla.Tests.Board;

/// <summary>The report renderer: the Markdown the labs write, escaped, with figure links served from the root.</summary>
public class MarkdownLiteTests
{
    [Fact]
    public void Headings_paragraphs_tables_lists_and_code_render()
    {
        string html = MarkdownLite.ToHtml("# Title\n\nSome *text* and **bold** and `x < y`.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- one\n- two\n\n1. first\n\n```\nif (a < b) {}\n```\n\n---\n", "labs/x");
        Assert.Equal(
            "<h1>Title</h1>\n<p>Some <em>text</em> and <strong>bold</strong> and <code>x &lt; y</code>.</p>\n" +
            "<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</table>\n" +
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n" +
            "<pre><code>if (a &lt; b) {}</code></pre>\n<hr>\n", html);
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        string html = MarkdownLite.ToHtml("<script>alert(1)</script> <img src=x onerror=alert(1)>", "");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("fig.png", "/files/labs/x/fig.png")]
    [InlineData("./figs/a%20b.svg", "/files/labs/x/figs/a%20b.svg")]
    [InlineData("../y/fig.png", "/files/labs/y/fig.png")]
    [InlineData("../../../etc/passwd", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("http://example.com/x.png", null)]   // images never come from another host
    [InlineData("javascript:alert", null)]
    public void Image_targets_resolve_inside_the_root_or_are_dropped(string src, string? expected)
    {
        Assert.Equal(expected, MarkdownLite.Target(src, "labs/x", allowRemote: false));
        string html = MarkdownLite.ToHtml($"![a \"fig\"]({src})", "labs/x");
        if (expected is null) Assert.Equal("<p>a &quot;fig&quot;</p>\n", html);
        else Assert.Equal($"<p><img src=\"{expected}\" alt=\"a &quot;fig&quot;\"></p>\n", html);
    }

    [Fact]
    public void Links_keep_http_and_drop_other_schemes()
    {
        Assert.Contains("<a href=\"https://pytorch.org/\"", MarkdownLite.ToHtml("[torch](https://pytorch.org/)", ""));
        Assert.Equal("<p>click</p>\n", MarkdownLite.ToHtml("[click](javascript:void)", ""));
        Assert.Contains("<a href=\"/files/a/results.json\"", MarkdownLite.ToHtml("[results](results.json)", "a"));
    }

    [Fact]
    public void An_escaped_pipe_stays_inside_its_cell()
    {
        Assert.Contains("<td>a | b</td><td>c</td>", MarkdownLite.ToHtml("| x | y |\n|---|---|\n| a \\| b | c |\n", ""));
    }
}
