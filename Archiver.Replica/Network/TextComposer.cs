namespace Archiver.Replica;

/// <summary>Writes post bodies: sentences in the entity's language with hashtags, mentions, links, emoji and line breaks.</summary>
public static class TextComposer
{
    private static readonly string[] Domains = ["example.org", "example.com", "example.net", "news.example", "archive.example"];

    /// <param name="sentences">How many sentences; very long posts pass dozens.</param>
    /// <param name="mentionable">Handles that may be mentioned (other channels or accounts).</param>
    public static RichText Compose(ref Rng rng, Lexicon lex, int sentences, IReadOnlyList<string> mentionable)
    {
        var runs = new List<Segment>(sentences * 3 + 6);
        if (rng.Chance(0.15)) runs.Add(new(SegmentKind.Bold, lex.Sentence(ref rng).TrimEnd('.')));
        for (var s = 0; s < sentences; s++)
        {
            if (runs.Count > 0) runs.Add(s > 0 && s % 4 == 0 ? new(SegmentKind.Break, "") : new(SegmentKind.Text, " "));
            if (s > 0 && s % 4 == 0 && rng.Chance(0.5)) runs.Add(new(SegmentKind.Break, ""));
            runs.Add(new(SegmentKind.Text, lex.Sentence(ref rng)));
            if (rng.Chance(0.12))
            {
                runs.Add(new(SegmentKind.Text, " "));
                runs.Add(new(SegmentKind.Emoji, rng.Pick(Lexicon.Emoji)));
            }
        }
        if (mentionable.Count > 0 && rng.Chance(0.2))
        {
            runs.Add(new(SegmentKind.Text, " "));
            runs.Add(new(SegmentKind.Mention, rng.Pick(mentionable)));
        }
        if (rng.Chance(0.25))
        {
            runs.Add(new(SegmentKind.Break, ""));
            runs.Add(new(SegmentKind.Link, LinkUrl(ref rng, lex)));
        }
        var tags = rng.Chance(0.45) ? rng.Between(1, 3) : 0;
        for (var t = 0; t < tags; t++)
        {
            runs.Add(t == 0 ? new(SegmentKind.Break, "") : new(SegmentKind.Text, " "));
            runs.Add(new(SegmentKind.Hashtag, rng.Pick(lex.Tags)));
        }
        return new RichText(runs);
    }

    public static string LinkUrl(ref Rng rng, Lexicon lex)
    {
        var domain = rng.Pick(Domains);
        var id = rng.Between(100, 99999);
        // Some links carry a query with '&' so markup must escape it and parsers must decode it.
        return rng.Chance(0.3)
            ? $"https://{domain}/article?id={id}&lang={lex.Code}"
            : $"https://{domain}/{lex.Code}/{rng.Pick(lex.Tags) switch { var t => Slug(t) }}-{id}";
    }

    private static string Slug(string tag)
    {
        var ascii = new string(tag.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z').ToArray());
        return ascii.Length == 0 ? "story" : ascii;
    }

    /// <summary>The edit version 2 makes: the same text plus a note.</summary>
    public static RichText Edited(RichText text, Lexicon lex) =>
        text.Append(new Segment(SegmentKind.Break, ""), new Segment(SegmentKind.Text, lex.EditNote));
}
