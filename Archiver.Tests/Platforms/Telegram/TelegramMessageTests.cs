using Archiver.Model;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>The fields tchan does not assert: text and HTML, previews, polls, the channel header, kinds.</summary>
public sealed class TelegramMessageTests
{
    private static Post Single(string fixture, string url = "https://t.me/s/tchantest")
    {
        var result = TelegramPages.Parse(fixture, url);
        Assert.Empty(result.Problems);
        return Assert.Single(result.Posts);
    }

    [Fact]
    public void Keeps_line_breaks_in_text_and_the_original_html()
    {
        var post = Single("tchan/parse_text_message_multiline.html");
        Assert.Equal("Bigger\ntext\nmessage\nnumber\n34", post.Text);
        Assert.Equal("Bigger<br>text<br>message<br>number<br>34", post.Html);
        Assert.Equal("telegram:t.me:tchantest/62", post.Key);
        Assert.Equal(PostKinds.Post, post.Kind);
        Assert.Equal("tchantest", post.AuthorHandle);
        Assert.Equal("tchan's test channel 👍", post.AuthorName);
    }

    [Fact]
    public void Reads_links_hashtags_and_views_text_of_a_long_message()
    {
        var post = Single("tchan/parse_message_weird_preview.html", "https://t.me/s/CamaradosDeputados");
        Assert.StartsWith("_\n\n✍️ CÂMARA APROVA\n_\n\n\n🔸 Projeto que aumenta penas para crimes sexuais contra crianças\n#Punição_ampliada\n🗳 Opine sobre esta proposta clicando aqui!\n____", post.Text);
        Assert.EndsWith("📬 Convide seus contatos do WhatsApp a conhecerem nosso canal clicando aqui!\n____", post.Text);
        Assert.Equal(["Punição_ampliada", "Poda_de_árvores", "Tarifas_de_transmissão"], post.Hashtags);
        Assert.Equal(["http://bit.ly/3Tq1C4G", "http://bit.ly/3PCX1vn", "http://bit.ly/3tkdScB", "http://bit.ly/3A1c4c4", "http://bit.ly/3A3EoKS", "http://bit.ly/3zWxOpw", "https://bit.ly/2UBmLNC"], post.Links);
        Assert.Equal("1.2K", post.Extra["views_text"]);
        Assert.Equal("http://bit.ly/3Tq1C4G", post.Extra["preview_url"]);
        Assert.Equal("Portal da Câmara dos Deputados", post.Extra["preview_site_name"]);
        var preview = Assert.Single(post.Media);
        Assert.Equal(new MediaRef { Kind = "link_preview", Title = "Câmara aprova projeto que aumenta penas para crimes sexuais contra crianças; acompanhe - Notícias" }, preview);
    }

    [Theory]
    [InlineData("tchan/parse_text_message_link_with_regular_preview.html", "https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio",
        "Agência Brasil", "https://cdn4.telegram-cdn.org/file/C2HB_eIeUYDV3yo1xut1cz6d06v6ITJW1fnuT7uihR5nIzUG9unDbq_cCbJag2TFdg7C_uJReq5lTcu9HZHI88el4u17YROLNW-rm4nLJCGc9d7L8Pfvkf4wLEx7pfY32k68VOXqg3XQ3Y0M1HgiEZyz9IIY9WvqImvvgwWG5f_czeIe8cC8h_X7JAkwUnoNsPlPf6qzqfV5QBswqQQF0PoRzYxd3L-uLAAreSvahHIFTnhLWQZCNQXxucYd9-Ct-w6voFkGtBkpF68Tx5i6QdTFbWp6WqR4LR7BeNTdTgeMGoZN1x46I_maRaeeHyqDRqD9cJLl08hMH6NLtMKbkw.jpg",
        "Operação Guardiões do Bioma apreende 23,9 toneladas de minério", "Ação contra o garimpo ilegal em Terra Indígena Yanomami durou um mês e resultou na prisão de 25 pessoas, apreensão de aeronaves e munições e em 115 autos de infração.")]
    [InlineData("tchan/parse_text_message_link_with_right_preview.html", "https://www.python.org/", "Python.org",
        "https://cdn4.telegram-cdn.org/file/mcgzW-avL5x2aBHAMw_8xb-MEiP5rCavDScU8vCkIIiYDgc202XMtQ4daRGRZVGU8uIHWwOyWa-Io-NeHkdrbj87eaHQCMgH6t6T4cVrW5GUwQDuFgQpE7-7XFXWc2I_ffYrhqgZUqHfdJNIMovjz7H1i-Gk45e-rlFKlpb1bUOaOd07ISTdr1OCUSAbs7z6oofThWpyE_2AxA5upuupuiocaeMINNxnwnJ_ate8S3gvnGMq81trLqLtcrUI9Dlo1Na4QemQPH7IOz-ra6DhlyiHm6fb_Q0pDOpLvmpI73jODW3H7QfBjp5htgN7dNMtxkGxw11-tCmVU6gRTIU-5w.jpg",
        "Welcome to Python.org", "The official home of the Python Programming Language")]
    public void Reads_link_previews_as_tchan_does(string fixture, string url, string site, string image, string title, string description)
    {
        var post = Single(fixture);
        Assert.Equal(url, post.Extra["preview_url"]);
        Assert.Equal(site, post.Extra["preview_site_name"]);
        Assert.Equal(new MediaRef { Kind = "link_preview", Url = image, Title = title, Description = description }, Assert.Single(post.Media));
    }

