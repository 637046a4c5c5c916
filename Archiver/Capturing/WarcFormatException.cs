namespace Archiver.Capturing;

/// <summary>A WARC file that cannot be read as WARC at a given place. The message names the file and the offset.</summary>
public sealed class WarcFormatException(string file, long offset, string reason)
    : ArchiverException($"{file}: not a readable WARC record at offset {offset}: {reason}")
{
    public string File { get; } = file;
    public long Offset { get; } = offset;
    public string Reason { get; } = reason;
}

/// <summary>Something a tolerant read skipped or repaired, reported instead of thrown.</summary>
public sealed record WarcProblem(string File, long Offset, string Reason);
