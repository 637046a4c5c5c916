using AngleSharp.Html.Parser;
using Archiver.Model;
using Archiver.Platforms.Telegram;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>The any2feed message fragments and media sub-fragments, and the 2018 embed-widget pages of Telegtools.</summary>
public sealed class Any2FeedAndEmbedTests
{
    public sealed record Expected(string File, string NativeId, DateTime CreatedAt, string Kind, string Type, long? Views, string? Signature,
        string? ForwardedFrom, string? ForwardedUrl, string[] MediaKinds, string TextStart)
    {
        public override string ToString() => File;
    }

    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    public static readonly TheoryData<Expected> Messages =
    [
        new Expected("any2feed/message_link_preview.html", "oper_goblin/22360", Utc(2023, 2, 27, 7, 33, 14), "post", "text", 226200, null, null, null, ["link_preview"], "https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/"),
        new Expected("any2feed/message_link_preview_text_only.html", "oper_goblin/22368", Utc(2023, 2, 27, 15, 8, 5), "post", "text", 246800, null, null, null, ["link_preview"], "http://publication.pravo.gov.ru/Document/View/0001202302270011?index=7&rangeSize=1"),
        new Expected("any2feed/message_link_preview_video.html", "fighter_bomber/11226", Utc(2023, 3, 1, 7, 37, 2), "post", "text", 69400, null, null, null, ["link_preview", "video"], "Жениться вам, барин, пора! 😁\n\nhttps://t.me/shalnyak/5410"),
        new Expected("any2feed/message_media_file.html", "oper_goblin/16936", Utc(2022, 8, 3, 19, 31, 10), "forward", "document", 171900, null, "Кремлёвская прачка", "https://t.me/kremlinprachka/20294", ["document"], "Центр изучения новых коммуникаций подготовил исследование:"),
        new Expected("any2feed/message_media_forwarded_from.html", "oper_goblin/22358", Utc(2023, 2, 27, 7, 20, 50), "forward", "photo", 214400, null, "Пул N3", "https://t.me/dimsmirnov175/44604", ["photo"], "Британская разведка выяснила"),
        new Expected("any2feed/message_media_photo_and_video.html", "anna_news/46908", Utc(2023, 2, 28, 6, 48, 36), "post", "multimedia", 59500, null, null, null, ["video", "thumbnail", "photo", "photo"], "Ночью над Белгородом сбили 3 беспилотника\n\nОни упали на улицы города."),
        new Expected("any2feed/message_media_round_video.html", "bolshiepushki/3495", Utc(2023, 3, 1, 9, 35, 31), "post", "round_video", 54200, null, null, null, ["round_video", "thumbnail"], ""),
        new Expected("any2feed/message_poll.html", "it_begin/488", Utc(2023, 2, 27, 16, 21, 2), "post", "poll", 1100, null, null, null, [], ""),
        new Expected("any2feed/message_sticker.html", "channel/5", Utc(2023, 3, 1, 8, 1, 50), "post", "sticker", 1, "🅰️User", null, null, ["sticker"], ""),
        new Expected("any2feed/message_text.html", "topwar_official/70991", Utc(2023, 2, 28, 8, 48, 1), "post", "text", 33400, null, null, null, [], "Неопознанный летающий объект замечен в 160 – 200 км от Петербурга\n\n"),
        new Expected("any2feed/message_voice.html", "oper_goblin/939", Utc(2018, 4, 24, 15, 28, 46), "forward", "voice", 746, null, "Спортивный Екб", null, ["voice"], "Обсудили:\n\n- Сталина не забыть\n- Плохие фильмы"),
        new Expected("any2feed/message_with_from_author.html", "channel/4", Utc(2023, 2, 28, 16, 38, 34), "post", "text", 1, "🅰️rkadiy Ivanov", null, null, [], "test"),
        new Expected("telegtools_embed/DirectVideoPost.html", "K1inUSA/5345", Utc(2018, 3, 14, 5, 49, 10), "post", "video", 6000, "کیوان ابراهیمی", null, null, ["video", "thumbnail"], "📽 خلاصه"),
        new Expected("telegtools_embed/LinkedVideoPost.html", "K1inUSA/5309", Utc(2018, 2, 18, 15, 46, 25), "post", "text", 11400, "کیوان ابراهیمی", null, null, ["link_preview", "video"], "ربات\u200cهای خود مختار"),
        new Expected("telegtools_embed/PhotoWithText.html", "K1inUSA/5346", Utc(2018, 3, 14, 9, 17, 19), "forward", "photo", 11500, "کیوان ابراهیمی", "Rouhani Thesis📚🔎", "https://t.me/RouhaniThesis/500", ["photo"], "رسوایی تحصیلی روحانی"),
        new Expected("telegtools_embed/TextPost.html", "K1inUSA/5340", Utc(2018, 3, 13, 5, 20, 28), "post", "text", 10300, "کیوان ابراهیمی", null, null, [], "مدیریت زمستانی به روش انگلیسی\n\n#یادداشت_مهمان"),
        new Expected("telegtools_embed/TextReplyPost.html", "K1inUSA/5341", Utc(2018, 3, 13, 6, 3, 16), "reply", "text", 9700, "کیوان ابراهیمی", null, null, ["link_preview"], "مدیریت زمستانی به روش انگلیسی\n\n#یادداشت_مهمان"),
        new Expected("telegtools_embed/TextWithPhotoPost.html", "K1inUSA/5343", Utc(2018, 3, 13, 12, 55, 55), "post", "text", 11000, "کیوان ابراهیمی", null, null, ["link_preview"], "رئیس\u200cجمهور احمدی\u200cنژاد"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Parses_each_message_fragment_and_embed_page(Expected expected)
    {
        var result = TelegramPages.Parse(expected.File, "https://t.me/s/" + expected.NativeId.Split('/')[0]);
        Assert.Empty(result.Problems);
        var post = Assert.Single(result.Posts);
        Assert.Equal(expected.NativeId, post.NativeId);
        Assert.Equal(expected.CreatedAt, post.CreatedAt);
        Assert.Equal(expected.Kind, post.Kind);
        Assert.Equal(expected.Type, post.Extra["type"]);
        Assert.Equal(expected.Views, post.Views);
        Assert.Equal(expected.Signature, post.Extra.GetValueOrDefault("signature"));
        Assert.Equal(expected.Signature ?? post.AuthorName, post.AuthorName);
        Assert.Equal(expected.ForwardedFrom, post.ForwardedFrom);
        Assert.Equal(expected.ForwardedUrl, post.ForwardedUrl);
        Assert.Equal(expected.MediaKinds, post.Media.Select(m => m.Kind));
        Assert.StartsWith(expected.TextStart, post.Text);
    }

    [Fact]
    public void Reads_mentions_and_hashtags_linked_in_the_text()
    {
        var post = Assert.Single(TelegramPages.Parse("any2feed/message_media_photo_and_video.html", "https://t.me/s/anna_news").Posts);
        Assert.Equal(["Белгород", "Беспилотники"], post.Hashtags);
        Assert.Equal(["anna_news"], post.Mentions);
        Assert.Empty(post.Links);
        Assert.Equal("46908,46909,46910", post.Extra["album_ids"]);
        var voice = Assert.Single(TelegramPages.Parse("any2feed/message_voice.html", "https://t.me/s/oper_goblin").Posts);
        Assert.Equal(["kakberadio", "kakberadiobot"], voice.Mentions);
        Assert.Equal(1660, voice.Media[0].DurationSeconds);
    }

    [Fact]
    public void Takes_an_embed_pages_id_from_its_date_link_and_its_reply_target()
    {
        var result = TelegramPages.Parse("telegtools_embed/TextReplyPost.html", "https://t.me/K1inUSA/5341?embed=1");
        var post = Assert.Single(result.Posts);
        Assert.Equal("K1inUSA/5340", post.ReplyTo);
        Assert.Equal(["یادداشت_مهمان", "دکتر_بهروز_ثقفی"], post.Hashtags);
        Assert.Equal(["https://t.me/K1inUSAMultiMedia/45", "https://t.me/K1inUSAMultiMedia/46", "https://t.me/K1inUSAMultiMedia/59"], post.Links);
        Assert.Null(result.Listing);
        Assert.Empty(result.Next);
    }

    [Fact]
    public void Reads_an_animated_sticker_file()
    {
        var sticker = Assert.Single(Assert.Single(TelegramPages.Parse("any2feed/message_sticker.html", "https://t.me/s/channel").Posts).Media);
        Assert.Equal(new MediaRef { Kind = "sticker", Url = "https://cdn4.telegram-cdn.org/file/sticker.tgs?token=H..G", Mime = "application/x-tgsticker" }, sticker);
    }

    public static readonly TheoryData<string, string[], string?> MediaFragments = new()
    {
        { "media_photo.html", ["photo"], null },
        { "media_video.html", ["video", "thumbnail"], null },
        { "media_video_gif.html", ["gif", "thumbnail"], null },
        { "media_video_too_big.html", ["video", "thumbnail"], "Media is too big" },
        { "media_cicrle_video.html", ["round_video", "thumbnail"], null },
        { "link_preview.html", ["link_preview"], "Современная журналистика превратилась в комедию и тщетную охоту за лайками" },
        { "link_preview_video.html", ["link_preview", "video"], "Дядь @fighter_bomber глянь!!!\nУ меня такааая разработка🔥\nДля чего пока не знаю, но жути наводит пздц как🤓" },
    };

    [Theory]
    [MemberData(nameof(MediaFragments))]
    public void Reads_media_sub_fragments(string file, string[] kinds, string? firstDescription)
    {
        var document = new HtmlParser().ParseDocument(Fixtures.Text("telegram/any2feed/" + file));
        var media = TelegramMedia.Extract(document.Body!, new Uri("https://t.me/s/x"));
        Assert.Equal(kinds, media.Select(m => m.Kind));
        if (firstDescription is null) Assert.Null(media[0].Description);
        else Assert.StartsWith(firstDescription, media[0].Description);
        Assert.All(media.Where(m => m.Description != "Media is too big" && m.Kind != "link_preview"), m => Assert.StartsWith("https://cdn4.telegram-cdn.org/file/", m.Url));
    }

    [Fact]
    public void Reads_the_poll_sub_fragment()
    {
        var document = new HtmlParser().ParseDocument(Fixtures.Text("telegram/any2feed/poll.html"));
        Assert.Equal("""{"question":"Как лучше?","type":"Anonymous Poll","quiz":false,"multiple":true,"options":[{"text":"Несколько постов в день","percent":16},{"text":"Один пост в несколько дней","percent":83},{"text":"Свой вариант в комментарии","percent":3}]}""",
            TelegramMedia.PollJson(document.Body!));
    }
}