    [Fact]
    public void Reads_a_quiz_poll_into_extra()
    {
        var post = Single("tchan/parse_poll.html");
        Assert.Equal("", post.Text);
        Assert.Equal("""{"question":"Let's do a quick poll quizz mode","type":"Anonymous Quiz","quiz":true,"multiple":false,"voters":0,"options":[{"text":"Opt1","percent":0},{"text":"Opt2","percent":0},{"text":"Opt3","percent":0}]}""", post.Extra["poll"]);
    }

    [Fact]
    public void Reads_a_multiple_choice_poll_with_voters()
    {
        var post = Single("any2feed/message_poll.html", "https://t.me/s/it_begin");
        Assert.Equal("it_begin/488", post.NativeId);
        Assert.Equal(new DateTime(2023, 2, 27, 16, 21, 2, DateTimeKind.Utc), post.CreatedAt);
        Assert.Equal(1100, post.Views);
        Assert.Equal("""{"question":"Как лучше?","type":"Anonymous Poll","quiz":false,"multiple":true,"voters":222,"options":[{"text":"Несколько постов в день","percent":16},{"text":"Один пост в несколько дней","percent":83},{"text":"Свой вариант в комментарии","percent":3}]}""", post.Extra["poll"]);
    }

    [Fact]
    public void Marks_service_messages_and_keeps_their_text()
    {
        var pinned = Single("tchan/parse_service_message_pinned.html");
        Assert.Equal(PostKinds.Service, pinned.Kind);
        Assert.Equal("tchan's test channel 👍 pinned «Going to pin this message»", pinned.Text);
        Assert.Empty(pinned.Links);
        var renamed = Single("tchan/parse_service_message_channel_name_changed.html");
        Assert.Equal("Channel name was changed to «tchan's test channel»", renamed.Text);
        var photo = Single("tchan/parse_service_message_channel_photo_updated.html");
        Assert.Equal("channel photo", Assert.Single(photo.Media).Description);
        Assert.Equal("Channel created", Single("tchan/parse_service_message_channel_created.html").Text);
    }

    [Fact]
    public void Marks_forwards_and_replies()
    {
        var forward = Single("tchan/parse_forwarded_text_message.html");
        Assert.Equal(PostKinds.Forward, forward.Kind);
        var reply = Single("tchan/parse_text_reply_to_video.html");
        Assert.Equal(PostKinds.Reply, reply.Kind);
        Assert.Equal("tchantest/19", reply.ReplyTo);
        Assert.Equal("Reply to a video (not recorded in telegram)", reply.Text);
    }

    [Fact]
    public void Keeps_a_too_big_video_as_a_video_without_a_file()
    {
        var post = Single("tchan/parse_video_big.html", "https://t.me/s/some_random_user");
        var video = post.Media[0];
        Assert.Equal(new MediaRef { Kind = "video", Width = 704, DurationSeconds = 52, Description = "Media is too big" }, video);
        Assert.Equal("some text", post.Text);
        Assert.Equal("Blah", post.AuthorName);
    }

    [Fact]
    public void Reads_durations_and_mime_types_of_videos_and_voice()
    {
        var video = Single("tchan/parse_video_single.html").Media[0];
        Assert.Equal(("video", 6.0, 720, "video/mp4"), (video.Kind, video.DurationSeconds!.Value, video.Width!.Value, video.Mime));
        var voice = Single("tchan/parse_audio_message.html").Media[0];
        Assert.Equal(("voice", 1.0, "audio/ogg"), (voice.Kind, voice.DurationSeconds!.Value, voice.Mime));
        var round = Single("tchan/parse_round_video_single.html").Media[0];
        Assert.Equal(("round_video", 5.0), (round.Kind, round.DurationSeconds!.Value));
    }

