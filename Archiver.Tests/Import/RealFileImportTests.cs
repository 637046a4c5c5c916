using System.Text;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

/// <summary>
/// Imports of real files that other tools wrote (issue 14): node-warc's WARCs, twarc2's output as twarc-csv
/// reads it, snscrape's TelegramPost lines. Files and their provenance: Archiver.Tests/Fixtures/SOURCES.md.
/// </summary>
public sealed class RealFileImportTests : IDisposable
{
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<Support.Cli.Result> Import(string data, params string[] args) =>
        Support.Cli.RunAsync(["import", "--data", data, "--no-index", .. args]);

    [Fact]
    public async Task A_node_warc_file_whose_content_length_counts_the_closing_crlf_imports_every_record_with_a_warning()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("warc/node-warc/books.toscrape.warc"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("WARC/WACZ/ARC: 60 records, 30 HTTP responses", result.Out);
        Assert.DoesNotContain("problem(s)", result.Out);
        Assert.Contains("59 record(s), the first at offset 0: Content-Length", result.Out);
        Assert.Contains("node-warc", result.Out);
    }

    [Fact]
    public async Task A_warc_whose_header_lines_end_in_cr_cr_lf_is_read_as_warcio_reads_it()
    {
        // warcio's example.warc with every header line (and the blank line after the headers) ending in CR CR LF,
        // as a CRLF written through a text-mode conversion comes out; blocks and their lengths unchanged.
        var original = Fixtures.Bytes("warc/warcio/example.warc");
        var path = _dir.File("crcrlf.warc");
        File.WriteAllBytes(path, DoubleCrInHeaders(original));
        var expected = Archiver.Capturing.WarcReader.Read(Fixtures.Path("warc/warcio/example.warc")).Select(r => (r.Type, r.RecordId, r.Block.Length)).ToList();

        var records = Archiver.Capturing.WarcReader.Read(path).Select(r => (r.Type, r.RecordId, r.Block.Length)).ToList();
        var result = await Import(_dir.File("archive"), path);

        Assert.Equal(expected, records);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains($"WARC/WACZ/ARC: {expected.Count} records", result.Out);
        Assert.DoesNotContain("problem(s)", result.Out);
        Assert.Contains("CR CR LF", result.Out);
    }

