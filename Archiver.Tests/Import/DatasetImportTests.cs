using System.IO.Compression;
using System.Text;
using Archiver.Import;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

public sealed class DatasetImportTests : IDisposable
{
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    // Shaped after the published field list of the 2021 Parler dataset (Aliapoulios et al.).
    private const string ParlerLines = """
        {"id":"a1b2c3","body":"Stop the count! #election2020 see https://example.org/x","bodywithurls":"Stop the count! #election2020","createdAt":"20210106183002","createdAtformatted":"2021-01-06 18:30:02 UTC","creator":"u-77","username":"patriot_joe","upvotes":120,"impressions":5400,"comments":14,"reposts":33,"hashtags":["election2020"],"links":["https://example.org/x"],"depth":0,"followers":1500,"following":300,"verified":false,"datatype":"posts"}
        {"id":"d4e5f6","body":"agreed","createdAt":"20210106190000","creator":"u-78","username":"maggie","upvotes":2,"parent":"a1b2c3","depth":1,"datatype":"comments"}
        {"id":"broken", "body": "no date", "createdAt":"yesterday","creator":"u-1","username":"x"}
        this is not json
        """;

    private string Write(string name, string content)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, content.Replace("\r\n", "\n"));
        return path;
    }

    [Fact]
    public async Task Parler_dataset_lines_become_posts_and_bad_lines_are_reported_with_line_numbers()
    {
        var input = Write("parler.ndjson", ParlerLines);

        var result = await Support.Cli.RunAsync("import", input, "--data", _dir.File("archive"), "--json");

        // Two lines failed: the import says so and exits 1, though the good lines are stored.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("2 of 4 line(s) could not be imported", result.Error);
        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        var post = store.GetPost("parler:parler.com:a1b2c3")!.Post;
        Assert.Equal(new DateTime(2021, 1, 6, 18, 30, 2, DateTimeKind.Utc), post.CreatedAt);
        Assert.Equal("patriot_joe", post.AuthorHandle);
        Assert.Equal("u-77", post.AuthorId);
        Assert.Equal(120, post.Likes);
        Assert.Equal(5400, post.Views);
        Assert.Equal(14, post.Replies);
        Assert.Equal(33, post.Shares);
        Assert.Equal(["election2020"], post.Hashtags);
        Assert.Equal(["https://example.org/x"], post.Links);
        var reply = store.GetPost("parler:parler.com:d4e5f6")!.Post;
        Assert.Equal("a1b2c3", reply.ReplyTo);
        Assert.Equal("reply", reply.Kind);
        Assert.Equal(1500, store.GetAuthor("parler:parler.com:u-77")!.Author.Followers);
        Assert.Contains("\"bad_lines\": 2", result.Out);
        Assert.Contains("\"line\": 3", result.Out);
        Assert.Contains("\"line\": 4", result.Out);
        Assert.Equal(2, store.Counters.Posts);
    }

    [Fact]
    public async Task An_import_in_which_every_line_fails_exits_1_and_says_how_many()
    {
        var input = Write("nothing.jsonl", "not json at all\n{\"some\":\"object\"}\n[1,2,3]\n");

        var result = await Support.Cli.RunAsync("import", input, "--data", _dir.File("archive"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("3 of 3 line(s) could not be imported", result.Error);
    }

    [Fact]
    public async Task Dataset_posts_and_authors_say_which_file_they_were_imported_from()
    {
        var input = Write("parler.ndjson", ParlerLines);

        await Support.Cli.RunAsync("import", input, "--data", _dir.File("archive"), "--no-index");
        var show = await Support.Cli.RunAsync("--data", _dir.File("archive"), "show", "parler:parler.com:a1b2c3");

        using var store = ArchiveStore.Open(_dir.File("archive"), readOnly: true);
        var stored = store.GetPost("parler:parler.com:a1b2c3")!;
        Assert.Equal(new Uri(input).AbsoluteUri, stored.Capture?.Url);
        Assert.True(stored.Capture!.FetchedAt > DateTime.UtcNow.AddMinutes(-10));
        Assert.Null(stored.Capture.WarcFile);
        Assert.Equal(new Uri(input).AbsoluteUri, store.GetAuthor("parler:parler.com:u-77")!.Capture?.Url);
        Assert.Contains("parler.ndjson", show.Out);
    }

    [Fact]
    public async Task Importing_the_same_file_twice_adds_nothing()
    {
        var input = Write("parler.ndjson", ParlerLines);
        await Support.Cli.RunAsync("import", input, "--data", _dir.Path);

        var skipped = await Support.Cli.RunAsync("import", input, "--data", _dir.Path);
        var again = await Support.Cli.RunAsync("import", input, "--data", _dir.Path, "--again", "--json");

        Assert.Contains("already imported", skipped.Out);
        Assert.Contains("\"inserted\": 0", again.Out);
        Assert.Contains("\"unchanged\": 2", again.Out);
        using var store = ArchiveStore.Open(_dir.Path, readOnly: true);
        Assert.Equal(2, store.Counters.Posts);
    }

    [Fact]
    public async Task Gzip_and_zip_inputs_are_read_directly()
    {
        var gz = _dir.File("parler.ndjson.gz");
        await using (var file = File.Create(gz))
        await using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(Encoding.UTF8.GetBytes(ParlerLines));
        var zipPath = _dir.File("tweets.zip");
        using (var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            await using var entry = archive.CreateEntry("tweets.jsonl").Open();
            entry.Write(Encoding.UTF8.GetBytes(TwarcLine + "\n"));
        }

        var result = await Support.Cli.RunAsync("import", gz, zipPath, "--data", _dir.File("a"));

        // The Parler lines hold two bad lines: reported, exit 1; everything else is read.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("2 of 5 line(s) could not be imported", result.Error);
        using var store = ArchiveStore.Open(_dir.File("a"), readOnly: true);
        Assert.Equal(4, store.Counters.Posts);
    }

    [Fact]
    public async Task Zstd_inputs_are_read_directly()
    {
        var zst = _dir.File("parler.ndjson.zst");
        await using (var file = File.Create(zst))
        await using (var zstd = new ZstdSharp.CompressionStream(file))
            zstd.Write(Encoding.UTF8.GetBytes(ParlerLines.Replace("\r\n", "\n")));
        Assert.NotEqual(Encoding.UTF8.GetBytes(ParlerLines)[..16], (await File.ReadAllBytesAsync(zst, TestContext.Current.CancellationToken))[..16]);
        var corrupt = _dir.File("corrupt.ndjson.zst");
        await File.WriteAllTextAsync(corrupt, ParlerLines, TestContext.Current.CancellationToken);

        var result = await Support.Cli.RunAsync("import", zst, "--data", _dir.File("a"), "--json");
        var broken = await Support.Cli.RunAsync("import", corrupt, "--data", _dir.File("b"));

        Assert.True(result.ExitCode == 1, result.Error);
        Assert.Contains("\"bad_lines\": 2", result.Out);
        using (var store = ArchiveStore.Open(_dir.File("a"), readOnly: true))
        {
            Assert.Equal(2, store.Counters.Posts);
            var post = store.GetPost("parler:parler.com:a1b2c3")!.Post;
            Assert.Equal("patriot_joe", post.AuthorHandle);
            Assert.Equal(120, post.Likes);
            Assert.Equal(["election2020"], post.Hashtags);
            Assert.Equal("a1b2c3", store.GetPost("parler:parler.com:d4e5f6")!.Post.ReplyTo);
        }
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains(corrupt, broken.Error);
        Assert.DoesNotContain("internal error", broken.Error);
        Assert.DoesNotContain("   at ", broken.Error);
    }

    // A twarc2 line: one Twitter API v2 page with includes.
    private const string TwarcLine = """{"data":[{"id":"1346918216359391233","text":"@someone we are here #capitol","author_id":"42","created_at":"2021-01-06T20:01:02.000Z","lang":"en","conversation_id":"1346918216359391200","referenced_tweets":[{"type":"replied_to","id":"1346918216359391200"}],"entities":{"hashtags":[{"start":22,"end":30,"tag":"capitol"}],"mentions":[{"start":0,"end":8,"username":"someone","id":"7"}]},"public_metrics":{"retweet_count":5,"reply_count":1,"like_count":9,"quote_count":0}},{"id":"1346918216359391300","text":"second","author_id":"42","created_at":"2021-01-06T20:05:00.000Z"}],"includes":{"users":[{"id":"42","username":"witness","name":"A Witness","public_metrics":{"followers_count":10}}]},"__twarc":{"url":"https://api.twitter.com/2/tweets/search/all","version":"2.10.4"}}""";

    [Fact]
    public async Task Twarc_pages_and_snscrape_telegram_items_map_onto_the_same_identities_as_crawled_posts()
    {
        var input = Write("mixed.jsonl", TwarcLine + "\n");
        var sns = Write("sns.jsonl", """{"_type": "snscrape.modules.telegram.TelegramPost", "url": "https://t.me/somechannel/812", "date": "2023-02-01T10:00:00+00:00", "content": "hello\nworld", "outlinks": ["https://example.com/"], "views": 1500}""" + "\n");

        Assert.Equal(0, (await Support.Cli.RunAsync("import", input, "--data", _dir.Path)).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync("import", sns, "--data", _dir.Path)).ExitCode);

        using var store = ArchiveStore.Open(_dir.Path, readOnly: true);
        var tweet = store.GetPost("twitter:twitter.com:1346918216359391233")!.Post;
        Assert.Equal("witness", tweet.AuthorHandle);
        Assert.Equal("1346918216359391200", tweet.ReplyTo);
        Assert.Equal(["capitol"], tweet.Hashtags);
        Assert.Equal(["someone"], tweet.Mentions);
        Assert.Equal(9, tweet.Likes);
        var telegram = store.GetPost("telegram:t.me:somechannel/812")!.Post;
        Assert.Equal("hello\nworld", telegram.Text);
        Assert.Equal(1500, telegram.Views);
        Assert.Equal("somechannel", telegram.Channel);
    }

    [Fact]
    public async Task An_interrupted_import_continues_after_the_last_committed_line()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 50).Select(i =>
            $$"""{"id":"p{{i}}","body":"post {{i}}","createdAt":"20210106183002","creator":"u-{{i % 3}}","username":"user{{i % 3}}"}"""));
        var input = Write("big.ndjson", lines);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using (var session = ArchiveSession.Open(_dir.Path, ct: TestContext.Current.CancellationToken))
        {
            var service = new ImportService(session.Writer, TimeProvider.System) { BatchLines = 10 };
            var batches = 0;
            service.Committed += _ =>
            {
                if (++batches == 2) cts.Cancel();
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.ImportAsync([input], ImportFormat.Auto, again: false, cts.Token));
        }

        var result = await Support.Cli.RunAsync("import", input, "--data", _dir.Path, "--json");

        Assert.Contains("\"resumed_from_line\": 20", result.Out);
        Assert.Contains("\"inserted\": 30", result.Out);
        using var reopened = ArchiveStore.Open(_dir.Path, readOnly: true);
        Assert.Equal(50, reopened.Counters.Posts);
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_with_a_clear_error()
    {
        var bomb = _dir.File("bomb.jsonl.gz");
        await using (var file = File.Create(bomb))
        await using (var zip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            var zeros = new byte[1 << 20];
            Array.Fill(zeros, (byte)' ');
            for (var i = 0; i < 64; i++) zip.Write(zeros);
        }

        var result = await Support.Cli.RunAsync("import", bomb, "--data", _dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("decompression bomb", result.Error);
    }

    [Fact]
    public async Task A_missing_input_or_unknown_format_is_bad_usage()
    {
        Assert.Equal(2, (await Support.Cli.RunAsync("import", _dir.File("nope.jsonl"), "--data", _dir.Path)).ExitCode);
        var input = Write("x.jsonl", "{}\n");
        var unknown = await Support.Cli.RunAsync("import", input, "--format", "myspace", "--data", _dir.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("parler", unknown.Error);
    }
}
