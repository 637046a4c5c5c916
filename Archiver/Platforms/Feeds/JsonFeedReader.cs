using System.Text.Json;

namespace Archiver.Platforms.Feeds;

/// <summary>JSON Feed 1.0/1.1. A truncated or broken document still yields every item that is complete in it.</summary>
public static class JsonFeedReader
{
    public static FeedDocument? Read(string json, Uri? url)
    {
        var problems = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            return FromRoot(document.RootElement, document.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToList() : [], url, problems);
        }
        catch (JsonException e)
        {
            problems.Add($"ill-formed JSON: {e.Message}");
            return Salvage(json, url, problems);
        }
    }

    private static FeedDocument FromRoot(JsonElement root, IReadOnlyList<JsonElement> items, Uri? url, List<string> problems)
    {
        var home = Str(root, "home_page_url");
        return new FeedDocument
        {
            Format = "json",
            Title = Str(root, "title"),
            Link = Absolute(home, url),
            Id = Str(root, "feed_url"),
            Description = Str(root, "description"),
            Language = Str(root, "language"),
            Author = AuthorName(root),
            ImageUrl = Str(root, "icon") ?? Str(root, "favicon"),
            Entries = items.Where(i => i.ValueKind == JsonValueKind.Object).Select(i => Item(i, url)).ToList(),
            Problems = problems,
        };
    }

    private static FeedEntry Item(JsonElement item, Uri? url)
    {
        var link = Absolute(Str(item, "url"), url);
        var authorUrl = item.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? Str(a, "url") : null;
        var attachments = item.TryGetProperty("attachments", out var att) && att.ValueKind == JsonValueKind.Array
            ? att.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object && Str(x, "url") is not null)
                .Select(x => new FeedEnclosure(Absolute(Str(x, "url"), url)!, Str(x, "mime_type"), x.TryGetProperty("size_in_bytes", out var s) && s.TryGetInt64(out var n) ? n : null, "attachment")).ToList()
            : [];
        if (Str(item, "image") is { } image) attachments.Add(new FeedEnclosure(Absolute(image, url)!, "image/*", null, "image"));
        var text = Str(item, "content_text");
        return new FeedEntry
        {
            Id = item.TryGetProperty("id", out var id) ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.ValueKind == JsonValueKind.Number ? id.GetRawText() : null : null,
            Title = Str(item, "title"),
            Link = link ?? Absolute(Str(item, "external_url"), url),
            Author = AuthorName(item),
            AuthorUrl = authorUrl,
            Published = FeedDates.Parse(Str(item, "date_published")),
            Updated = FeedDates.Parse(Str(item, "date_modified")),
            DateText = Str(item, "date_published") ?? Str(item, "date_modified"),
            Summary = Str(item, "summary") is { } summary ? System.Net.WebUtility.HtmlEncode(summary) : null,
            Content = Str(item, "content_html") ?? (text is null ? null : System.Net.WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal)),
            ContentBase = link ?? url?.AbsoluteUri,
            Language = Str(item, "language"),
            Categories = item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                ? tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList() : [],
            Enclosures = attachments,
            Comments = Str(item, "external_url"),
        };
    }

    private static string? AuthorName(JsonElement e)
    {
        if (e.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object) return Str(a, "name");
        if (e.TryGetProperty("authors", out var list) && list.ValueKind == JsonValueKind.Array)
            return list.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(x => Str(x, "name")).FirstOrDefault(n => n is not null);
        return null;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static string? Absolute(string? href, Uri? url) =>
        href is null ? null : url is not null && Uri.TryCreate(url, href, out var abs) ? abs.AbsoluteUri : href;

    /// <summary>Reads each complete object of the "items" array of a broken document.</summary>
    private static FeedDocument? Salvage(string json, Uri? url, List<string> problems)
    {
        var at = json.IndexOf("\"items\"", StringComparison.Ordinal);
        if (at < 0) return null;
        var items = new List<JsonElement>();
        var open = json.IndexOf('[', at);
        var pos = open + 1;
        while (open >= 0 && pos < json.Length)
        {
            var start = json.IndexOf('{', pos);
            if (start < 0) break;
            var end = MatchingBrace(json, start);
            if (end < 0) { problems.Add("the last item is incomplete"); break; }
            try
            {
                using var item = JsonDocument.Parse(json[start..(end + 1)]);
                items.Add(item.RootElement.Clone());
            }
            catch (JsonException)
            {
                problems.Add("an unreadable item was skipped");
            }
            pos = end + 1;
        }
        var title = System.Text.RegularExpressions.Regex.Match(json[..at], "\"title\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        using var head = JsonDocument.Parse(title.Success ? $"{{\"title\":\"{title.Groups[1].Value}\"}}" : "{}");
        return FromRoot(head.RootElement, items, url, problems);
    }

    private static int MatchingBrace(string s, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            if (inString) { if (c == '\\') i++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
