namespace Archiver.Replica;

/// <summary>
/// Derives Telegram post i of a channel from (seed, channel, i). Message ids have gaps, as deleted posts
/// leave in real channels: ids come in blocks of ten of which nine are used.
/// </summary>
public sealed class TelegramGenerator
{
    public const int PageSize = 20;

    // Per channel: the other channels it may mention or forward from (built once, read by every post).
    private readonly AllBut<string>[] mentionable;
    private readonly AllBut<TelegramChannel>[] sources;

    public TelegramGenerator(ReplicaNetwork network)
    {
        Network = network;
        var withPosts = network.Channels.Where(o => o.Stream.BaseCount > 0).ToList();
        var names = withPosts.Select(o => o.Name).ToList();
        var position = withPosts.Select((o, k) => (o.Index, k)).ToDictionary(p => p.Index, p => p.k);
        sources = network.Channels.Select(c => new AllBut<TelegramChannel>(withPosts, position.GetValueOrDefault(c.Index, -1))).ToArray();
        mentionable = network.Channels.Select(c => new AllBut<string>(names, position.GetValueOrDefault(c.Index, -1))).ToArray();
    }

    public ReplicaNetwork Network { get; }

    private ulong GapKey(TelegramChannel c, long block) => Mix.Of(c.Stream.Key, (ulong)block, 0x6A9);

    private long MissingOffset(TelegramChannel c, long block) =>
        block == 0 ? 1 + (long)(GapKey(c, block) % 9) : (long)(GapKey(c, block) % 10);

    public long IdOf(TelegramChannel c, long index)
    {
        var block = index / 9;
        var k = index % 9;
        var missing = MissingOffset(c, block);
        return block * 10 + (k >= missing ? k + 1 : k) + 1;
    }

    /// <summary>The post index of a message id, or -1 for an id in a gap or out of range.</summary>
    public long IndexOf(TelegramChannel c, long id, ReplicaView version)
    {
        if (id < 1) return -1;
        var block = (id - 1) / 10;
        var offset = (id - 1) % 10;
        var missing = MissingOffset(c, block);
        if (offset == missing) return -1;
        var index = block * 9 + (offset > missing ? offset - 1 : offset);
        return index < c.Stream.Count(version) ? index : -1;
    }

    /// <summary>Up to <paramref name="limit"/> visible posts with id below <paramref name="before"/> (or the newest), oldest first, as t.me/s shows them.</summary>
    public List<long> IndicesBefore(TelegramChannel c, long? before, ReplicaView version, int limit = PageSize)
    {
        var count = c.Stream.Count(version);
        var start = count - 1;
        if (before is { } b)
        {
            // The last index whose id is below b: ids grow with the index, so walk from an estimate.
            start = Math.Clamp((b - 1) * 9 / 10, -1, count - 1);
            while (start + 1 < count && IdOf(c, start + 1) < b) start++;
            while (start >= 0 && IdOf(c, start) >= b) start--;
        }
        var list = new List<long>(limit);
        for (var i = start; i >= 0 && list.Count < limit; i--)
            if (c.Stream.Exists(i, version)) list.Add(i);
        list.Reverse();
        return list;
    }

    /// <summary>Up to <paramref name="limit"/> visible posts with id above <paramref name="after"/>, oldest first.</summary>
    public List<long> IndicesAfter(TelegramChannel c, long after, ReplicaView version, int limit = PageSize)
    {
        var count = c.Stream.Count(version);
        var i = Math.Clamp((after - 1) * 9 / 10, 0, Math.Max(0, count));
        while (i > 0 && IdOf(c, i - 1) > after) i--;
        while (i < count && IdOf(c, i) <= after) i++;
        var list = new List<long>(limit);
        for (; i < count && list.Count < limit; i++)
            if (c.Stream.Exists(i, version)) list.Add(i);
        return list;
    }

