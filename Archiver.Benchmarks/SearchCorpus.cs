using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Archiver.Search;

namespace Archiver.Benchmarks;

/// <summary>
/// The shared search workload (../shared/bench): corpus lines (JSONL) straight to <see cref="SearchDocument"/>s,
/// and the query set translated into the query syntax users type.
/// </summary>
public static class SearchCorpus
{
    public sealed record BenchQuery(string Id, string Type, string Text);

    /// <summary>Reads the corpus as batches of raw lines (parsing happens on the indexing threads).</summary>
    public static IEnumerable<List<byte[]>> ReadLineBatches(string path, int batchSize)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var filled = 0;
        var batch = new List<byte[]>(batchSize);
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
            {
                if (newline > start) batch.Add(buffer[start..newline]);
                start = newline + 1;
                if (batch.Count == batchSize)
                {
                    yield return batch;
                    batch = new List<byte[]>(batchSize);
                }
            }
            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            if (read == 0)
            {
                if (filled > 0) batch.Add(buffer[..filled]);
                break;
            }
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>One corpus line: <c>id, platform, channel, author, created_at, lang, text, hashtags[], urls[]</c>.</summary>
    public static SearchDocument Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        string? id = null, platform = null, channel = null, author = null, lang = null, text = null;
        DateTime? created = null;
        List<string> hashtags = [], domains = [];
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id": id = reader.GetString(); break;
                case "platform": platform = reader.GetString(); break;
                case "channel": channel = reader.GetString(); break;
                case "author": author = reader.GetString(); break;
                case "lang": lang = reader.GetString(); break;
                case "text": text = reader.GetString(); break;
                case "created_at": created = reader.GetDateTime().ToUniversalTime(); break;
                case "hashtags": ReadStrings(ref reader, hashtags); break;
                case "urls":
                    var urls = new List<string>();
                    ReadStrings(ref reader, urls);
                    foreach (var url in urls)
                        if (Uri.TryCreate(url, UriKind.Absolute, out var uri)) domains.Add(uri.Host);
                    break;
                default: reader.Skip(); break;
            }
        }
        return new SearchDocument
        {
            Key = id ?? throw new FormatException("corpus line without an id"),
            Platform = platform ?? "",
            Channel = channel,
            Author = author,
            Language = lang,
            Text = text ?? "",
            Created = created,
            Hashtags = hashtags,
            Domains = domains,
        };
    }

    private static void ReadStrings(ref Utf8JsonReader reader, List<string> into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.String) into.Add(reader.GetString()!);
    }

    /// <summary>queries.txt as users would type each query (see ../shared/bench/README.md).</summary>
    public static IReadOnlyList<BenchQuery> ReadQueries(string path)
    {
        var queries = new List<BenchQuery>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('\t');
            var text = parts[1] switch
            {
                "common" or "rare" => parts[2],
                "and" => $"{parts[2]} AND {parts[3]}",
                "phrase" => $"\"{parts[2]}\"",
                "range" => $"{parts[2]} date:[{parts[3]} TO {parts[4]}}}",
                "prefix" => parts[2] + "*",
                _ => throw new FormatException($"{path}: unknown query type '{parts[1]}' in: {line}"),
            };
            queries.Add(new BenchQuery(parts[0], parts[1], text));
        }
        return queries;
    }

    /// <summary>expected-hits.tsv: qid → total hit count.</summary>
    public static IReadOnlyDictionary<string, long> ReadExpected(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => long.Parse(p[^1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
