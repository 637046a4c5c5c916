using System.Text.Json;
using Archiver.Model;
using Archiver.Platforms.Common;
using static Archiver.Platforms.Mastodon.JsonFields;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// A status's edit history (<c>/api/v1/statuses/:id/history</c>): one post per version, oldest first, each with
/// the version's text and media and <c>EditedAt</c> set to when that version was written (null for the first),
/// marked as history entries (<see cref="PostHistory"/>): the store keeps those older than the status it holds as
/// the platform's record of earlier versions, and the rest as sightings, never as new edits.
/// </summary>
public static class MastodonHistory
{
    public static ParseResult Parse(FetchedPage page, MastodonNetwork network, string host, JsonElement root)
    {
        var id = page.Request?.Context.GetValueOrDefault(MastodonApi.ContextStatusId) ?? StatusId(page.Url);
        if (id is null) return ParseResult.Failure($"{host}: edit history without a status id in its URL", page.Url.AbsoluteUri);
        if (root.ValueKind != JsonValueKind.Array) return ParseResult.Failure($"{host}: edit history must be a JSON array", page.Url.AbsoluteUri);
        var versions = root.EnumerateArray().ToList();
        var posts = new List<Post>();
        var problems = new List<ParseProblem>();
        DateTime? first = null;
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            if (version.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new ParseProblem($"{host}: edit history version {i} of status {id} is not an object ({version.ValueKind})", page.Url.AbsoluteUri));
                continue;
            }
            var created = Date(version, "created_at", "createdAt");
            first ??= created;
            // A version is a status without id, counts or visibility: map it like one and keep what it has.
            var mapper = new MastodonStatusMapper(network.Name, host);
            using var stub = Stub(version, id);
            if (mapper.Add(stub.RootElement) is not { } post) continue;
            var extra = new Dictionary<string, string>(post.Extra, StringComparer.Ordinal) { [PostHistory.VersionKey] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (i + 1 < versions.Count && versions[i + 1].ValueKind == JsonValueKind.Object && Date(versions[i + 1], "created_at", "createdAt") is { } next)
                extra[PostHistory.ReplacedAtKey] = next.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            posts.Add(post with { CreatedAt = first, EditedAt = i == 0 ? null : created, Extra = extra });
        }
        return new ParseResult { Posts = posts, Problems = problems };
    }

    private static JsonDocument Stub(JsonElement version, string id)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            foreach (var property in version.EnumerateObject())
            {
                if (property.NameEquals("id")) continue;
                property.WriteTo(json);
            }
            json.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray());
    }

    private static string? StatusId(Uri url) =>
        url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", "statuses", var id, "history"] ? id : null;
}