    public bool HasVisibleBefore(TelegramChannel c, long index, ReplicaView version)
    {
        for (var i = index - 1; i >= 0; i--)
            if (c.Stream.Exists(i, version)) return true;
        return false;
    }

    public TelegramPost? Post(TelegramChannel c, long index, ReplicaView version)
    {
        if (!c.Stream.Exists(index, version)) return null;
        var rng = new Rng(Mix.Of(c.Stream.Key, (ulong)index, 0x9057));
        var lex = c.Language;
        var edit = c.Stream.Edit(index, version);
        var post = new TelegramPost
        {
            Channel = c,
            Index = index,
            Id = IdOf(c, index),
            Date = c.Stream.TimeSeconds(index),
            Kind = TgKind.Text,
            Text = RichText.Empty,
            Edited = edit != EditState.None,
            Views = Views(c, index, ref rng),
            Signature = c.Signed && rng.Chance(0.6) ? lex.PersonName(ref rng) : null,
        };
        var roll = rng.Int(100);
        if (index == 0 || roll < 2) return Service(post, index, ref rng);

        var sentences = rng.Chance(0.02) ? rng.Between(28, 40) : rng.Between(1, 4);
        var text = TextComposer.Compose(ref rng, lex, sentences, mentionable[c.Index]);
        if (edit.ChangesText()) text = TextComposer.Edited(text, lex);
        post = post with { Text = text };
        var key = Mix.Of(c.Stream.Key, (ulong)index, 0x3ED1A);
        var caption = rng.Chance(0.7);
        return roll switch
        {
            < 14 => post with { Kind = TgKind.Photo, Media = [new("photo", MediaFile.Photo(key, rng.Chance(0.05)))], Text = caption ? text : RichText.Empty },
            < 18 => post with { Kind = TgKind.Album, Media = Album(key, rng.Between(2, 4)), Text = caption ? text : RichText.Empty },
            < 24 => post with { Kind = TgKind.Video, Media = [new("video", MediaFile.Video(key), MediaFile.Photo(key ^ 1, false), rng.Between(3, 300))] },
            < 27 => post with { Kind = TgKind.RoundVideo, Media = [new("round_video", MediaFile.Video(key), MediaFile.Photo(key ^ 1, false), rng.Between(2, 59))], Text = RichText.Empty },
            < 31 => post with { Kind = TgKind.Voice, Media = [new("voice", MediaFile.Voice(key), null, rng.Between(1, 180))], Text = RichText.Empty },
            < 35 => post with { Kind = TgKind.Document, Media = [new("document", MediaFile.Document(key), null, 0, DocumentName(ref rng, lex), $"{rng.Between(1, 99) / 10.0:0.0} MB".Replace(',', '.'))] },
            < 39 => post with { Kind = TgKind.Poll, Poll = MakePoll(ref rng, lex), Text = RichText.Empty },
            < 49 => Forwarded(post, ref rng),
            < 59 => Reply(post, index, version, ref rng),
            < 67 => Preview(post, key, ref rng, lex),
            _ => post,
        };
    }

    private static long Views(TelegramChannel c, long index, ref Rng rng)
    {
        var share = 0.05 + rng.Unit() * 1.2;
        var recency = 1.0 - 0.5 * index / Math.Max(1.0, c.Stream.BaseCount);
        return Math.Max(1, (long)(c.Subscribers * share * (1.1 - recency)));
    }

    private TelegramPost Service(TelegramPost post, long index, ref Rng rng)
    {
        var c = post.Channel;
        var title = $"<span dir=\"auto\">{Html.Text(c.Title)}</span>";
        var (html, text) = index == 0
            ? ("Channel created", "Channel created")
            : rng.Int(3) switch
            {
                0 => ("Channel photo updated", "Channel photo updated"),
                1 => ($"Channel name was changed to «<span class=\"tgme_widget_service_strong_text\" dir=\"auto\">{Html.Text(c.Title)}</span>»",
                      $"Channel name was changed to «{c.Title}»"),
                _ => PinnedText(c, title, ref rng),
            };
        return post with { Kind = TgKind.Service, ServiceHtml = html, ServiceText = text, Signature = null, Edited = false, Views = 0 };
    }

