using Archiver.Platforms;

namespace Archiver.Tests.Platforms;

/// <summary>Fetched pages for parser tests, and a seeded mutator for the hostile-input tests.</summary>
public static class TestPages
{
    public static FetchedPage Page(string url, byte[] body, string? contentType = "text/html", CrawlRequest? request = null, DateTime fetchedAt = default) =>
        new() { Url = new Uri(url), Status = 200, Body = body, ContentType = contentType, Request = request, FetchedAt = fetchedAt };

    public static FetchedPage Page(string url, string body, string? contentType = "text/html; charset=utf-8", CrawlRequest? request = null) =>
        Page(url, System.Text.Encoding.UTF8.GetBytes(body), contentType, request);

    /// <summary>
    /// <paramref name="count"/> deterministic variants of <paramref name="seeds"/>: truncations, byte flips, deleted and
    /// duplicated ranges, markup characters sprinkled in, splices of two inputs, and pure noise.
    /// </summary>
    public static IEnumerable<byte[]> Mutants(IReadOnlyList<byte[]> seeds, int count, int seed = 20240601)
    {
        var random = new Random(seed);
        byte[] markup = "<>/\"'=&;![]{}:,-#\0\n"u8.ToArray();
        for (var i = 0; i < count; i++)
        {
            var source = seeds[random.Next(seeds.Count)];
            var bytes = source.ToArray();
            switch (i % 7)
            {
                case 0:
                    yield return bytes[..random.Next(bytes.Length + 1)];
                    break;
                case 1:
                    for (var k = 0; k < 1 + random.Next(40) && bytes.Length > 0; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    yield return bytes;
                    break;
                case 2:
                    {
                        if (bytes.Length == 0) { yield return bytes; break; }
                        var start = random.Next(bytes.Length);
                        var length = random.Next(Math.Min(2000, bytes.Length - start) + 1);
                        yield return [.. bytes[..start], .. bytes[(start + length)..]];
                        break;
                    }
                case 3:
                    for (var k = 0; k < 1 + random.Next(60) && bytes.Length > 0; k++) bytes[random.Next(bytes.Length)] = markup[random.Next(markup.Length)];
                    yield return bytes;
                    break;
                case 4:
                    {
                        var other = seeds[random.Next(seeds.Count)];
                        var cut = random.Next(bytes.Length + 1);
                        var from = random.Next(other.Length + 1);
                        yield return [.. bytes[..cut], .. other[from..]];
                        break;
                    }
                case 5:
                    {
                        if (bytes.Length == 0) { yield return bytes; break; }
                        var start = random.Next(bytes.Length);
                        var length = random.Next(Math.Min(500, bytes.Length - start) + 1);
                        var piece = bytes[start..(start + length)];
                        yield return [.. bytes[..start], .. piece, .. piece, .. piece, .. bytes[start..]];
                        break;
                    }
                default:
                    {
                        var noise = new byte[random.Next(4096)];
                        random.NextBytes(noise);
                        yield return noise;
                        break;
                    }
            }
        }
    }
}
