namespace Archiver;

// ArchiverException and UsageException live in Archiver.Model (Errors.cs), where the replica can throw them too.

/// <summary>The archive is in use by another archiver process.</summary>
public sealed class ArchiveBusyException : ArchiverException
{
    public ArchiveBusyException(string path, Exception inner)
        : base($"The archive at {path} is in use by another archiver process; wait for it to finish or use another --data directory.", inner)
    {
    }

    /// <summary>Another process holds the archive's writer lock (<see cref="Storage.ArchiveLock"/>); <paramref name="holder"/> as its lock file names it.</summary>
    public ArchiveBusyException(string path, Storage.LockHolder? holder)
        : base($"The archive at {path} is being written by another archiver process ({holder?.ToString() ?? "its lock file names no holder"}). "
            + "One writer at a time: wait for it to finish (search, stats, show and export work meanwhile), or use another --data directory.")
    {
        Holder = holder;
    }

    public Storage.LockHolder? Holder { get; }
}
