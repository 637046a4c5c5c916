namespace Archiver.Tests.Support;

/// <summary>
/// Real files kept in the repository under Archiver.Tests/RealFiles (provenance in its SOURCES.md), found by
/// walking up from the test binary to the project folder, so the project file needs no copy rule.
/// </summary>
public static class RepoFiles
{
    private static readonly Lazy<string> RootDir = new(FindRoot);

    public static string Root => RootDir.Value;

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "RealFiles");
            if (File.Exists(System.IO.Path.Combine(candidate, "SOURCES.md"))) return candidate;
            candidate = System.IO.Path.Combine(dir.FullName, "Archiver.Tests", "RealFiles");
            if (File.Exists(System.IO.Path.Combine(candidate, "SOURCES.md"))) return candidate;
        }
        throw new DirectoryNotFoundException("Archiver.Tests/RealFiles not found above the test binary.");
    }
}
