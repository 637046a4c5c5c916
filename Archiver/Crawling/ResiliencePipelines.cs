using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Archiver.Crawling;

/// <summary>
/// One Polly pipeline per host: retry with exponential backoff and jitter on 5xx, 408, 429 and connection
/// failures, obeying Retry-After and rate-limit reset headers (and pausing the whole host for that long);
/// a circuit breaker that stops hammering a dead host; a timeout per attempt.
/// </summary>
public sealed class ResiliencePipelines(CrawlOptions options, HostScheduler scheduler, CrawlCounters counters)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.OrdinalIgnoreCase);

    public ResiliencePipeline<HttpResponseMessage> For(HttpRequestMessage request) =>
        _pipelines.GetOrAdd(UrlCanonicalizer.HostKey(request.RequestUri!), Build);

    private ResiliencePipeline<HttpResponseMessage> Build(string host) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(ServerDelay(host, args.Outcome.Result)),
                OnRetry = args =>
                {
                    counters.AddRetry();
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.8,
                MinimumThroughput = 8,
                SamplingDuration = TimeSpan.FromSeconds(20),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = args => ValueTask.FromResult(IsHostFailure(args.Outcome)),
            })
            .AddTimeout(options.RequestTimeout)
            .Build();

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (IsRefused(outcome.Exception) || outcome.Exception is BrokenCircuitException) return false;
        if (outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException) return true;
        if (outcome.Result is not { } response) return false;
        var status = (int)response.StatusCode;
        if (status is 429 or 503 && RetryAfter(response) is { } wait && wait > options.MaxRetryAfter) return false;
        return status is 408 or 429 or >= 500 and not 501 and not 505;
    }

    private static bool IsHostFailure(Outcome<HttpResponseMessage> outcome) =>
        !IsRefused(outcome.Exception) && outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { } r && (int)r.StatusCode is 502 or 503 or 504;

    /// <summary>The guard's refusal arrives wrapped by SocketsHttpHandler; it is a verdict, not a failure to retry.</summary>
    public static bool IsRefused(Exception? e) => e is PrivateAddressException || e?.InnerException is PrivateAddressException;

    private TimeSpan? ServerDelay(string host, HttpResponseMessage? response)
    {
        if (response is null || (int)response.StatusCode is not (429 or 503)) return null;
        if (RetryAfter(response) is not { } wait) return null;
        scheduler.PauseHost(host, wait);
        counters.AddServerWait(wait);
        return wait;
    }

    /// <summary>Retry-After (seconds or HTTP date), else RateLimit-Reset / X-RateLimit-Reset (seconds or epoch).</summary>
    public TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var now = options.Time.GetUtcNow();
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta) return Clamp(delta);
            if (retry.Date is { } date) return Clamp(date - now);
        }
        foreach (var name in new[] { "RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset" })
        {
            if (!response.Headers.TryGetValues(name, out var values)) continue;
            if (!double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) continue;
            return Clamp(number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds((long)number) - now : TimeSpan.FromSeconds(number));
        }
        return null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    public static bool IsGoneStatus(HttpStatusCode status) => (int)status is 404 or 410 or 451;
}
