using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Notifications;

/// <summary>
/// Delivers the archive's events (<see cref="ArchiveStore.ReadEvents"/>) to each configured sink once: a line on
/// standard output, a webhook, an Atom feed. It only reads the store and runs beside the writer on tasks of its
/// own: a failing or hanging webhook delays nothing but its own deliveries. Each sink keeps a delivery cursor
/// (the last event it took, in the store's event order) in <c>ARCHIVE/notify-state.json</c>, saved after each
/// delivery, so a restart (also after kill -9) resumes after the last delivered event. An event delivered but
/// killed before its cursor was saved is delivered again: receivers dedupe by the event id (docs/events.md).
/// </summary>
public sealed class EventNotifier : IDisposable
{
    private readonly ArchiveStore _store;
    private readonly NotifyOptions _options;
    private readonly TextWriter? _stdout;
    private readonly TextWriter _log;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private readonly DeliveryCursors _cursors;
    private readonly List<SemaphoreSlim> _signals = [];
    private Action? _detach;
    private long _webhookDelivered, _webhookAttempts, _stdoutDelivered, _atomWrites;

    /// <param name="store">The store to read events from: the session's own (in the writer's process) or a snapshot.</param>
    /// <param name="stdout">Where the standard-output lines go (when <see cref="NotifyOptions.Stdout"/>).</param>
    /// <param name="log">Where delivery problems are reported (stderr); they never stop the notifier.</param>
    /// <param name="handler">The HTTP handler for the webhook (tests); a pooled <see cref="SocketsHttpHandler"/> by default.</param>
    public EventNotifier(ArchiveStore store, NotifyOptions options, TextWriter? stdout = null, TextWriter? log = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        _store = store;
        _options = options;
        _stdout = stdout;
        _log = log ?? TextWriter.Null;
        _time = time ?? TimeProvider.System;
        _cursors = new DeliveryCursors(Path.Combine(store.Paths.Root, "notify-state.json"));
        if (options.Url is not null)
        {
            _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("archiver-notify/0.1");
        }
    }

    /// <summary>A notifier for a writing session, woken by each of its writer's commits.</summary>
    public static EventNotifier For(ArchiveSession session, NotifyOptions options, TextWriter? stdout = null, TextWriter? log = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        var notifier = new EventNotifier(session.Store, options, stdout, log, handler, time);
        void OnCommit(StoreBatchResult _) => notifier.Wake();
        session.Writer.Committed += OnCommit;
        notifier._detach = () => session.Writer.Committed -= OnCommit;
        return notifier;
    }

    public long WebhookDelivered => Interlocked.Read(ref _webhookDelivered);
    public long WebhookAttempts => Interlocked.Read(ref _webhookAttempts);
    public long StdoutDelivered => Interlocked.Read(ref _stdoutDelivered);
    public long AtomWrites => Interlocked.Read(ref _atomWrites);

    /// <summary>Tells every sink to look for new events now (never blocks: call it from the writer's commit callback).</summary>
    public void Wake()
    {
        lock (_signals)
        {
            foreach (var signal in _signals)
            {
                if (signal.CurrentCount == 0)
                {
                    try
                    {
                        signal.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Another wake got there first: one pending wake is enough.
                    }
                }
            }
        }
    }

