using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Archiver.Replica;
using Archiver.Tests.Support;

namespace Archiver.Tests.EndToEnd;

/// <summary>
/// <c>watch run</c> under a <c>Type=notify</c> systemd unit, with systemd's side played by the test: a unix datagram
/// socket in <c>$NOTIFY_SOCKET</c> receives READY=1 before the first check, WATCHDOG=1 pings while it runs
/// (<c>$WATCHDOG_USEC</c>), and STOPPING=1 after SIGTERM; the watcher then exits 0.
/// </summary>
public sealed class WatchSystemdTests
{
    [Fact]
    public async Task Watch_run_tells_systemd_it_is_ready_before_the_first_check_pings_the_watchdog_and_says_stopping_on_sigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempArchive();
        await using var replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 5, Size = ReplicaSize.Small, LogRequests = false }, ct);
        var seeds = replica.Seeds.Where(s => s.StartsWith("telegram:", StringComparison.Ordinal)).Take(2).ToList();
        var add = await Support.Cli.RunAsync(["watch", "add", .. seeds, "--data", dir.Path]);
        Assert.True(add.ExitCode == 0, add.Error);

        var socketPath = Path.Combine(Path.GetTempPath(), $"archiver-notify-{Guid.NewGuid():N}.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            // One sequence for what systemd receives and what the watcher prints, to compare their order.
            var sequence = 0;
            var received = new List<(int At, string Message)>();
            var lines = new List<(int At, string Line)>();
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reading = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                while (!stopReading.IsCancellationRequested)
                {
                    int n;
                    try
                    {
                        n = await socket.ReceiveAsync(buffer, SocketFlags.None, stopReading.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    var message = Encoding.UTF8.GetString(buffer, 0, n);
                    lock (received) received.Add((Interlocked.Increment(ref sequence), message));
                }
            }, CancellationToken.None);

            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { ArchiverProcess.Dll, "watch", "run", "--data", dir.Path, "--allow-private", "--no-media", "--rate", "4", "--baseline-pages", "1" })
                info.ArgumentList.Add(a);
            info.Environment["NOTIFY_SOCKET"] = socketPath;
            info.Environment["WATCHDOG_USEC"] = "1000000"; // WatchdogSec=1s: a ping every half second
            using var watcher = Process.Start(info)!;
            var errors = watcher.StandardError.ReadToEndAsync(ct);
            var output = Task.Run(async () =>
            {
                while (await watcher.StandardOutput.ReadLineAsync(ct) is { } line)
                    lock (lines) lines.Add((Interlocked.Increment(ref sequence), line));
            }, ct);

            bool FirstCheckPrinted()
            {
                lock (lines) return lines.Any(l => l.Line.Contains(" telegram:", StringComparison.Ordinal) && l.Line.Contains("next check", StringComparison.Ordinal));
            }
            int Pings()
            {
                lock (received) return received.Count(r => r.Message == "WATCHDOG=1");
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (!FirstCheckPrinted() || Pings() < 2)
            {
                Assert.False(watcher.HasExited, $"the watcher ended (exit {(watcher.HasExited ? watcher.ExitCode : 0)})");
                Assert.True(DateTime.UtcNow < deadline, "no check line or no watchdog pings in time");
                await Task.Delay(50, ct);
            }
            int beforeTerm;
            lock (received) beforeTerm = received.Count;
            Assert.DoesNotContain(received.Take(beforeTerm), r => r.Message.StartsWith("STOPPING=1", StringComparison.Ordinal));

            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", watcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
                await kill.WaitForExitAsync(ct);
            await watcher.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            await output;
            await Task.Delay(200, ct); // the last datagram, if any, is in the socket already
            await stopReading.CancelAsync();
            await reading;

            Assert.True(watcher.ExitCode == 0, $"exit {watcher.ExitCode}: {await errors}");
            var ready = received.Single(r => r.Message.StartsWith("READY=1", StringComparison.Ordinal));
            Assert.Contains("STATUS=watching 2 entries", ready.Message);
            var firstCheck = lines.First(l => l.Line.Contains(" telegram:", StringComparison.Ordinal) && l.Line.Contains("next check", StringComparison.Ordinal));
            Assert.True(ready.At < firstCheck.At, $"READY=1 came after the first check line: {string.Join(" | ", received.Select(r => r.Message))}");
            var stoppingMessages = received.Where(r => r.Message == "STOPPING=1").ToList();
            Assert.Single(stoppingMessages);
            Assert.True(received.IndexOf(stoppingMessages[0]) >= beforeTerm, "STOPPING=1 was sent before SIGTERM");
            Assert.Contains(lines, l => l.Line.Contains("; stopped", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(socketPath);
        }
    }
}
