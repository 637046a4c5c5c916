using System.Text.Json;
using Archiver.Model;
using Archiver.Platforms;

namespace Archiver.Import.Datasets;

/// <summary>The shared benchmark corpus written by bench/gen_corpus.py. Its posts live on the host <c>bench.corpus</c>.</summary>
public sealed class CorpusFormat : IDatasetFormat
{
    public const string Host = "bench.corpus";

    public string Name => "corpus";

    public string Title => "the benchmark corpus";

    public bool Recognises(JsonElement line) =>
        Json.Has(line, "id") && Json.Has(line, "platform") && Json.Has(line, "created_at") && Json.Has(line, "text") && Json.Has(line, "urls");

    public LineParse Parse(JsonElement line)
    {
        var id = Json.Str(line, "id");
        var platform = Json.Str(line, "platform");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(platform)) return LineParse.Fail("missing id or platform");
        var created = Json.Date(Json.Str(line, "created_at"));
        if (created is null) return LineParse.Fail("missing or unreadable created_at");
        var author = Json.Str(line, "author");
        return LineParse.Of(new Post
        {
            Platform = platform,
            Host = Host,
            NativeId = id,
            Channel = Json.Str(line, "channel"),
            AuthorId = author,
            AuthorHandle = author,
            CreatedAt = created,
            Language = Json.Str(line, "lang"),
            Text = Json.Str(line, "text") ?? "",
            Hashtags = Json.Strings(line, "hashtags"),
            Links = Json.Strings(line, "urls"),
        });
    }
}
