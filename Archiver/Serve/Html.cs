using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Archiver.Serve;

/// <summary>
/// Builds the app's pages as text, every value through <see cref="HtmlEncoder"/>: archived posts are hostile, and
/// nothing they contain may become markup. Pages link one stylesheet from the app itself and no script.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _out = new();

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Url(string path, params (string Name, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value!));
        var joined = string.Join("&", parts);
        return joined.Length == 0 ? path : path + "?" + joined;
    }

    public static string Date(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        _out.Append(E(text));
        return this;
    }

    public static string Page(string title, string body) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + $"<title>{E(title)} · Archiver</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
        + "<header><a class=\"brand\" href=\"/\">Archiver</a><nav><a href=\"/\">Search</a><a href=\"/channels\">Channels</a><a href=\"/events\">Events</a><a href=\"/export\">Export</a></nav></header>"
        + $"<main>{body}</main></body></html>";

    public override string ToString() => _out.ToString();

    public const string Css = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
        header { display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1.2em; background: #233; }
        header a { color: #eef; text-decoration: none; } header .brand { font-weight: 700; } header nav a { margin-right: 1em; }
        main { max-width: 72em; margin: 0 auto; padding: 1em 1.2em; }
        form.search input[name=q] { width: 60%; font-size: 1.05em; padding: .35em; }
        .syntax { color: #555; font-size: .9em; } .layout { display: flex; gap: 2em; } .results { flex: 3; } .facets { flex: 1; }
        .hit { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .6em .8em; margin: .6em 0; }
        .hit .meta { color: #555; font-size: .88em; } mark { background: #ffe066; }
        .badge { display: inline-block; font-size: .75em; padding: 0 .45em; border-radius: 3px; margin-left: .4em; color: #fff; }
        .badge.deleted, .badge.gone { background: #b42318; } .badge.edited { background: #8a6d00; }
        .facets h3 { font-size: .95em; margin: 1em 0 .2em; } .facets ul { list-style: none; padding: 0; margin: 0; }
        .error { color: #b42318; } table { border-collapse: collapse; } td, th { padding: .2em .6em; border-bottom: 1px solid #ddd; text-align: left; }
        pre.text { white-space: pre-wrap; background: #fff; border: 1px solid #ddd; padding: .8em; }
        svg.histogram rect { fill: #468; } svg.histogram text { font-size: 10px; fill: #555; }
        ins { background: #d1f7c4; text-decoration: none; } del { background: #ffd4d0; }
        .media { display: flex; flex-wrap: wrap; gap: 1em; } .media figure { margin: 0; max-width: 32em; } .media img, .media video { max-width: 100%; max-height: 24em; }
        .media figcaption, .note, table.provenance { font-size: .85em; color: #555; } iframe.replay { width: 100%; height: 75vh; border: 1px solid #ccc; background: #fff; }
        form.export fieldset { border: 1px solid #ddd; margin: .8em 0; } form.export label { line-height: 2; } progress { width: 24em; } .warning { color: #8a6d00; }
        .badge.paused { background: #667; } .badge.event { background: #2f6f3e; } td.actions form { display: inline; margin-right: .3em; }
        """;
}
