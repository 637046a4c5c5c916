using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Replica;

/// <summary>
/// One loopback origin: a Kestrel server whose single request delegate applies the faults and takedowns,
/// serves robots.txt and media, asks the origin's handler for everything else, and logs what it answered.
/// </summary>
internal sealed class OriginServer : IAsyncDisposable
{
    private const int CacheLimit = 4096;
    private readonly ReplicaState state;
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Reply> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> entityRequests = new(StringComparer.OrdinalIgnoreCase);
    private volatile IOriginHandler? handler;
    private long requestNumber;

    private OriginServer(OriginKind kind, ReplicaState state, WebApplication app)
    {
        Kind = kind;
        this.state = state;
        this.app = app;
    }

    public OriginKind Kind { get; }
    public Uri Url { get; private set; } = null!;

    public static async Task<OriginServer> StartAsync(OriginKind kind, int port, ReplicaState state, CancellationToken ct)
    {
        // No configuration files are read, so none are watched: by default each origin would put a recursive
        // inotify watch on the working directory (thousands of directories under /tmp) and wake up for every
        // file written below it, the crawler's own WARC and store writes included.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Archiver.Replica",
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.AddServerHeader = false;
            // Slow bodies are the point of the "slow" fault; do not let Kestrel cut them.
            o.Limits.MinResponseDataRate = null;
            o.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var server = new OriginServer(kind, state, app);
        app.Run(server.ServeAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ArchiverException($"Cannot listen on 127.0.0.1:{port} for the {kind} origin: {e.Message}. Choose another --port (0 picks free ports).", e);
        }
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public void Attach(IOriginHandler originHandler) => handler = originHandler;

    /// <summary>Count requests about each entity from zero again (for a takedown after N requests from now).</summary>
    public void ResetTakedownCounters()
    {
        entityRequests.Clear();
        cache.Clear();
    }

    /// <summary>Forget cached answers and takedown counters (after a version or fault switch).</summary>
    public void Reset(bool counters)
    {
        cache.Clear();
        if (counters)
        {
            entityRequests.Clear();
            Interlocked.Exchange(ref requestNumber, 0);
        }
    }

    private async Task ServeAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var path = request.Path.Value ?? "/";
        var pathAndQuery = path + request.QueryString.Value;
        var now = state.Time.GetUtcNow();
        if (path.StartsWith("/__replica/", StringComparison.Ordinal))
        {
            var control = await ControlAsync(path, request, now, ctx.RequestAborted);
            await WriteAsync(ctx, control, slow: false, FaultPlan.None);
            state.Log.Add(Kind, request.Method, pathAndQuery, control.Status, FaultKind.None, now, control.Body.Length);
            return;
        }
        if (path == "/robots.txt")
        {
            await WriteAsync(ctx, Reply.Robots(), slow: false, FaultPlan.None);
            state.Log.Add(Kind, request.Method, pathAndQuery, 200, FaultKind.None, now, 0);
            return;
        }
        var plan = state.Faults.For(Kind);
        var n = Interlocked.Increment(ref requestNumber);
        var (fault, faultStatus) = FaultDraw.Decide(state.Seed, Kind, n, plan);
        if (plan.Latency > TimeSpan.Zero) await Task.Delay(plan.Latency, state.Time, ctx.RequestAborted);

        Reply reply;
        switch (fault)
        {
            case FaultKind.Reset:
                state.Log.Add(Kind, request.Method, pathAndQuery, 0, fault, now, 0);
                ctx.Abort();
                return;
            case FaultKind.TooMany:
                reply = Reply.Text("Too Many Requests\n", 429);
                ctx.Response.Headers["Retry-After"] = (1 + n % 3).ToString(CultureInfo.InvariantCulture);
                break;
            case FaultKind.Error:
                reply = Reply.Html($"<html><body><h1>{faultStatus} {ReasonPhrase(faultStatus)}</h1></body></html>\n", faultStatus);
                break;
            default:
                reply = Answer(request, path, pathAndQuery, plan, now);
                break;
        }
        if (IsApi && reply.Status != 401) RateLimitHeaders(ctx, n, now);
        await WriteAsync(ctx, reply, fault == FaultKind.Slow, plan);
        state.Log.Add(Kind, request.Method, pathAndQuery, reply.Status, fault, now, reply.Body.Length);
    }

    private bool IsApi => Kind is OriginKind.Mastodon or OriginKind.TruthSocial or OriginKind.Gab;

