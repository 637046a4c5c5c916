using System.Runtime.InteropServices;

namespace Archiver.Inputs;

/// <summary>
/// Tells regular files from FIFOs, sockets and devices before anything opens them: opening a FIFO for reading
/// blocks until a writer appears (forever, if none does), and a device such as /dev/zero never ends. .NET shows
/// neither apart from a file (both "exist", with length 0), so on Linux this asks the kernel (statx).
/// </summary>
public static class InputFiles
{
    /// <summary>True for a regular file (after following links); true too where the type cannot be asked.</summary>
    public static bool IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return true; // missing files are reported by the caller
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
        // struct statx: stx_mode (u16) sits at byte 28 on every Linux architecture.
        var mode = BitConverter.ToUInt16(buffer, 28);
        return (mode & FileTypeMask) == RegularFile;
    }

    /// <summary>The refusal for a non-regular input read without a format.</summary>
    public static UsageException NotRegular(string path) =>
        new($"{path} is not a regular file (a FIFO, socket or device): reading it could wait forever or never end. "
            + "Give --format (corpus, parler, snscrape, twarc, mastodon, jsonl) to read it as a stream of lines, or save it to a file first.");

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
