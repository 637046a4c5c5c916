using System.Runtime.InteropServices;

namespace Archiver.Storage;

/// <summary>
/// Advisory byte-range locks on one file, shared or exclusive, that die with the process (the kernel drops
/// them when the file is closed, however the process ended). On Linux they are open-file-description locks
/// (<c>fcntl F_OFD_SETLK</c>): two opens of the file conflict even inside one process, and closing another
/// descriptor of the file does not drop them, which classic POSIX locks (and so <see cref="FileStream.Lock"/>)
/// would do. Locks need no data at their offsets, so the file itself can hold text others read freely.
/// Elsewhere <see cref="FileStream.Lock"/> is used, which is always exclusive.
/// </summary>
internal sealed class RangeLockFile : IDisposable
{
    private const int FOfdSetLk = 37;
    private const short FRdLck = 0, FWrLck = 1, FUnLck = 2;
    private const int EAgain = 11, EAcces = 13;

    private readonly FileStream _stream;
    private bool _ofd = OperatingSystem.IsLinux();

    private RangeLockFile(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;
    public bool CanWrite => _stream.CanWrite;

    /// <summary>Opens (creating if needed) the file for reading and writing; exclusive locks need a writable descriptor.</summary>
    public static RangeLockFile OpenWritable(string path) =>
        new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));

    /// <summary>Opens an existing file for reading: shared locks only.</summary>
    public static RangeLockFile OpenReadOnly(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));

    /// <summary>Takes the lock on the byte at <paramref name="offset"/> if nobody holds a conflicting one; never waits.</summary>
    public bool TryLock(long offset, bool exclusive)
    {
        if (_ofd)
        {
            var result = Fcntl(offset, exclusive ? FWrLck : FRdLck);
            if (result == 0) return true;
            if (result is EAgain or EAcces) return false;
            // EINVAL: a kernel or file system without OFD locks; fall back to what .NET offers.
            _ofd = false;
        }
        try
        {
            _stream.Lock(offset, 1);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Unlock(long offset)
    {
        if (_ofd)
        {
            Fcntl(offset, FUnLck);
            return;
        }
        try
        {
            _stream.Unlock(offset, 1);
        }
        catch (IOException)
        {
            // Not held: nothing to release.
        }
    }

    /// <summary>
    /// Takes the lock, polling until it is free. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// Polling (not a blocking wait) keeps a timeout possible; the waits here last one commit or one open.
    /// </summary>
    public void Lock(long offset, bool exclusive, TimeSpan timeout)
    {
        var start = Environment.TickCount64;
        var pause = 1;
        while (!TryLock(offset, exclusive))
        {
            if (Environment.TickCount64 - start > timeout.TotalMilliseconds) throw new TimeoutException();
            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 20);
        }
    }

    /// <summary>Replaces the file's text (the locks are on offsets far past it).</summary>
    public void WriteText(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        _stream.Position = 0;
        _stream.Write(bytes);
        _stream.SetLength(bytes.Length);
        _stream.Flush(flushToDisk: false);
    }

    public void Dispose() => _stream.Dispose();

    private int Fcntl(long offset, short type)
    {
        var flock = new Flock { Type = type, Whence = 0, Start = offset, Length = 1 };
        var handle = _stream.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return FcntlLock((int)handle.DangerousGetHandle(), FOfdSetLk, ref flock) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>glibc's <c>struct flock</c> on 64-bit Linux (x86-64 and arm64 share the layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole project; a blittable struct marshals fine.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int FcntlLock(int fd, int command, ref Flock flock);
#pragma warning restore SYSLIB1054
}
