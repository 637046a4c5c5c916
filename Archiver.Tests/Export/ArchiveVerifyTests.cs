namespace Archiver.Tests.Export;

public sealed class ArchiveVerifyTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Archive_verification_passes_the_media_and_reports_captures_missing_from_the_warcs()
    {
        // The fixture's posts cite a capture file that was never written: evidence the archive claims but lacks.
        var result = await Support.Cli.RunAsync(["verify", _fixture.Data]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no response record", result.Out + result.Error);
        Assert.DoesNotContain("checksum mismatch", result.Out + result.Error);
    }

    [Fact]
    public async Task A_changed_media_file_fails_archive_verification()
    {
        var file = Directory.EnumerateFiles(Path.Combine(_fixture.Data, "media"), "*", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(file, "tampered", TestContext.Current.CancellationToken);
        var result = await Support.Cli.RunAsync(["verify", "--data", _fixture.Data]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("checksum mismatch", result.Out);
    }

    [Fact]
    public async Task A_directory_that_is_neither_an_export_nor_an_archive_is_a_usage_error()
    {
        var empty = _fixture.Out("empty");
        Directory.CreateDirectory(empty);
        var result = await Support.Cli.RunAsync(["verify", empty]);
        Assert.Equal(2, result.ExitCode);
    }
}
