namespace Archiver;

/// <summary>A failure the user can act on; the message says what went wrong and what to do. Exit code 1.</summary>
public class ArchiverException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Bad usage or bad input (a seed, a query, a flag): exit code 2.</summary>
public sealed class UsageException(string message) : ArchiverException(message);

/// <summary>The archive is in use by another archiver process.</summary>
public sealed class ArchiveBusyException(string path, Exception inner)
    : ArchiverException($"The archive at {path} is in use by another archiver process; wait for it to finish or use another --data directory.", inner);
