using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Parler;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Parler;

/// <summary>
/// Our Parler parser against the independent parser's answers (parler_parser's sample_output.json), field by field.
/// Deliberate differences are asserted as such, each with the reason, in the helpers below.
/// </summary>
public sealed class ParlerSampleOutputTests
{
    private static readonly Lazy<List<JsonElement>> Samples = new(() =>
        JsonDocument.Parse(Fixtures.Text("forums/parler_html/sample_output.json")).RootElement.EnumerateArray().ToList());

    public static TheoryData<string> SampleIds() => new(Samples.Value.Select(s => s.GetProperty("parler_post_id").GetString()!));

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Matches_the_reference_parser_field_by_field(string sampleId)
    {
        var sample = Samples.Value.Single(s => s.GetProperty("parler_post_id").GetString() == sampleId);
        var result = Parse(sampleId, sample);

        Assert.Empty(result.Problems);
        // Deliberate difference 1: the reference names a post after the dump's file; we use Parler's own id
        // (the page's og:url /post/ID), which is the file name's suffix, and link the post at parler.com.
        var ourId = sampleId[(sampleId.LastIndexOf('_') + 1)..];
        var main = result.Posts.Single(p => p.NativeId == ourId);
        Assert.Equal($"https://parler.com/post/{ourId}", main.Url);
        Assert.Equal(sample.GetProperty("post_type_id").GetInt32().ToString(CultureInfo.InvariantCulture), main.Extra["post_type_id"]);
        Assert.Equal(sample.GetProperty("post_type").GetString(), main.Extra["post_type"]);
        Assert.Equal(ExpectedKind(sample.GetProperty("post_type_id").GetInt32()), main.Kind);
        AssertSame(sample, main, result);

        if (sample.GetProperty("echoed_post") is { ValueKind: JsonValueKind.Object } echoed)
        {
            var post = result.Posts.Single(p => p.NativeId == echoed.GetProperty("post_hash").GetString());
            AssertSame(echoed, post, result);
            Assert.Equal(post.NativeId, main.Kind == PostKinds.Reblog ? main.Extra["reblog_of"] : main.Extra["quote_id"]);
            if (main.Kind == PostKinds.Reblog) Assert.Equal(post.AuthorHandle, main.ForwardedFrom);
        }
        if (sample.GetProperty("root_echoed_post") is { ValueKind: JsonValueKind.Object } root)
        {
            var post = result.Posts.Single(p => p.NativeId == root.GetProperty("post_hash").GetString());
            AssertSame(root, post, result);
        }
        var expectedPosts = 1 + (sample.GetProperty("echoed_post").ValueKind == JsonValueKind.Object ? 1 : 0) + (sample.GetProperty("root_echoed_post").ValueKind == JsonValueKind.Object ? 1 : 0);
        Assert.Equal(expectedPosts, result.Posts.Count);
    }

    private static string ExpectedKind(int typeId) => typeId switch { 1 => PostKinds.Post, 2 or 4 => PostKinds.Reblog, _ => "quote" };

    private static void AssertSame(JsonElement expected, Post post, ParseResult result)
    {
        Assert.Equal(expected.GetProperty("post_hash").GetString(), post.Extra["post_hash"]);
        Assert.Equal(DateTime.ParseExact(expected.GetProperty("estimated_created_at").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), post.CreatedAt);
        Assert.Equal(expected.GetProperty("timestamp").GetString(), post.Extra["timestamp"]);
        // Deliberate difference 2: text is what a reader sees: <br> stays a line break (the reference joins text
        // nodes with spaces) and runs of spaces collapse. With all whitespace folded the two are identical.
        var text = expected.GetProperty("text").GetString() ?? "";
        Assert.Equal(Regex.Replace(text, @"\s+", " ").Trim(), Regex.Replace(post.Text, @"\s+", " "));

        var user = expected.GetProperty("user");
        Assert.Equal(user.GetProperty("username").GetString(), "@" + post.AuthorHandle);
        Assert.Equal(user.GetProperty("name").GetString()!.Trim(), post.AuthorName);
        var author = result.Authors.Single(a => a.Handle == post.AuthorHandle);
        // Deliberate difference 4: for an echo without comment the reference takes the first author picture on the
        // page (the root's, else the echoed author's); the echoer's own picture is the one in the "Echoed By" line.
        if (post.Kind == PostKinds.Reblog)
        {
            Assert.Equal(result.Authors.Single(a => a.Handle == result.Posts[0].AuthorHandle).AvatarUrl, user.GetProperty("photo").GetString());
            Assert.StartsWith("https://images.parler.com/", author.AvatarUrl);
        }
        else
            Assert.Equal(user.GetProperty("photo").GetString(), author.AvatarUrl);
        Assert.Equal(user.GetProperty("badge").GetString(), post.Extra.GetValueOrDefault("badge"));
        Assert.Equal(user.GetProperty("user_id").GetString(), Md5("@" + post.AuthorHandle));

        Assert.Equal(Long(expected, "view_count"), post.Views);
        Assert.Equal(Long(expected, "comment_count"), post.Replies);
        Assert.Equal(Long(expected, "echo_count"), post.Shares);
        Assert.Equal(Long(expected, "upvote_count"), post.Likes);
        Assert.Equal(expected.GetProperty("hashtags").EnumerateArray().Select(h => h.GetProperty("text").GetString()!), post.Hashtags);
        // Deliberate difference 3: a mention is what Parler marked up as one (<span class="at">@Name Hidden</span>,
        // its placeholder for a hidden account), not the first word after '@' ("@Name").
        var mentions = expected.GetProperty("mentions").EnumerateArray().Select(m => m.GetProperty("username").GetString()!.TrimStart('@')).ToList();
        Assert.Equal(mentions.Select(m => m == "Name" ? "Name Hidden" : m), post.Mentions);

        var media = expected.GetProperty("media").EnumerateArray().ToList();
        var ours = post.Extra.TryGetValue("media", out var json) ? JsonDocument.Parse(json).RootElement.EnumerateArray().ToList() : [];
        Assert.Equal(media.Count, ours.Count);
        Assert.Equal(media.Count, post.Media.Count);
        for (var i = 0; i < media.Count; i++)
            foreach (var field in new[] { "medium_type", "title", "excerpt", "image_src", "link_src", "sensitive" })
                Assert.Equal(media[i].GetProperty(field).ToString(), ours[i].GetProperty(field).ToString());
    }

    private static long? Long(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;

    private static string Md5(string s) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    /// <summary>The reference estimated creation times from the dump's file times; we give the capture time that implies.</summary>
    private static ParseResult Parse(string sampleId, JsonElement sample)
    {
        var estimated = DateTime.ParseExact(sample.GetProperty("estimated_created_at").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var captured = estimated + RelativeAge.Parse(sample.GetProperty("timestamp").GetString())!.Value;
        var bytes = Fixtures.Bytes($"forums/parler_html/posts/{sampleId}.html");
        return new ParlerPlatform().Parse(TestPages.Page($"https://parler.com/post/{sampleId[(sampleId.LastIndexOf('_') + 1)..]}", bytes, "text/html", fetchedAt: captured));
    }
}
