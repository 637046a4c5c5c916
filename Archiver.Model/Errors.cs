namespace Archiver;

/// <summary>A failure the user can act on; the message says what went wrong and what to do. Exit code 1.</summary>
public class ArchiverException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Bad usage or bad input (a seed, a query, a flag): exit code 2.</summary>
public sealed class UsageException(string message) : ArchiverException(message);