    private Reply Answer(HttpRequest request, string path, string pathAndQuery, FaultPlan plan, DateTimeOffset now)
    {
        if (handler is null) return Reply.Text("Starting\n", 503);
        if (request.Method is not ("GET" or "HEAD")) return Reply.Text("Method Not Allowed\n", 405);
        if (path.StartsWith("/private/", StringComparison.Ordinal)) return Reply.Private();
        if (path.StartsWith("/media/", StringComparison.Ordinal))
            return MediaFile.TryParse(path[7..], out var file) ? new Reply(200, file.Mime, MediaBytes.Get(file)) : Reply.NotFound();

        if (Takedown(request, path, plan, now) is { } gone) return gone;

        var view = state.ViewAt(now);
        var version = view.Version.ToString(CultureInfo.InvariantCulture);
        if (state.Evolution is { } evolution)
        {
            if (handler.Entity(path, request.Query) is { } entity && evolution.GoneStatus(Kind, entity, view.AtMs) is { } status) return GoneReply(status);
            // Pages change only when something happens: the number of changes so far names the state.
            version = string.Concat(version, "@", evolution.Epoch(view.AtMs).ToString(CultureInfo.InvariantCulture));
        }
        var authorized = !state.AuthRequired.Contains(Kind) || request.Headers.Authorization.Count > 0;
        var key = string.Concat(version, authorized ? "|a|" : "|-|", pathAndQuery);
        if (cache.TryGetValue(key, out var cached)) return cached;
        var reply = handler.Handle(new HttpRequestInfo(path, request.Query, authorized, view));
        if (reply.Cacheable && reply.Status == 200)
        {
            // Bounded: a crawl of a large network asks for millions of distinct pages; keep the hot ones only.
            if (cache.Count >= CacheLimit) cache.Clear();
            cache[key] = reply;
        }
        return reply;
    }

    private Reply? Takedown(HttpRequest request, string path, FaultPlan plan, DateTimeOffset now)
    {
        var takedowns = state.TakedownsFor(Kind, plan);
        if (takedowns.Count == 0) return null;
        var entity = handler!.Entity(path, request.Query);
        if (entity is null) return null;
        var count = entityRequests.AddOrUpdate(entity, 1, static (_, v) => v + 1);
        foreach (var t in takedowns)
        {
            if (!string.Equals(t.Target, entity, StringComparison.OrdinalIgnoreCase) || !t.IsActive(count, now)) continue;
            return GoneReply(t.Status);
        }
        return null;
    }

    /// <summary>What a taken-down channel or account answers: the API's JSON error, or a page saying the content is gone.</summary>
    private Reply GoneReply(int status) => IsApi
        ? Reply.JsonError(status == 451 ? "Unavailable for legal reasons" : status == 410 ? "This account has been suspended" : "Record not found", status)
        : Reply.Html($"<!DOCTYPE html>\n<html><head><title>{status} {ReasonPhrase(status)}</title></head><body><h1>{ReasonPhrase(status)}</h1><p>This content is no longer available.</p></body></html>\n", status);

    /// <summary>
    /// The evolving replica's own endpoints, on every origin: <c>/__replica/now</c> (the simulated time) and
    /// <c>/__replica/changes[?until=ISO-TIME]</c> (the truth's changes up to then, default now, as JSON lines).
    /// </summary>
    private async Task<Reply> ControlAsync(string path, HttpRequest request, DateTimeOffset now, CancellationToken ct)
    {
        if (state.Network is not { Evolution: not null } network || state.Endpoints is not { } endpoints) return Reply.NotFound();
        if (path == "/__replica/now")
            return Reply.Json(System.Text.Encoding.UTF8.GetBytes($"{{\"now\":\"{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"}}"));
        if (path != "/__replica/changes") return Reply.NotFound();
        var until = now;
        if (request.Query.TryGetValue("until", out var text)
            && !DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out until))
            return Reply.Text("until must be an ISO 8601 time\n", 400);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        await new ReplicaTruth(network, endpoints, state.ViewAt(now)).WriteChangesAsync(writer, until.ToUnixTimeMilliseconds(), ct);
        return new Reply(200, "application/x-ndjson; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(writer.ToString()));
    }

    private static void RateLimitHeaders(HttpContext ctx, long n, DateTimeOffset now)
    {
        const int limit = 300;
        var headers = ctx.Response.Headers;
        headers["X-RateLimit-Limit"] = "300";
        headers["X-RateLimit-Remaining"] = (limit - 1 - (n - 1) % limit).ToString(CultureInfo.InvariantCulture);
        var utc = now.UtcDateTime;
        var reset = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute - utc.Minute % 5, 0, DateTimeKind.Utc).AddMinutes(5);
        headers["X-RateLimit-Reset"] = reset.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    private async Task WriteAsync(HttpContext ctx, Reply reply, bool slow, FaultPlan plan)
    {
        var response = ctx.Response;
        response.StatusCode = reply.Status;
        response.ContentType = reply.EffectiveContentType;
        response.ContentLength = reply.Body.Length;
        if (reply.Link is { } link) response.Headers["Link"] = link;
        if (ctx.Request.Method == "HEAD") return;
        if (!slow)
        {
            await response.Body.WriteAsync(reply.Body, ctx.RequestAborted);
            return;
        }
        // Trickle: sixteen pieces with a pause between them.
        var piece = Math.Max(1, (reply.Body.Length + 15) / 16);
        for (var offset = 0; offset < reply.Body.Length; offset += piece)
        {
            await response.Body.WriteAsync(reply.Body.Slice(offset, Math.Min(piece, reply.Body.Length - offset)), ctx.RequestAborted);
            await response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(plan.SlowPieceDelay, state.Time, ctx.RequestAborted);
        }
    }

    private static string ReasonPhrase(int status) => status switch
    {
        404 => "Not Found",
        410 => "Gone",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
