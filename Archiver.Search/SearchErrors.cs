namespace Archiver.Search;

/// <summary>A query the parser cannot read. <see cref="Position"/> is 0-based in the text the user typed.</summary>
public sealed class QuerySyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>Another process (or another index object) holds the index's write lock.</summary>
public sealed class IndexBusyException(string path, Exception inner)
    : Exception($"The search index at {path} is in use by another archiver process (write.lock is held); wait for it to finish or use another --data directory.", inner)
{
    public string Path { get; } = path;
}
