using System.Text;

namespace Archiver.Tests.Platforms.Common;

/// <summary>
/// Seeded hostile variants of real inputs: truncated, bytes flipped, ranges deleted or repeated, markup and JSON
/// fragments spliced in, and plain random bytes. The same seed always gives the same variants.
/// </summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Splices =
    [
        "<", ">", "</div>", "<div class=\"tgme_widget_message\" data-post=\"x/0\">", "data-post=\"a/99999999999999999999\"", "datetime=\"9999-99-99\"",
        "<time datetime=\"2023-13-45T99:99:99+99:00\">", "style=\"background-image:url('\"", "&#", "&#xFFFFFFF;", "\u0000", "\uFFFF", "<a href=\"javascript:x\">",
        "class=\"tgme_widget_message_views\">9.9.9K<", "<br/><br/><br/>", "?q=%23", "{", "}", "[", "]", "\"", ",", ":", "null", "true", "-1e999", "18446744073709551616",
        "\"id\":{}", "\"reblog\":{\"reblog\":{\"reblog\":{}}}", "\"account\":[]", "\"media_attachments\":{}", "\"created_at\":\"yesterday\"", "\\u0000", "\\ud800",
    ];

    public IEnumerable<byte[]> Variants(byte[] input, int count)
    {
        for (var i = 0; i < count; i++) yield return Mutate(input, i % 8);
    }

    public byte[] Random(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Mutate(byte[] input, int kind)
    {
        if (input.Length == 0) return Random(64);
        var data = new List<byte>(input);
        switch (kind)
        {
            case 0:
                return input[.._random.Next(input.Length)];
            case 1:
                for (var n = 0; n < 1 + _random.Next(20); n++) data[_random.Next(data.Count)] = (byte)_random.Next(256);
                break;
            case 2:
                {
                    var start = _random.Next(data.Count);
                    data.RemoveRange(start, _random.Next(Math.Min(data.Count - start, 2000) + 1));
                    break;
                }
            case 3:
                {
                    var start = _random.Next(data.Count);
                    var length = _random.Next(Math.Min(data.Count - start, 500) + 1);
                    data.InsertRange(_random.Next(data.Count), data.GetRange(start, length));
                    break;
                }
            case 4:
            case 5:
                for (var n = 0; n < 1 + _random.Next(8); n++)
                    data.InsertRange(_random.Next(data.Count + 1), System.Text.Encoding.UTF8.GetBytes(Splices[_random.Next(Splices.Length)]));
                break;
            case 6:
                {
                    // Swap two ranges: structure kept, order broken.
                    var a = _random.Next(data.Count);
                    var b = _random.Next(data.Count);
                    var length = Math.Min(_random.Next(300), Math.Min(data.Count - a, data.Count - b));
                    for (var k = 0; k < length; k++) (data[a + k], data[b + k]) = (data[b + k], data[a + k]);
                    break;
                }
            default:
                return input[_random.Next(input.Length)..];
        }
        return data.ToArray();
    }
}
