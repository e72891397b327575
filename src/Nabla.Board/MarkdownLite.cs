using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Nabla.Board;

/// <summary>
/// The small part of Markdown the labs' report.md files use, rendered to HTML: headings, paragraphs, fenced code,
/// pipe tables, bullet and numbered lists, rules, and inline code, bold, italics, links and images. All text is
/// HTML-escaped; raw HTML in the source is shown as text. Relative image and link targets are resolved against the
/// report's folder and served through <c>/files/</c>; a target outside the runs root, an image from another host, or a
/// link with a scheme other than http(s) is dropped (its text stays).
/// </summary>
public static partial class MarkdownLite
{
    /// <summary>Renders <paramref name="markdown"/>; <paramref name="baseDir"/> is the report's folder relative to the
    /// runs root (forward slashes, "" for the root).</summary>
    public static string ToHtml(string markdown, string baseDir)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var html = new StringBuilder();
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i];
            string t = line.Trim();
            if (t.Length == 0) { i++; continue; }
            if (t.StartsWith("```"))
            {
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```"); i++) code.Add(lines[i]);
                i++; // the closing fence (or the end)
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(string.Join("\n", code))).Append("</code></pre>\n");
                continue;
            }
            if (Heading().Match(t) is { Success: true } h)
            {
                int level = h.Groups[1].Length;
                html.Append($"<h{level}>").Append(Inline(h.Groups[2].Value, baseDir)).Append($"</h{level}>\n");
                i++;
                continue;
            }
            if (Rule().IsMatch(t)) { html.Append("<hr>\n"); i++; continue; }
            if (t.StartsWith('|') && i + 1 < lines.Length && TableDivider().IsMatch(lines[i + 1].Trim()))
            {
                html.Append("<table>\n<thead><tr>");
                foreach (var cell in Cells(t)) html.Append("<th>").Append(Inline(cell, baseDir)).Append("</th>");
                html.Append("</tr></thead>\n<tbody>\n");
                for (i += 2; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
                {
                    html.Append("<tr>");
                    foreach (var cell in Cells(lines[i].Trim())) html.Append("<td>").Append(Inline(cell, baseDir)).Append("</td>");
                    html.Append("</tr>\n");
                }
                html.Append("</tbody>\n</table>\n");
                continue;
            }
            if (ListItem().Match(t) is { Success: true } first)
            {
                bool ordered = char.IsDigit(first.Groups[1].Value[0]);
                html.Append(ordered ? "<ol>\n" : "<ul>\n");
                while (i < lines.Length && ListItem().Match(lines[i].Trim()) is { Success: true } item
                       && char.IsDigit(item.Groups[1].Value[0]) == ordered)
                {
                    html.Append("<li>").Append(Inline(item.Groups[2].Value, baseDir)).Append("</li>\n");
                    i++;
                }
                html.Append(ordered ? "</ol>\n" : "</ul>\n");
                continue;
            }
            var para = new List<string>();
            while (i < lines.Length && lines[i].Trim() is { Length: > 0 } p && !p.StartsWith("```") && !Heading().IsMatch(p)
                   && !Rule().IsMatch(p) && !(p.StartsWith('|') && para.Count == 0) && !(ListItem().IsMatch(p) && para.Count == 0)
                   && !(p.StartsWith('|') && i + 1 < lines.Length && TableDivider().IsMatch(lines[i + 1].Trim())))
            {
                para.Add(p);
                i++;
            }
            if (para.Count == 0) { para.Add(t); i++; } // a lone line no block rule took (e.g. "|" without a divider)
            html.Append("<p>").Append(Inline(string.Join("\n", para), baseDir)).Append("</p>\n");
        }
        return html.ToString();
    }

    /// <summary>Inline Markdown of one block: code spans first (nothing inside them is formatted), then images,
    /// links, bold and italics; everything else is escaped text.</summary>
    internal static string Inline(string text, string baseDir)
    {
        var sb = new StringBuilder();
        int at = 0;
        foreach (Match m in InlineToken().Matches(text))
        {
            sb.Append(WebUtility.HtmlEncode(text[at..m.Index]));
            at = m.Index + m.Length;
            if (m.Groups["code"].Success)
                sb.Append("<code>").Append(WebUtility.HtmlEncode(m.Groups["code"].Value.Trim())).Append("</code>");
            else if (m.Groups["img"].Success)
            {
                string alt = m.Groups["alt"].Value;
                string? src = Target(m.Groups["src"].Value, baseDir, allowRemote: false);
                sb.Append(src is null
                    ? WebUtility.HtmlEncode(alt)
                    : $"<img src=\"{WebUtility.HtmlEncode(src)}\" alt=\"{WebUtility.HtmlEncode(alt)}\">");
            }
            else if (m.Groups["link"].Success)
            {
                string? href = Target(m.Groups["href"].Value, baseDir, allowRemote: true);
                string inner = Inline(m.Groups["label"].Value, baseDir);
                sb.Append(href is null ? inner : $"<a href=\"{WebUtility.HtmlEncode(href)}\" rel=\"noopener noreferrer\" target=\"_blank\">{inner}</a>");
            }
            else if (m.Groups["bold"].Success) sb.Append("<strong>").Append(Inline(m.Groups["bold"].Value, baseDir)).Append("</strong>");
            else sb.Append("<em>").Append(Inline(m.Groups["em1"].Success ? m.Groups["em1"].Value : m.Groups["em2"].Value, baseDir)).Append("</em>");
        }
        sb.Append(WebUtility.HtmlEncode(text[at..]));
        return sb.ToString();
    }

    /// <summary>The URL for a link or image target: http(s) as is (links only), a relative path resolved against the
    /// report's folder to <c>/files/…</c>; null for any other scheme or a path that climbs out of the root.</summary>
    internal static string? Target(string raw, string baseDir, bool allowRemote)
    {
        if (Uri.TryCreate(raw, UriKind.Absolute, out var abs) && !raw.StartsWith('/'))
            return allowRemote && (abs.Scheme == Uri.UriSchemeHttp || abs.Scheme == Uri.UriSchemeHttps) ? abs.AbsoluteUri : null;
        if (raw.StartsWith('/') || raw.StartsWith('#') || raw.Contains('\\') || raw.Contains(':')) return null;
        string path = raw.Split('#', '?')[0];
        var parts = new List<string>(baseDir.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Uri.UnescapeDataString(part);
            if (p == ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(p);
        }
        return parts.Count == 0 ? null : "/files/" + string.Join("/", parts.Select(Uri.EscapeDataString));
    }

    private static IEnumerable<string> Cells(string row)
    {
        string r = row.Trim();
        if (r.StartsWith('|')) r = r[1..];
        if (r.EndsWith('|') && !r.EndsWith("\\|")) r = r[..^1];
        return UnescapedPipe().Split(r).Select(c => c.Replace("\\|", "|").Trim());
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?:-{3,}|\*{3,}|_{3,})$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?$")]
    private static partial Regex TableDivider();

    [GeneratedRegex(@"^([-*+]|\d{1,9}[.)])\s+(.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"(?<tick>`+)(?<code>.+?)\k<tick>|(?<img>!\[(?<alt>[^\]]*)\]\((?<src>[^)\s]+)(?:\s+""[^""]*"")?\))|(?<link>\[(?<label>[^\]]+)\]\((?<href>[^)\s]+)(?:\s+""[^""]*"")?\))|\*\*(?<bold>.+?)\*\*|(?<![\w*])\*(?![\s*])(?<em1>.+?)(?<![\s*])\*(?![\w*])|(?<!\w)_(?![\s_])(?<em2>.+?)(?<![\s_])_(?!\w)", RegexOptions.Singleline)]
    private static partial Regex InlineToken();
}
