using System.Text.Json;

namespace Archiver.Storage;

/// <summary>Who holds an archive's writer lock, as the holder wrote it into the lock file.</summary>
public sealed record LockHolder(int Pid, string Command, DateTimeOffset Since)
{
    public override string ToString() => Pid <= 0
        ? "its lock file does not say which"
        : $"pid {Pid}, `{Command}`, since {Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC";
}

/// <summary>
/// One writer per archive, across processes: an OS lock on <c>archive.lock</c> in the archive folder, taken
/// before any archive file is opened for writing and dropped by the kernel when the holder exits, however it
/// exits (a lock file left by a killed process blocks nobody). The file's text names the holder (pid, command,
/// start time) for the refusal a second writer gets.
/// <para>
/// Readers take no writer lock; they work from a snapshot. LiteDB's write-ahead log gives each file a snapshot
/// of its committed transactions when it is opened, as long as nobody folds the log into the data file
/// (a checkpoint) while it is open. So the lock file carries three more locks besides the writer's:
/// the <em>gate</em>, held exclusively by the writer while it writes (a batch spans several files) and shared
/// by a reader while it opens the files, so a snapshot is always taken between two batches; the <em>turn</em>,
/// taken by a reader before it waits for the gate and by the writer before each write, so a busy writer cannot
/// starve readers; and <em>readers</em>, shared by every open snapshot, which the writer must hold exclusively to
/// checkpoint (it skips checkpoints while anyone reads, and the log grows until they finish).
/// </para>
/// </summary>
public sealed class ArchiveLock : IDisposable
{
    public const string FileName = "archive.lock";

    // Locked bytes lie far beyond the holder's text: fcntl locks need no data at their offsets.
    private const long WriterByte = 1L << 32;
    private const long TurnByte = WriterByte + 1;
    private const long GateByte = WriterByte + 2;
    private const long ReadersByte = WriterByte + 3;

    /// <summary>How long a reader waits for the writer to finish the batch it is committing.</summary>
    internal static TimeSpan ReaderWait { get; } = TimeSpan.FromMinutes(2);
    /// <summary>How long the writer waits for readers that are opening a snapshot (each takes milliseconds).</summary>
    internal static TimeSpan WriterWait { get; } = TimeSpan.FromMinutes(5);

    private readonly RangeLockFile _file;
    private readonly Lock _gate = new();
    private int _gateDepth;
    private bool _disposed;

    private ArchiveLock(string root, RangeLockFile file, LockHolder holder)
    {
        Root = root;
        _file = file;
        Holder = holder;
    }

    public string Root { get; }
    public LockHolder Holder { get; }

    public static string PathIn(string root) => Path.Combine(root, FileName);

    /// <summary>Takes the writer lock of the archive in <paramref name="root"/>, or throws <see cref="ArchiveBusyException"/> naming the holder.</summary>
    public static ArchiveLock AcquireWriter(string root, string? command = null) =>
        TryAcquireWriter(root, out var holder, command) ?? throw new ArchiveBusyException(root, holder);

