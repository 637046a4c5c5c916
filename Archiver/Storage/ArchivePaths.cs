namespace Archiver.Storage;

/// <summary>The layout of an archive directory; the one place that knows file names.</summary>
public sealed record ArchivePaths(string Root)
{
    public string Database => Path.Combine(Root, "archive.db");
    public string KeyCache => Path.Combine(Root, "archive.keys");
    public string Segment(int number) => Path.Combine(Root, $"posts-{number}.db");
    public string Index => Path.Combine(Root, "index");
    public string Warc => Path.Combine(Root, "warc");
    public string Media => Path.Combine(Root, "media");
    public string Exports => Path.Combine(Root, "exports");
    /// <summary>Pseudonymisation keys (<c>NAME.key</c>) the web app's export offers; kept with the archive, never in an export.</summary>
    public string Keys => Path.Combine(Root, "keys");

    public bool Exists => File.Exists(Database);

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Warc);
        Directory.CreateDirectory(Media);
    }
}