    private static byte[] DoubleCrInHeaders(byte[] warc)
    {
        var output = new List<byte>(warc.Length + 1024);
        var position = 0;
        while (position < warc.Length)
        {
            var start = IndexOf(warc, "WARC/1."u8, position);
            if (start < 0) break;
            output.AddRange(warc[position..start]);
            var headerEnd = IndexOf(warc, "\r\n\r\n"u8, start) + 4;
            var header = Encoding.Latin1.GetString(warc, start, headerEnd - start);
            var length = int.Parse(header.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.Ordinal))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            output.AddRange(Encoding.Latin1.GetBytes(header.Replace("\r\n", "\r\r\n", StringComparison.Ordinal)));
            output.AddRange(warc[headerEnd..(headerEnd + length)]);
            position = headerEnd + length;
        }
        output.AddRange(warc[position..]);
        return [.. output];
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> value, int from)
    {
        var hit = data.AsSpan(from).IndexOf(value);
        return hit < 0 ? -1 : from + hit;
    }

    [Fact]
    public async Task Twarc2_stream_output_imports_its_tweets_and_reports_the_cut_line()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("twarc/twarc-csv/streaming_output_with_error.jsonl"), "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"bad_lines\": 1", result.Out);
        Assert.Contains("\"line\": 8", result.Out);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        var reply = store.GetPost("twitter:twitter.com:1377650459033280516")!.Post;
        Assert.Equal("@AndrewDoak_WWL TBH tons of street dogs in Lubbock. Kinda a problem. Lol", reply.Text);
        Assert.Equal("reply", reply.Kind);
        Assert.True(store.Counters.Posts >= 7, $"{store.Counters.Posts} posts");
    }

    [Fact]
    public async Task A_twarc2_user_lookup_becomes_authors_not_empty_posts()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("twarc/twarc-csv/users.jsonl"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        Assert.Equal(0, store.Counters.Posts);
        // 96 entries, 91 distinct users (the lookup names five twice).
        Assert.Equal(91, store.Counters.Authors);
        var user = store.GetAuthor("twitter:twitter.com:119369819")!.Author;
        Assert.Equal(("DoDirty78", 580L, 518L, 55186L), (user.Handle!, user.Followers!.Value, user.Following!.Value, user.PostsCount!.Value));
        Assert.Equal("12", user.Extra["listed_count"]);
    }

    [Fact]
    public async Task Twarc2_media_edit_history_place_counts_and_entities_are_kept()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("twarc/twarc-csv/media_tweet.jsonl"),
            Fixtures.Local("twarc/twarc-csv/edited.jsonl"), Fixtures.Local("twarc/twarc-csv/geo_tweets.jsonl"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        var video = store.GetPost("twitter:twitter.com:1558553189766631429")!.Post.Media.Single();
        Assert.Equal("video", video.Kind);
        Assert.Equal(71.292, video.DurationSeconds);
        Assert.EndsWith(".mp4?tag=12", video.Url);
        var edited = store.GetPost("twitter:twitter.com:1576994789110992896")!.Post;
        Assert.Equal("1576994746135764992,1576994789110992896", edited.Extra["edit_history_tweet_ids"]);
        Assert.Contains(store.ScanPosts(), p => p.Post.Extra.TryGetValue("place", out var place) && place == "Berlin, Germany");
        var escaped = store.GetPost("twitter:twitter.com:1501963039859363843")!.Post;
        Assert.DoesNotContain("&amp;", escaped.Text);
        Assert.Contains(" & ", escaped.Text);
        Assert.True(escaped.Extra.ContainsKey("quote_count"));
    }

    [Fact]
    public async Task Twarc2_withheld_countries_of_tweets_and_users_are_kept()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("twarc/twarc-csv/withheld.jsonl"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        Assert.Equal("IN", store.GetPost("twitter:twitter.com:1388424788171841537")!.Post.Extra["withheld_countries"]);
        Assert.Equal("RU", store.GetAuthor("twitter:twitter.com:1272921762")!.Author.Extra["withheld_countries"]);
    }

    [Fact]
    public async Task Twarc2_counts_output_is_reported_as_holding_no_tweets()
    {
        var result = await Import(_dir.File("archive"), Fixtures.Local("twarc/twarc-csv/counts.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("twarc2 counts output", result.Out);
        Assert.Contains("1 of 1 line(s) could not be imported", result.Error);
    }

    // A line of snscrape 0.7.0.20230622 output (see Fixtures/SOURCES.md): hashtags are outlinks to the channel's search.
    private const string SnscrapeTelegramLine = """
        {"_type": "snscrape.modules.telegram.TelegramPost", "url": "https://t.me/s/kvartiri_tbilisi2023/86190", "date": "2024-03-19T07:03:06+00:00", "content": "#Сдаётся #сдаю #сдам📌Район: #Сабуртало📐Общая площадь: 180 м².📋Количество комнат | Спальни: 5/3🏗️Этаж: 8/8🛑балкон/лодж: 1/1🏛️Состояние: новый ремонт💵Цена: 950 💵https://t.me/tornikegorange", "outlinks": ["https://t.me/s/kvartiri_tbilisi2023?q=%23Сдаётся", "https://t.me/s/kvartiri_tbilisi2023?q=%23сдаю", "https://t.me/s/kvartiri_tbilisi2023?q=%23сдам", "https://t.me/s/kvartiri_tbilisi2023?q=%23Сабуртало", "https://t.me/tornikegorange"], "linkPreview": null, "outlinksss": "https://t.me/s/kvartiri_tbilisi2023?q=%23Сдаётся https://t.me/s/kvartiri_tbilisi2023?q=%23сдаю https://t.me/s/kvartiri_tbilisi2023?q=%23сдам https://t.me/s/kvartiri_tbilisi2023?q=%23Сабуртало https://t.me/tornikegorange", "_snscrape": "0.7.0.20230622"}
        """;

    [Fact]
    public async Task Snscrape_telegram_posts_keep_their_hashtags()
    {
        var path = _dir.File("snscrape.jsonl");
        File.WriteAllText(path, SnscrapeTelegramLine.Trim() + "\n" + """{"_type": "snscrape.modules.telegram.TelegramPost", "url": "https://t.me/somechannel/812", "date": "2023-02-01T10:00:00+00:00", "content": "hello", "outlinks": [], "hashtags": ["news"], "mentions": ["someone"]}""" + "\n");

        var result = await Import(_dir.File("archive"), path);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        var post = store.GetPost("telegram:t.me:kvartiri_tbilisi2023/86190")!.Post;
        Assert.Equal(["Сдаётся", "сдаю", "сдам", "Сабуртало"], post.Hashtags);
        Assert.Equal(["https://t.me/tornikegorange"], post.Links);
        var later = store.GetPost("telegram:t.me:somechannel/812")!.Post;
        Assert.Equal(["news"], later.Hashtags);
        Assert.Equal(["someone"], later.Mentions);
    }
}