    /// <summary>Runs every configured sink until <paramref name="ct"/> is cancelled (then returns normally).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var sinks = new List<Task>();
        if (_options.Stdout && _stdout is not null) sinks.Add(RunSinkAsync("stdout", DeliverStdoutAsync, ct));
        if (_options.Url is { } url) sinks.Add(RunSinkAsync("webhook " + url.AbsoluteUri, DeliverWebhookAsync, ct));
        if (_options.AtomPath is { } atom) sinks.Add(RunSinkAsync("atom " + Path.GetFullPath(atom), DeliverAtomAsync, ct));
        await Task.WhenAll(sinks).ConfigureAwait(false);
    }

    private IEnumerable<string> SinkNames()
    {
        if (_options.Stdout && _stdout is not null) yield return "stdout";
        if (_options.Url is { } url) yield return "webhook " + url.AbsoluteUri;
        if (_options.AtomPath is { } atom) yield return "atom " + Path.GetFullPath(atom);
    }

    /// <summary>
    /// Waits until every sink has taken every event recorded so far, or <paramref name="timeout"/> passed (false):
    /// how a one-off pass (<c>watch run --once</c>) lets its events out before it exits. A webhook that is down keeps
    /// its events for the next run, which resumes from its cursor.
    /// </summary>
    public async Task<bool> WaitDeliveredAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + timeout;
        Wake();
        while (true)
        {
            if (SinkNames().All(name => Pending(name).Count == 0)) return true;
            if (_time.GetUtcNow() >= deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, ct).ConfigureAwait(false);
        }
    }

    private async Task RunSinkAsync(string name, Func<string, IReadOnlyList<ArchiveEvent>, CancellationToken, Task> deliver, CancellationToken ct)
    {
        var signal = new SemaphoreSlim(0, 1);
        lock (_signals) _signals.Add(signal);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var pending = Pending(name);
                    if (pending.Count > 0 || name.StartsWith("atom ", StringComparison.Ordinal)) await deliver(name, pending, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or LiteDB.LiteException)
                {
                    // A full disk or a busy file: report it and try again at the next wake.
                    await _log.WriteLineAsync($"notify ({name}): {e.Message}").ConfigureAwait(false);
                }
                try
                {
                    await signal.WaitAsync(_options.PollInterval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            lock (_signals) _signals.Remove(signal);
        }
    }

    /// <summary>The events after the sink's cursor, in the store's order.</summary>
    private List<ArchiveEvent> Pending(string sink)
    {
        var cursor = _cursors.Get(sink);
        var events = _store.ReadEvents(cursor is null ? 0 : cursor.Sequence - 1);
        return cursor is null ? [.. events] : events.Where(e => cursor.IsBefore(e)).ToList();
    }

    private async Task DeliverStdoutAsync(string sink, IReadOnlyList<ArchiveEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            await _stdout!.WriteLineAsync(EventText.Line(e).AsMemory(), ct).ConfigureAwait(false);
            Interlocked.Increment(ref _stdoutDelivered);
        }
        await _stdout!.FlushAsync(ct).ConfigureAwait(false);
        _cursors.Set(sink, DeliveryCursor.Of(events[^1]));
    }

    private async Task DeliverWebhookAsync(string sink, IReadOnlyList<ArchiveEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            await PostUntilAcceptedAsync(e, ct).ConfigureAwait(false);
            // Saved per event: a kill repeats at most the one event being delivered.
            _cursors.Set(sink, DeliveryCursor.Of(e));
        }
    }

    /// <summary>
    /// POSTs the event until the receiver answers 2xx, waiting <see cref="NotifyOptions.FirstBackoff"/> doubled per
    /// failure (capped at <see cref="NotifyOptions.MaxBackoff"/>) after a 5xx, 408, 429, timeout or network error.
    /// Any other 4xx is a refusal that retrying cannot change: reported and skipped (the event stays in the archive).
    /// </summary>
    private async Task PostUntilAcceptedAsync(ArchiveEvent e, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(EventJson.From(e), EventText.Json);
        var signature = _options.Secret is { } secret ? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)) : null;
        var backoff = _options.FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            string failure;
            using (var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) })
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add("X-Archiver-Event", e.Id);
                request.Headers.Add("X-Archiver-Event-Type", EventText.Name(e.Type));
                request.Headers.Add("Idempotency-Key", e.Id);
                if (signature is not null) request.Headers.Add("X-Archiver-Signature", signature);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.RequestTimeout);
                Interlocked.Increment(ref _webhookAttempts);
                try
                {
                    using var response = await _http!.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    if (status is >= 200 and < 300)
                    {
                        Interlocked.Increment(ref _webhookDelivered);
                        return;
                    }
                    if (status is >= 400 and < 500 and not 408 and not 429)
                    {
                        await _log.WriteLineAsync($"notify webhook: {_options.Url} refused event {e.Id} with HTTP {status}; skipped (it stays in `archiver events`).").ConfigureAwait(false);
                        return;
                    }
                    failure = $"HTTP {status}";
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    failure = $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s";
                }
                catch (HttpRequestException x)
                {
                    failure = x.Message;
                }
            }
            await _log.WriteLineAsync($"notify webhook: event {e.Id} attempt {attempt} failed ({failure}); retrying in {backoff.TotalSeconds:0.##} s.").ConfigureAwait(false);
            await Task.Delay(backoff, _time, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private List<ArchiveEvent>? _recent;

    private Task DeliverAtomAsync(string sink, IReadOnlyList<ArchiveEvent> events, CancellationToken ct)
    {
        var path = Path.GetFullPath(_options.AtomPath!);
        if (events.Count == 0 && File.Exists(path) && _recent is not null) return Task.CompletedTask;
        if (_recent is null)
        {
            // The feed is rebuilt from the store on start: it is derived, and the newest events are in the archive.
            var all = _store.ReadEvents();
            _recent = all.Skip(Math.Max(0, all.Count - _options.AtomEntries)).ToList();
        }
        else
        {
            _recent.AddRange(events);
            if (_recent.Count > _options.AtomEntries) _recent.RemoveRange(0, _recent.Count - _options.AtomEntries);
        }
        AtomFeed.Write(path, _store.Paths.Root, _recent, _time.GetUtcNow().UtcDateTime);
        Interlocked.Increment(ref _atomWrites);
        if (_recent.Count > 0) _cursors.Set(sink, DeliveryCursor.Of(_recent[^1]));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _detach?.Invoke();
        _http?.Dispose();
    }
}
