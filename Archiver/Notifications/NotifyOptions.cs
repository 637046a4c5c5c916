using Archiver.Model;

namespace Archiver.Notifications;

/// <summary>
/// Where the <see cref="EventNotifier"/> delivers events: a line on standard output, a webhook, an Atom feed. What
/// <c>watch run --notify-url URL --notify-secret-file FILE</c> (or <c>ARCHIVER_NOTIFY_SECRET</c>) fills in.
/// </summary>
public sealed record NotifyOptions
{
    /// <summary>A JSON POST per event to this URL (http or https), retried with backoff until it answers 2xx.</summary>
    public Uri? Url { get; init; }
    /// <summary>The HMAC-SHA256 key of the <c>X-Archiver-Signature</c> header; read with <see cref="ReadSecret"/>, never from the command line.</summary>
    public string? Secret { get; init; }
    /// <summary>The Atom feed of the last <see cref="AtomEntries"/> events, atomically replaced; null for none (e.g. <c>ARCHIVE/events.atom</c>).</summary>
    public string? AtomPath { get; init; }
    public bool Stdout { get; init; }
    public int AtomEntries { get; init; } = 100;
    /// <summary>Longest wait for the webhook's answer (headers and body) before the attempt counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>First wait after a failed delivery; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How often the store is looked at when no commit wakes the notifier (<see cref="EventNotifier.Wake"/>).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Environment variable the webhook secret may come from.</summary>
    public const string SecretVariable = "ARCHIVER_NOTIFY_SECRET";

    /// <summary>The webhook secret: the first line of <paramref name="file"/> if given, else <see cref="SecretVariable"/>, else none.</summary>
    public static string? ReadSecret(string? file)
    {
        if (!string.IsNullOrEmpty(file))
        {
            if (!File.Exists(file)) throw new UsageException($"--notify-secret-file '{file}' does not exist.");
            var line = File.ReadLines(file).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(line) ? throw new UsageException($"--notify-secret-file '{file}' is empty.") : line;
        }
        return Environment.GetEnvironmentVariable(SecretVariable) is { Length: > 0 } secret ? secret : null;
    }

    /// <summary>A usage error for a URL that is not absolute http(s).</summary>
    public static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--notify-url '{text}' is not an http(s) URL.");
}
