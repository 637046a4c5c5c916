namespace Archiver.Search;

/// <summary>How times are indexed: whole seconds since the Unix epoch, UTC.</summary>
public static class TimeCodec
{
    public static long ToSeconds(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    }

    public static DateTime FromSeconds(long seconds) => DateTime.UnixEpoch.AddSeconds(seconds);
}
