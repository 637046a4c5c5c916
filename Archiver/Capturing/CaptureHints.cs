namespace Archiver.Capturing;

/// <summary>
/// What the crawler knew about a page when it captured it, written into the response record as WARC
/// extension fields (the WARC standard allows fields of one's own). An import of these files then uses
/// the same parser as the crawl did, even on hosts it could not tell by name: a replica, a mirror, or a
/// Mastodon fork on its own domain. Files written by other tools simply lack the fields.
/// </summary>
public static class CaptureHints
{
    public const string PlatformField = "WARC-Archiver-Platform";
    public const string ProfileField = "WARC-Archiver-Profile";

    public static IReadOnlyList<KeyValuePair<string, string>> Fields(string platform, string? profile) =>
        profile is null ? [new(PlatformField, platform)] : [new(PlatformField, platform), new(ProfileField, profile)];

    public static (string? Platform, string? Profile) Read(WarcRecord record) => (record.Headers[PlatformField], record.Headers[ProfileField]);
}
