using System.Text.Json.Nodes;
using Archiver.Platforms;
using Archiver.Platforms.Mastodon;
using Archiver.Tests.Platforms.Common;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>
/// The Mastodon page parser itself gets mutated bytes and structurally mutated JSON (values swapped for other
/// types, fields dropped, as forks do) of every cassette body, and random bytes: it must not throw, and an answer
/// it cannot read must come back with a problem saying why.
/// </summary>
public sealed class MastodonHostileInputTests
{
    private static readonly JsonNode?[] Replacements = [null, JsonValue.Create(0), JsonValue.Create(-1.5e300), JsonValue.Create("x"), JsonValue.Create(true), new JsonArray(), new JsonObject()];

    [Fact]
    public void Survives_over_a_thousand_mutated_and_random_answers()
    {
        var mutator = new Mutator(4242);
        var random = new Random(4242);
        var cases = new List<(string File, byte[] Body)>();
        foreach (var row in MastodonPages.Index.Values.OrderBy(r => r.File, StringComparer.Ordinal))
        {
            var body = Fixtures.Bytes("mastodon/mastodon_py/" + row.File);
            cases.AddRange(mutator.Variants(body, 8).Select(b => (row.File, b)));
            for (var i = 0; i < 6; i++) cases.Add((row.File, Structural(body, random)));
        }
        for (var i = 0; i < 60; i++) cases.Add(("test_public_tl__02_GET_api_v1_timelines_public.json", mutator.Random(2048)));
        Assert.True(cases.Count >= 1000, $"only {cases.Count} variants");

        foreach (var (file, body) in cases)
        {
            var page = MastodonPages.Page(file) with { Body = body, Status = 200 };
            var result = MastodonPageParser.Parse(page, MastodonNetwork.Mastodon);
            var understood = result.Posts.Count > 0 || result.Authors.Count > 0 || result.Gone.Count > 0 || result.Next.Count > 0;
            var empty = body.Length > 0 && (IsEmptyAnswer(body) || MastodonApi.PurposeOf(page.Url) is "poll" or "media" or "instance" or "relationship" or "status-source" or "translation" or "search" or "accounts" or "timeline" or MastodonApi.Context);
            Assert.True(understood || empty || result.Problems.Count > 0, $"{file}: an unreadable answer came back without a problem");
            Assert.All(result.Posts, p => Assert.False(string.IsNullOrEmpty(p.NativeId)));
        }
    }

    private static bool IsEmptyAnswer(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonArray { Count: 0 } or JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Valid JSON with a few values replaced by other types or removed.</summary>
    private static byte[] Structural(byte[] body, Random random)
    {
        var root = JsonNode.Parse(body);
        if (root is null) return body;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        for (var n = 0; n < 1 + random.Next(6) && nodes.Count > 1; n++)
        {
            var target = nodes[random.Next(1, nodes.Count)];
            switch (target.Parent)
            {
                case JsonObject parent:
                    var name = target.GetPropertyName();
                    if (random.Next(3) == 0) parent.Remove(name);
                    else parent[name] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    break;
                case JsonArray array:
                    array[target.GetElementIndex()] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    break;
            }
            nodes.Clear();
            Collect(root, nodes);
        }
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject obj) foreach (var pair in obj) { if (pair.Value is not null) Collect(pair.Value, nodes); }
        if (node is JsonArray array) foreach (var item in array) { if (item is not null) Collect(item, nodes); }
    }
}
