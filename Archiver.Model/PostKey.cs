namespace Archiver.Model;

/// <summary>
/// The deterministic string identity of a post: <c>platform:host:nativeId</c>, lower-cased platform and host.
/// Native ids keep their case (some platforms' ids are case-sensitive).
/// </summary>
public static class PostKey
{
    public static string Of(string platform, string host, string nativeId) =>
        string.Concat(platform.ToLowerInvariant(), ":", host.ToLowerInvariant(), ":", nativeId);
}
