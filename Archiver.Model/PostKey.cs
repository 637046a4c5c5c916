namespace Archiver.Model;

/// <summary>
/// The deterministic string identity of a post: <c>platform:host:nativeId</c>, lower-cased platform and host.
/// Native ids keep their case (some platforms' ids are case-sensitive).
/// </summary>
public static class PostKey
{
    public static string Of(string platform, string host, string nativeId) =>
        string.Concat(platform.ToLowerInvariant(), ":", host.ToLowerInvariant(), ":", nativeId);

    public static bool TryParse(string key, out (string Platform, string Host, string NativeId) parts)
    {
        parts = default;
        var first = key.IndexOf(':');
        if (first <= 0) return false;
        var second = key.IndexOf(':', first + 1);
        if (second <= first + 1 || second == key.Length - 1) return false;
        parts = (key[..first], key[(first + 1)..second], key[(second + 1)..]);
        return true;
    }
}
