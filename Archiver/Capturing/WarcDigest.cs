using System.Security.Cryptography;
using System.Text;

namespace Archiver.Capturing;

/// <summary>Digests as WARC writes them: <c>sha256:BASE32</c> (RFC 4648, upper case, padded, as warcio does).</summary>
public static class WarcDigest
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Sha256(ReadOnlySpan<byte> data) => "sha256:" + Base32(SHA256.HashData(data));

    public static string FromHash(byte[] sha256) => "sha256:" + Base32(sha256);

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Base32(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder((bytes.Length + 4) / 5 * 8);
        for (var i = 0; i < bytes.Length; i += 5)
        {
            var n = Math.Min(5, bytes.Length - i);
            ulong buffer = 0;
            for (var j = 0; j < 5; j++) buffer = (buffer << 8) | (j < n ? bytes[i + j] : 0u);
            var chars = (n * 8 + 4) / 5;
            for (var j = 0; j < 8; j++) text.Append(j < chars ? Alphabet[(int)((buffer >> (35 - j * 5)) & 31)] : '=');
        }
        return text.ToString();
    }

    /// <summary>Decodes base32 (padding optional); null when the text is not base32.</summary>
    public static byte[]? FromBase32(string text)
    {
        var trimmed = text.TrimEnd('=').ToUpperInvariant();
        var output = new List<byte>(trimmed.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in trimmed)
        {
            var v = Alphabet.IndexOf(c);
            if (v < 0) return null;
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((buffer >> bits) & 0xFF));
            }
        }
        return output.ToArray();
    }

    /// <summary>Checks a WARC digest field ("sha1:..." or "sha256:...", base32 or hex) against data.</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> data)
    {
        var colon = digest.IndexOf(':');
        if (colon < 0) return false;
        var algorithm = digest[..colon].ToLowerInvariant();
        var value = digest[(colon + 1)..];
        byte[] actual = algorithm switch
        {
            "sha256" => SHA256.HashData(data),
            "sha1" => SHA1.HashData(data),
            "md5" => MD5.HashData(data),
            _ => [],
        };
        if (actual.Length == 0) return false;
        var expected = value.Length == actual.Length * 2 && value.All(Uri.IsHexDigit)
            ? Convert.FromHexString(value)
            : FromBase32(value);
        return expected is not null && expected.AsSpan().SequenceEqual(actual);
    }
}
