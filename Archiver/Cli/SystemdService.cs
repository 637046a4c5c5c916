using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace Archiver.Cli;

/// <summary>
/// What a <c>Type=notify</c> systemd unit expects of its process, through <c>$NOTIFY_SOCKET</c>: <c>READY=1</c> once
/// the service works, <c>STOPPING=1</c> when it begins to stop, and <c>WATCHDOG=1</c> at half the unit's
/// <c>WatchdogSec</c> (<c>$WATCHDOG_USEC</c>) when that is set. Outside systemd (no <c>$NOTIFY_SOCKET</c>) it does
/// nothing. The datagrams are sent by <see cref="SystemdNotifier"/> (Microsoft.Extensions.Hosting.Systemd), used here
/// without the generic host.
/// </summary>
public sealed class SystemdService : IDisposable
{
    private readonly SystemdNotifier? _notifier;
    private readonly ITimer? _watchdog;

    private SystemdService(SystemdNotifier? notifier, TimeSpan? watchdog, TimeProvider time)
    {
        _notifier = notifier;
        if (notifier is not null && watchdog is { } every)
            _watchdog = time.CreateTimer(_ => Send("WATCHDOG=1"), null, every, every);
    }

    /// <summary>From the environment systemd gives the process (nothing to do outside systemd).</summary>
    public static SystemdService FromEnvironment(TimeProvider? time = null)
    {
        var notifier = new SystemdNotifier();
        return new SystemdService(notifier.IsEnabled ? notifier : null, WatchdogInterval(), time ?? TimeProvider.System);
    }

    public bool IsEnabled => _notifier is not null;

    /// <summary>The service works (the unit is "active" from here); <paramref name="status"/> shows in <c>systemctl status</c>.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>The service is stopping (the unit is "deactivating" from here).</summary>
    public void Stopping() => Send("STOPPING=1");

    private void Send(string message)
    {
        try
        {
            _notifier?.Notify(new ServiceState(message));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // systemd went away or the socket is gone: the watch goes on (systemd handles its own side).
        }
    }

    /// <summary>Half of <c>$WATCHDOG_USEC</c>, as sd_watchdog_enabled(3) advises; none when it is meant for another process (<c>$WATCHDOG_PID</c>).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0) return null;
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    public void Dispose() => _watchdog?.Dispose();
}