    private static (string, string) PinnedText(TelegramChannel c, string title, ref Rng rng)
    {
        var pinned = c.Language.Sentence(ref rng);
        // The channel link is written relative here; the renderer puts the origin in front.
        return ($"<a class=\"tgme_widget_message_author_name\" href=\"{{origin}}/{c.Name}\">{title}</a> pinned «<span class=\"tgme_widget_service_strong_text\" dir=\"auto\">{Html.Text(pinned)}</span>»",
            $"{c.Title} pinned «{pinned}»");
    }

    private static List<TgMedia> Album(ulong key, int n)
    {
        var list = new List<TgMedia>(n);
        for (var k = 0; k < n; k++) list.Add(new("photo", MediaFile.Photo(Mix.Of(key, (ulong)k), false)));
        return list;
    }

    private static string DocumentName(ref Rng rng, Lexicon lex) =>
        $"{rng.Pick(lex.Tags)}_{rng.Between(2020, 2025)}-{rng.Between(1, 12):00}.pdf";

    private static TgPoll MakePoll(ref Rng rng, Lexicon lex)
    {
        var n = rng.Between(2, 4);
        var options = new List<(string, int)>(n);
        var left = 100;
        for (var k = 0; k < n; k++)
        {
            var share = k == n - 1 ? left : rng.Int(left + 1);
            left -= share;
            options.Add((lex.PollOptions[k], share));
        }
        return new TgPoll(rng.Pick(lex.PollQuestions), rng.Chance(0.2) ? "Anonymous Quiz" : "Anonymous Poll", options, rng.Between(0, 5000));
    }

    private TelegramPost Forwarded(TelegramPost post, ref Rng rng)
    {
        var candidates = sources[post.Channel.Index];
        if (candidates.Count == 0) return post;
        var source = rng.Pick(candidates);
        return post with { Forward = new TgForward(source, IdOf(source, rng.Int((int)Math.Min(int.MaxValue, source.Stream.BaseCount)))), Signature = null };
    }

    private TelegramPost Reply(TelegramPost post, long index, ReplicaView version, ref Rng rng)
    {
        if (index < 2) return post;
        var target = index - 1 - rng.Int((int)Math.Min(5, index - 1));
        // The replied post as it stood when this one was written: a later edit or deletion of it changes nothing here.
        var replied = Post(post.Channel, target, post.Channel.Stream.AsWritten(index, version));
        if (replied is null) return post;
        var snippet = replied.Kind == TgKind.Service ? replied.ServiceText! : replied.Text.IsEmpty ? replied.Media.Count > 0 ? Capitalised(replied.Media[0].Kind) : "Poll" : replied.Text.Snippet(60);
        return post with { ReplyToId = replied.Id, ReplySnippet = snippet };
    }

    private static string Capitalised(string kind) => kind switch
    {
        "photo" => "Photo",
        "video" => "Video",
        "round_video" => "Video message",
        "voice" => "Voice message",
        "document" => "File",
        _ => kind,
    };

    private static TelegramPost Preview(TelegramPost post, ulong key, ref Rng rng, Lexicon lex)
    {
        var url = post.Text.Links.FirstOrDefault();
        var text = post.Text;
        if (url is null)
        {
            url = TextComposer.LinkUrl(ref rng, lex);
            text = text.Append(new Segment(SegmentKind.Break, ""), new Segment(SegmentKind.Link, url));
        }
        var site = new Uri(url).Host;
        return post with
        {
            Kind = TgKind.LinkPreview,
            Text = text,
            Preview = new TgPreview(url, site, lex.Phrase(ref rng), lex.Sentence(ref rng),
                rng.Chance(0.6) ? MediaFile.Photo(key, false) : null),
        };
    }
}
