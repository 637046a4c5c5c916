using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Archiver.Benchmarks;

/// <summary>
/// Realistic parse inputs built from the shared real-world fixtures: t.me/s channel pages made of real message
/// fragments (renumbered, re-dated), and Mastodon timelines made of real status objects (re-identified).
/// Used by <c>Archiver.Benchmarks parse</c> and by the paging tests.
/// </summary>
public static partial class ParseWorkloads
{
    [GeneratedRegex("data-post=\"([A-Za-z0-9_]+)/([0-9]+)\"")]
    private static partial Regex DataPost();

    [GeneratedRegex("datetime\\s*=\\s*\"[^\"]*\"")]
    private static partial Regex DateTimeAttribute();

    /// <summary>The message fragments of the Telegram fixtures (every file with one data-post).</summary>
    public static List<string> TelegramTemplates(string fixturesRoot)
    {
        var files = Directory.GetFiles(Path.Combine(fixturesRoot, "telegram", "tchan"), "parse_*.html")
            .Concat(Directory.GetFiles(Path.Combine(fixturesRoot, "telegram", "any2feed"), "message_*.html"))
            .Order(StringComparer.Ordinal);
        return files.Select(File.ReadAllText).Where(html => DataPost().Matches(html).Count == 1).ToList();
    }

    /// <summary>One message fragment renumbered to <paramref name="channel"/>/<paramref name="id"/> and dated <paramref name="at"/>.</summary>
    public static string Message(string template, string channel, long id, DateTime at)
    {
        var match = DataPost().Match(template);
        if (!match.Success) throw new ArgumentException("template has no data-post", nameof(template));
        var original = match.Groups[1].Value + "/" + match.Groups[2].Value;
        var html = template.Replace(original, channel + "/" + id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return DateTimeAttribute().Replace(html, "datetime=\"" + at.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture) + "\"");
    }

    /// <summary>A t.me/s page with the given messages, newest last as Telegram serves them, and the "load more" link.</summary>
    public static string TelegramPage(IReadOnlyList<string> templates, string channel, IReadOnlyList<(long Id, DateTime At)> posts)
    {
        var page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta property=\"og:title\" content=\"")
            .Append(channel).Append("\"></head><body><main class=\"tgme_main\"><section class=\"tgme_channel_history js-message_history\">");
        if (posts.Count == 0)
        {
            page.Append("<div class=\"tgme_widget_message_wrap js-widget_message_wrap\"><div class=\"tgme_widget_message_centered\"><div class=\"tme_no_messages_found\">No posts found</div></div></div>");
        }
        else
        {
            var oldest = posts.Min(p => p.Id);
            page.Append(CultureInfo.InvariantCulture, $"<div class=\"tgme_widget_message_centered js-messages_more_wrap\"><a href=\"/s/{channel}?before={oldest}\" class=\"tme_messages_more js-messages_more\" data-before=\"{oldest}\"></a></div>");
            var ordered = posts.OrderBy(p => p.Id).ToList();
            for (var i = 0; i < ordered.Count; i++) page.Append(Message(templates[i % templates.Count], channel, ordered[i].Id, ordered[i].At));
        }
        return page.Append("</section></main></body></html>").ToString();
    }

    /// <summary>Real status objects of the Mastodon fixtures (timelines and single statuses), as raw JSON.</summary>
    public static List<string> MastodonStatuses(string fixturesRoot)
    {
        var statuses = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(fixturesRoot, "mastodon", "mastodon_py"), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out _) && item.TryGetProperty("account", out _)) statuses.Add(item.GetRawText());
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("content", out _) && root.TryGetProperty("account", out _))
            {
                statuses.Add(root.GetRawText());
            }
        }
        return statuses;
    }

    /// <summary>A timeline page of <paramref name="count"/> statuses cycled from <paramref name="statuses"/>, each with a fresh id.</summary>
    public static byte[] MastodonTimeline(IReadOnlyList<string> statuses, int count, long firstId)
    {
        var page = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < count; i++)
        {
            var status = System.Text.Json.Nodes.JsonNode.Parse(statuses[i % statuses.Count])!.AsObject();
            status["id"] = (firstId - i).ToString(CultureInfo.InvariantCulture);
            page.Add(status);
        }
        return Encoding.UTF8.GetBytes(page.ToJsonString());
    }

    /// <summary>The shared fixtures folder: ARCHIVER_SHARED, or a 'shared/fixtures' next to a parent of the working or app directory.</summary>
    public static string? FindFixtures()
    {
        var env = Environment.GetEnvironmentVariable("ARCHIVER_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "fixtures"))) return Path.Combine(env, "fixtures");
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