    /// <summary>The writer lock, or null (with the holder, when its lock file names one) when another writer holds it. Never waits.</summary>
    public static ArchiveLock? TryAcquireWriter(string root, out LockHolder? holder, string? command = null)
    {
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        var file = RangeLockFile.OpenWritable(PathIn(root));
        try
        {
            if (!file.TryLock(WriterByte, exclusive: true))
            {
                holder = ReadHolder(root) ?? new LockHolder(0, "", default);
                file.Dispose();
                return null;
            }
            var me = new LockHolder(Environment.ProcessId, command ?? DescribeProcess(), DateTimeOffset.UtcNow);
            file.WriteText(JsonSerializer.Serialize(me) + "\n");
            holder = me;
            return new ArchiveLock(root, file, me);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The writer holding the archive's lock now, or null when none does.</summary>
    public static LockHolder? CurrentWriter(string root)
    {
        var path = PathIn(Path.GetFullPath(root));
        if (!File.Exists(path)) return null;
        try
        {
            using var file = RangeLockFile.OpenReadOnly(path);
            // A shared probe conflicts with the writer's exclusive lock only.
            if (file.TryLock(WriterByte, exclusive: false))
            {
                file.Unlock(WriterByte);
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ReadHolder(root) ?? new LockHolder(0, "another archiver process", default);
    }

    /// <summary>
    /// Enters the write gate for one commit (or any write to the archive's LiteDB files): waits for readers that are
    /// opening a snapshot, then keeps new ones waiting until the returned scope ends. Re-entrant on this object.
    /// </summary>
    public GateScope EnterWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _gate.Enter();
        try
        {
            if (_gateDepth++ == 0)
            {
                Take(TurnByte, exclusive: true, WriterWait, "readers opening the archive");
                try
                {
                    Take(GateByte, exclusive: true, WriterWait, "readers opening the archive");
                }
                finally
                {
                    _file.Unlock(TurnByte);
                }
            }
            return new GateScope(this);
        }
        catch
        {
            _gateDepth--;
            _gate.Exit();
            throw;
        }
    }

    private void ExitWrite()
    {
        if (--_gateDepth == 0) _file.Unlock(GateByte);
        _gate.Exit();
    }

    /// <summary>
    /// True when no snapshot is open anywhere, so LiteDB's logs may be folded into the data files now; the caller
    /// holds the write gate and calls <see cref="EndCheckpoint"/> after.
    /// </summary>
    public bool TryBeginCheckpoint() => _file.TryLock(ReadersByte, exclusive: true);

    public void EndCheckpoint() => _file.Unlock(ReadersByte);

    /// <summary>
    /// Starts a reader's snapshot of the archive in <paramref name="root"/>: waits for the writer to finish the batch
    /// it is committing and holds the gate until <see cref="Snapshot.Taken"/>; the snapshot then keeps the writer from
    /// checkpointing until it is disposed. Without a lock file that can be opened (a read-only copy of an archive),
    /// there is no writer to wait for, and the snapshot holds nothing.
    /// </summary>
    public static Snapshot BeginSnapshot(string root)
    {
        var path = PathIn(Path.GetFullPath(root));
        RangeLockFile? file = null;
        try
        {
            file = RangeLockFile.OpenWritable(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                if (File.Exists(path)) file = RangeLockFile.OpenReadOnly(path);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                file = null;
            }
        }
        if (file is null) return new Snapshot(null, turn: false);
        try
        {
            // The turn is exclusive: a reader without write access to the lock file waits for the gate without it.
            var turn = file.CanWrite;
            if (turn) Wait(file, TurnByte, exclusive: true, ReaderWait, root);
            try
            {
                Wait(file, GateByte, exclusive: false, ReaderWait, root);
                Wait(file, ReadersByte, exclusive: false, ReaderWait, root);
            }
            catch
            {
                if (turn) file.Unlock(TurnByte);
                throw;
            }
            return new Snapshot(file, turn);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void Take(long offset, bool exclusive, TimeSpan timeout, string waitingFor)
    {
        try
        {
            _file.Lock(offset, exclusive, timeout);
        }
        catch (TimeoutException)
        {
            throw new ArchiverException($"The archive at {Root} could not be written: {waitingFor} held it for over {timeout.TotalMinutes:0} minutes.");
        }
    }

    private static void Wait(RangeLockFile file, long offset, bool exclusive, TimeSpan timeout, string root)
    {
        try
        {
            file.Lock(offset, exclusive, timeout);
        }
        catch (TimeoutException)
        {
            var writer = ReadHolder(Path.GetFullPath(root));
            throw new ArchiverException($"The archive at {root} stayed busy for over {timeout.TotalMinutes:0} minutes: its writer ({writer?.ToString() ?? "another archiver process"}) did not finish a commit. Try again.");
        }
    }

    private static LockHolder? ReadHolder(string root)
    {
        // The holder writes its text right after taking the lock: a read in between finds the previous holder's or
        // none, so look twice.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var text = File.ReadAllText(PathIn(root)).Trim();
                if (text.Length > 0 && JsonSerializer.Deserialize<LockHolder>(text) is { Pid: > 0 } holder) return holder;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Unreadable or half-written: try again.
            }
            Thread.Sleep(50);
        }
        return null;
    }

    /// <summary>The command line as the user typed it: <c>archiver crawl telegram:x</c>.</summary>
    private static string DescribeProcess()
    {
        var args = Environment.GetCommandLineArgs();
        var program = args.Length == 0 ? "?" : Path.GetFileNameWithoutExtension(args[0]);
        var text = string.Join(' ', args.Skip(1).Prepend(program));
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Closing the file drops every lock this object holds.
        _file.Dispose();
    }

    /// <summary>The writer's hold on the gate (see <see cref="EnterWrite"/>).</summary>
    public readonly struct GateScope(ArchiveLock owner) : IDisposable
    {
        public void Dispose() => owner?.ExitWrite();
    }

    /// <summary>A reader's hold on the archive: the gate until <see cref="Taken"/>, then the readers' lock until disposed.</summary>
    public sealed class Snapshot : IDisposable
    {
        private RangeLockFile? _file;
        private bool _turn;
        private bool _gate;

        internal Snapshot(RangeLockFile? file, bool turn)
        {
            _file = file;
            _turn = turn;
            _gate = file is not null;
        }

        /// <summary>Every file of the snapshot is open: the writer may commit again.</summary>
        public void Taken()
        {
            if (_file is null) return;
            if (_gate) _file.Unlock(GateByte);
            if (_turn) _file.Unlock(TurnByte);
            _gate = _turn = false;
        }

        public void Dispose()
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
