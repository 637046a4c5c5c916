using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using Archiver.Platforms.Sites.Fast;

namespace Archiver.Platforms.Sites;

/// <summary>A profile file that cannot be used; the message names the file and the key at fault.</summary>
public sealed class SiteProfileException(string message) : ArchiverException(message);

/// <summary>Reads a profile from JSON, checking every selector and pattern up front so a typo fails at load, not mid-crawl.</summary>
public static class SiteProfileLoader
{
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "name", "description", "urls", "item", "fields", "date_format", "date_culture", "next_page", "thread_links",
        "needs_javascript", "wait_for", "parser", "listing", "$comment",
    };

    private static readonly CssSelectorParser Css = new();
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static SiteProfile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SiteProfileException($"Cannot read site profile {path}: {e.Message}");
        }
        return Parse(json, path);
    }

    public static SiteProfile Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SiteProfileException($"Site profile {source} is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(source, "the file must hold one JSON object");
            foreach (var property in root.EnumerateObject())
                if (!TopLevelKeys.Contains(property.Name))
                    throw Fail(source, $"unknown key \"{property.Name}\" (known: {string.Join(", ", TopLevelKeys.Where(k => k[0] != '$'))})");

            var name = String(root, "name", source) ?? Path.GetFileNameWithoutExtension(source);
            var parser = String(root, "parser", source) switch
            {
                null or "standard" => SiteParserKind.Standard,
                "fast" => SiteParserKind.Fast,
                var other => throw Fail(source, $"\"parser\" must be \"standard\" or \"fast\", not \"{other}\""),
            };
            var itemText = String(root, "item", source) ?? throw Fail(source, "\"item\" (the CSS selector of one post) is required");
            var fields = new Dictionary<string, FieldSpec>(StringComparer.Ordinal);
            if (root.TryGetProperty("fields", out var fieldsElement))
            {
                if (fieldsElement.ValueKind != JsonValueKind.Object) throw Fail(source, "\"fields\" must be an object");
                foreach (var field in fieldsElement.EnumerateObject())
                    fields[field.Name] = Field(field.Value, source, $"fields.{field.Name}");
            }
            var profile = new SiteProfile
            {
                Name = name,
                Parser = parser,
                Description = String(root, "description", source),
                Source = source,
                Urls = Strings(root, "urls", source).Select(p => Pattern(p, source, "urls")).ToList(),
                Item = Selector(itemText, source, "item"),
                Fields = fields,
                DateFormats = Strings(root, "date_format", source).ToArray(),
                DateCulture = String(root, "date_culture", source),
                NextPage = root.TryGetProperty("next_page", out var next) && next.ValueKind != JsonValueKind.Null ? Field(next, source, "next_page") : null,
                ThreadLinks = root.TryGetProperty("thread_links", out var threads) && threads.ValueKind != JsonValueKind.Null ? Field(threads, source, "thread_links") : null,
                NeedsJavascript = root.TryGetProperty("needs_javascript", out var js) && js.ValueKind == JsonValueKind.True,
                Listing = root.TryGetProperty("listing", out var listing) && listing.ValueKind == JsonValueKind.True,
                WaitFor = String(root, "wait_for", source),
            };
            if (parser == SiteParserKind.Fast) RequireFast(profile, source);
            return profile;
        }
    }

    private static FieldSpec Field(JsonElement value, string source, string key)
    {
        if (value.ValueKind == JsonValueKind.String) return Shorthand(value.GetString()!, source, key);
        if (value.ValueKind != JsonValueKind.Object) throw Fail(source, $"\"{key}\" must be a string or an object");
        var scope = FieldScope.Item;
        if (String(value, "scope", source) is { } scopeText && !Enum.TryParse(scopeText, ignoreCase: true, out scope))
            throw Fail(source, $"\"{key}.scope\" must be item, page or url");
        var selectorText = String(value, "selector", source);
        var regex = String(value, "regex", source);
        var constant = String(value, "value", source);
        if (scope == FieldScope.Url && regex is null) throw Fail(source, $"\"{key}\" reads the URL and needs a \"regex\"");
        if (selectorText is null && regex is null && constant is null && String(value, "attr", source) is null && scope == FieldScope.Item)
            throw Fail(source, $"\"{key}\" needs a \"selector\", \"attr\", \"regex\" or \"value\"");
        return new FieldSpec
        {
            Selector = selectorText is null ? null : Selector(selectorText, source, key),
            Attribute = String(value, "attr", source),
            Regex = regex is null ? null : Pattern(regex, source, key),
            Scope = scope,
            Constant = constant,
            Html = value.TryGetProperty("html", out var html) && html.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>"selector", "selector@attr", "@attr", "page:selector", "url:regex".</summary>
    private static FieldSpec Shorthand(string text, string source, string key)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("url:", StringComparison.Ordinal))
            return new FieldSpec { Scope = FieldScope.Url, Regex = Pattern(trimmed[4..], source, key) };
        var scope = FieldScope.Item;
        if (trimmed.StartsWith("page:", StringComparison.Ordinal)) { scope = FieldScope.Page; trimmed = trimmed[5..].Trim(); }
        var at = AttributeSeparator(trimmed);
        var selectorText = (at < 0 ? trimmed : trimmed[..at]).Trim();
        var attribute = at < 0 ? null : trimmed[(at + 1)..].Trim();
        if (selectorText.Length == 0 && attribute is null) throw Fail(source, $"\"{key}\" is empty");
        return new FieldSpec
        {
            Scope = scope,
            Selector = selectorText.Length == 0 ? null : Selector(selectorText, source, key),
            Attribute = string.IsNullOrEmpty(attribute) ? null : attribute,
        };
    }

    // The last '@' outside [...] and quotes separates the attribute: "a[href*='@']@href" keeps the first '@'.
    private static int AttributeSeparator(string text)
    {
        var depth = 0;
        char quote = '\0';
        var found = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '@' && depth == 0) found = i;
        }
        return found;
    }

    private static void RequireFast(SiteProfile profile, string source)
    {
        var selectors = new List<(string Key, ProfileSelector? Selector)> { ("item", profile.Item), ("next_page", profile.NextPage?.Selector), ("thread_links", profile.ThreadLinks?.Selector) };
        selectors.AddRange(profile.Fields.Select(f => ("fields." + f.Key, f.Value.Selector)));
        foreach (var (key, selector) in selectors)
            if (selector is { Fast: null })
                throw Fail(source, $"\"{key}\": \"{selector.Text}\" uses CSS the fast parser does not support (type, #id, .class, [attr], descendant and child only); remove \"parser\": \"fast\" or simplify it");
    }

    private static ProfileSelector Selector(string text, string source, string key) =>
        new(text, CssSelector(text, source, key), FastSelector.TryParse(text));

    private static ISelector CssSelector(string text, string source, string key)
    {
        ISelector? selector = null;
        try
        {
            selector = Css.ParseSelector(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail(source, $"\"{key}\": \"{text}\" is not a valid CSS selector ({e.Message})");
        }
        return selector ?? throw Fail(source, $"\"{key}\": \"{text}\" is not a valid CSS selector");
    }

    private static Regex Pattern(string text, string source, string key)
    {
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw Fail(source, $"\"{key}\": \"{text}\" is not a valid regular expression ({e.Message})");
        }
    }

    private static string? String(JsonElement element, string key, string source)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Fail(source, $"\"{key}\" must be a string");
        return value.GetString();
    }

    private static List<string> Strings(JsonElement element, string key, string source)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw Fail(source, $"\"{key}\" must be a string or a list of strings");
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    private static SiteProfileException Fail(string source, string what) => new($"Site profile {source}: {what}.");
}
