using System.Globalization;
using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// robots.txt (RFC 9309) for one user agent: the group naming our product token, else the <c>*</c> group;
/// the longest matching Allow/Disallow wins, Allow on a tie; <c>*</c> and <c>$</c> in patterns. Pure.
/// </summary>
public sealed class RobotsRules
{
    private readonly List<(string Pattern, bool Allow)> _rules;

    private RobotsRules(List<(string, bool)> rules, TimeSpan? crawlDelay)
    {
        _rules = rules;
        CrawlDelay = crawlDelay;
    }

    public static RobotsRules AllowAll { get; } = new([], null);
    public static RobotsRules DisallowAll { get; } = new([("/", false)], null);

    public TimeSpan? CrawlDelay { get; }

    public static RobotsRules Parse(string text, string userAgent)
    {
        var token = ProductToken(userAgent);
        var groups = new List<(List<string> Agents, List<(string, bool)> Rules, TimeSpan? Delay)>();
        List<string>? agents = null;
        List<(string, bool)>? rules = null;
        TimeSpan? delay = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (field == "user-agent")
            {
                if (!lastWasAgent)
                {
                    agents = [];
                    rules = [];
                    delay = null;
                    groups.Add((agents, rules, null));
                }
                agents!.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }
            lastWasAgent = false;
            if (rules is null) continue;
            switch (field)
            {
                case "allow" when value.Length > 0:
                    rules.Add((value, true));
                    break;
                case "disallow" when value.Length > 0:
                    rules.Add((value, false));
                    break;
                case "crawl-delay" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    delay = TimeSpan.FromSeconds(Math.Min(seconds, 60));
                    groups[^1] = (groups[^1].Agents, groups[^1].Rules, delay);
                    break;
            }
        }
        var matching = groups.Where(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))).ToList();
        if (matching.Count == 0) matching = groups.Where(g => g.Agents.Contains("*")).ToList();
        if (matching.Count == 0) return AllowAll;
        return new RobotsRules(matching.SelectMany(g => g.Rules).ToList(), matching.Select(g => g.Delay).FirstOrDefault(d => d is not null));
    }

    public bool IsAllowed(Uri url)
    {
        var path = url.PathAndQuery;
        if (path == "/robots.txt") return true;
        var bestLength = -1;
        var allowed = true;
        foreach (var (pattern, allow) in _rules)
        {
            if (!Matches(pattern, path)) continue;
            if (pattern.Length > bestLength || (pattern.Length == bestLength && allow))
            {
                bestLength = pattern.Length;
                allowed = allow;
            }
        }
        return allowed;
    }

    /// <summary>"archiver/0.1 (+...)" → "archiver": what robots.txt groups name.</summary>
    public static string ProductToken(string userAgent)
    {
        var end = userAgent.IndexOfAny([' ', '/', '(']);
        return (end < 0 ? userAgent : userAgent[..end]).ToLowerInvariant();
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        if (anchored) pattern = pattern[..^1];
        pattern = Decode(pattern);
        path = Decode(path);
        return Match(pattern, 0, path, 0, anchored);
    }

    private static bool Match(string pattern, int p, string path, int s, bool anchored)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == '*')
            {
                for (var k = s; k <= path.Length; k++)
                {
                    if (Match(pattern, p + 1, path, k, anchored)) return true;
                }
                return false;
            }
            if (s >= path.Length || pattern[p] != path[s]) return false;
            p++;
            s++;
        }
        return !anchored || s == path.Length;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