    [Fact]
    public void Reads_an_audio_file_with_its_title_and_performer()
    {
        var post = Single("tchan/parse_audio_document.html");
        Assert.Equal(new MediaRef { Kind = "audio", Title = "AUD-20130329-WA0000", Description = "portadosfundos" }, Assert.Single(post.Media));
        Assert.Equal("Povo hebreu", post.Text);
    }

    [Fact]
    public void Reads_a_location_with_its_coordinates_and_map()
    {
        var post = Single("tchan/parse_location_message.html");
        Assert.Equal("-23.930587176407,-44.086305367818", post.Extra["location"]);
        var location = Assert.Single(post.Media);
        Assert.Equal("location", location.Kind);
        Assert.Equal("https://static-maps.yandex.ru/1.x/?l=map&ll=-44.086305367818,-23.930587176407&z=15&size=600,300&scale=1.5&pt=-44.086305367818,-23.930587176407,comma&lang=en_US", location.Url);
    }

    [Fact]
    public void Lists_an_albums_items_for_deletion_checks()
    {
        var result = TelegramPages.Parse("tchan/parse_multimedia_message.html");
        Assert.Equal("84,85,86,87", result.Posts[0].Extra["album_ids"]);
        Assert.Equal(new long[] { 84, 87 }, new[] { result.Listing!.FromId, result.Listing.ToId });
        Assert.Equal(["tchantest/84", "tchantest/85", "tchantest/86", "tchantest/87"], result.Listing.Ids);
        Assert.Equal(["video", "thumbnail", "photo", "video", "thumbnail", "photo"], result.Posts[0].Media.Select(m => m.Kind));
    }

    [Fact]
    public void Reads_the_channel_header_as_a_channel_author()
    {
        var result = TelegramPages.Parse("tchan/channel_info.html");
        Assert.Empty(result.Posts);
        var channel = Assert.Single(result.Authors);
        Assert.Equal("telegram:t.me:tchantest", channel.Key);
        Assert.Equal(("tchantest", "tchan's test channel 👍", "Test channel for tchan Python library/CLI", 1L, "channel"),
            (channel.Handle, channel.DisplayName, channel.Description, channel.Followers!.Value, channel.Kind));
        Assert.Equal("https://cdn1.telegram-cdn.org/file/pEJs58u1vQ4-YvOJ-6t1MAIcTPNIusLkfFzACh2CHzG-IOGGZVSKNsNIJhO-bkTdyAIabgzH7RqJBEjPLDWkJT7IYoQeCiDehrk1-KNRuXEgbCHMWDSxMuc9mOp-w3TJkfzLserjAsgwqVKE4fb0NouctjkVJHMcPkwxUVdoiEwEc6cUPP16fYQJfxKELtbBrfPpEha6Bdvfrhy2-6Sn3PPUx_krgiNduHJXXhc8zRcJt-YoOmX_McGV7EqZhEtDZHhRB2r441l4OJQzHjP7L-cA_y6g8cI1_hU7E8oLJJCoEdzHDrR2_z23MzjbHQ4F538BnqPEINvYBGJZP3h6Hg.jpg", channel.AvatarUrl);
        Assert.Equal(new Dictionary<string, string> { ["photos"] = "3", ["videos"] = "2", ["links"] = "4" }, channel.Extra);
        // The header makes the page the channel's own: its 2xx says the channel is up (a return after a takedown).
        Assert.Equal(channel.Key, result.OwnPageOf);
    }

    [Fact]
    public void A_page_without_the_channels_header_or_an_embed_is_not_the_channels_own()
    {
        // A page of messages only names their channel; an embed shows one post of a channel (and may be any channel's).
        var messages = TelegramPages.Parse("tchan/parse_forwarded_text_message.html", "https://t.me/s/tchantest");
        Assert.NotEmpty(messages.Authors);
        Assert.Null(messages.OwnPageOf);
        var embed = TelegramPages.Parse("telegtools_embed/TextReplyPost.html", "https://t.me/K1inUSA/5341?embed=1");
        Assert.Null(embed.OwnPageOf);
    }

    [Fact]
    public void Reads_the_empty_channel_page_as_a_listing_without_posts()
    {
        var result = TelegramPages.Parse("tchan/parse_no_posts_found.html", "https://t.me/s/tchantest?before=5");
        Assert.Empty(result.Posts);
        Assert.Empty(result.Next);
        Assert.Empty(result.Problems);
        Assert.Equal(("tchantest", 1L, 4L), (result.Listing!.Channel, result.Listing.FromId, result.Listing.ToId));
        Assert.Empty(result.Listing.Ids);
    }
}
