using System.CommandLine;
using Archiver.Export;
using Archiver.Export.Verification;
using Archiver.Storage;

namespace Archiver.Cli;

/// <summary>
/// <c>archiver verify [PATH]</c>: checks an export directory against its manifest, or an archive
/// directory's media (and, with the WARC reader, its WARC files) against the store. Exit 0 when all is
/// intact, 1 when anything is wrong, 2 when PATH is neither.
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var path = new Argument<string?>("PATH") { Description = "An export directory, or an archive directory (default: --data)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Check an export's checksums, or re-hash an archive's media against the store") { path };
        run.Attach(command, (context, parse, ct) =>
        {
            var target = Path.GetFullPath(parse.GetValue(path) ?? context.DataDir);
            if (!Directory.Exists(target)) throw new UsageException($"{target} does not exist.");
            VerifyReport report;
            if (File.Exists(Path.Combine(target, "archive.db")))
            {
                using var store = ArchiveSession.OpenReader(target);
                report = ArchiveVerifier.Default().Verify(store, ct);
            }
            else if (File.Exists(Path.Combine(target, Manifest.ChecksumFile)) || File.Exists(Path.Combine(target, Manifest.PackageFile)))
            {
                report = ExportVerifier.Verify(target, ct);
            }
            else
            {
                throw new UsageException($"{target} is neither an export (no {Manifest.ChecksumFile}) nor an archive (no archive.db).");
            }
            Render(context, report);
            return Task.FromResult(report.Ok ? ExitCodes.Ok : ExitCodes.Failure);
        });
        return command;
    }

    private static void Render(CliContext context, VerifyReport report)
    {
        if (context.Json)
        {
            context.WriteJson(report);
            return;
        }
        var what = report.Target == VerifyTarget.Export ? "export" : "archive";
        foreach (var problem in report.Problems) context.Out.WriteLine($"FAILED  {problem.Path}: {problem.Problem}");
        foreach (var skipped in report.Skipped) context.Out.WriteLine($"skipped {skipped}");
        context.Out.WriteLine(report.Ok
            ? $"OK: {what} {report.Path}: {Format.Count(report.FilesChecked)} files verified"
            : $"FAILED: {what} {report.Path}: {Format.Count(report.Problems.Count)} problem(s) in {Format.Count(report.FilesChecked)} files checked");
    }
}
