namespace Archiver.Tests.Support;

/// <summary>The shared, read-only test material in ../shared/fixtures (never copied into the project).</summary>
public static class Fixtures
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);

    public static string Shared => SharedRoot.Value;
    public static string Root => System.IO.Path.Combine(Shared, "fixtures");
    public static string Bench => System.IO.Path.Combine(Shared, "bench");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>A real file kept in Archiver.Tests/Fixtures (provenance in its SOURCES.md), copied beside the test binary.</summary>
    public static string Local(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);
    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));
    public static string Text(string relative) => File.ReadAllText(Path(relative));

    private static string FindShared()
    {
        var env = Environment.GetEnvironmentVariable("ARCHIVER_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        // The repository sits next to shared/: walk up from the test binary until a sibling 'shared' appears.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "fixtures"))) return candidate;
        }
        throw new DirectoryNotFoundException("../shared/fixtures not found next to the repository; set ARCHIVER_SHARED.");
    }
}
