namespace Archiver.Tests.Support;

/// <summary>A fresh archive directory under the temp folder, deleted when the test ends.</summary>
public sealed class TempArchive : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "archiver-test-" + Guid.NewGuid().ToString("N")[..12]);

    public TempArchive() => Directory.CreateDirectory(Path);

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        // For a look after a failure: ARCHIVER_KEEP_TEST_ARCHIVES=1 keeps every test's archive.
        if (Environment.GetEnvironmentVariable("ARCHIVER_KEEP_TEST_ARCHIVES") is "1") return;
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be releasing a file; the temp folder is cleaned by the OS eventually.
        }
    }
}
