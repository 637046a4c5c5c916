using System.Globalization;

namespace Archiver.Replica;

/// <summary>A channel, account, thread or page that stops answering normally: at once, after N requests to it, or from a moment.</summary>
public sealed record Takedown(string Target, int Status = 451, long? AfterRequests = null, DateTimeOffset? At = null)
{
    public bool IsActive(long requestsSoFar, DateTimeOffset now) =>
        (AfterRequests is null || requestsSoFar > AfterRequests) && (At is null || now >= At);
}

/// <summary>What goes wrong on one origin. Rates are shares of requests, drawn from a seeded generator per origin.</summary>
public sealed record FaultPlan
{
    public TimeSpan Latency { get; init; }
    /// <summary>Share of 500/502/503 answers.</summary>
    public double Error { get; init; }
    /// <summary>Share of connections aborted before any byte of the answer.</summary>
    public double Reset { get; init; }
    /// <summary>Share of 429 answers with a Retry-After header.</summary>
    public double TooMany { get; init; }
    /// <summary>Share of answers whose body trickles out in small pieces.</summary>
    public double Slow { get; init; }
    public TimeSpan SlowPieceDelay { get; init; } = TimeSpan.FromMilliseconds(40);
    public IReadOnlyList<Takedown> Takedowns { get; init; } = [];

    public static readonly FaultPlan None = new();

    public bool IsNone => Latency == TimeSpan.Zero && Error == 0 && Reset == 0 && TooMany == 0 && Slow == 0 && Takedowns.Count == 0;
}

/// <summary>Fault plans for all origins, with overrides per origin; parsed from <c>--faults</c>.</summary>
public sealed record FaultSettings
{
    public FaultPlan All { get; init; } = FaultPlan.None;
    public IReadOnlyDictionary<OriginKind, FaultPlan> ByOrigin { get; init; } = new Dictionary<OriginKind, FaultPlan>();

    public static readonly FaultSettings None = new();

    public FaultPlan For(OriginKind origin) => ByOrigin.TryGetValue(origin, out var plan) ? plan : All;

    /// <summary>
    /// Parses <c>latency=50ms,error=0.1,reset=0.02,429=0.05,slow=0.01,takedown=chan@after:100</c>. A key may name
    /// one origin (<c>gab.error=0.5</c>); takedowns take <c>@after:N</c>, <c>@at:ISO-TIME</c> and a status
    /// (<c>@410</c>, default 451). Several takedowns: repeat the key.
    /// </summary>
    public static FaultSettings Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return None;
        var global = new FaultPlan();
        var scoped = new List<(OriginKind Origin, string Key, string Value)>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new UsageException($"Bad fault '{part}': expected key=value (e.g. error=0.1).");
            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            var dot = key.IndexOf('.');
            if (dot > 0)
            {
                if (!Enum.TryParse<OriginKind>(key[..dot], ignoreCase: true, out var origin))
                    throw new UsageException($"Bad fault '{part}': unknown origin '{key[..dot]}' (telegram, mastodon, truthsocial, gab, feeds, forum, js).");
                scoped.Add((origin, key[(dot + 1)..], value));
            }
            else global = Apply(global, key, value, part);
        }
        var byOrigin = new Dictionary<OriginKind, FaultPlan>();
        foreach (var (origin, key, value) in scoped)
            byOrigin[origin] = Apply(byOrigin.GetValueOrDefault(origin, global), key, value, $"{origin}.{key}={value}");
        return new FaultSettings { All = global, ByOrigin = byOrigin };
    }

    private static FaultPlan Apply(FaultPlan plan, string key, string value, string part) => key switch
    {
        "latency" => plan with { Latency = Duration(value, part) },
        "error" => plan with { Error = Rate(value, part) },
        "reset" => plan with { Reset = Rate(value, part) },
        "429" => plan with { TooMany = Rate(value, part) },
        "slow" => plan with { Slow = Rate(value, part) },
        "slowdelay" => plan with { SlowPieceDelay = Duration(value, part) },
        "takedown" => plan with { Takedowns = [.. plan.Takedowns, ParseTakedown(value, part)] },
        _ => throw new UsageException($"Bad fault '{part}': unknown key '{key}' (latency, error, reset, 429, slow, slowdelay, takedown)."),
    };

    private static double Rate(string value, string part) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r : throw new UsageException($"Bad fault '{part}': the rate must be a number between 0 and 1.");

    private static TimeSpan Duration(string value, string part)
    {
        var (digits, scale) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0) : (value, 1.0);
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? TimeSpan.FromMilliseconds(v * scale) : throw new UsageException($"Bad fault '{part}': expected a duration like 50ms or 2s.");
    }

    private static Takedown ParseTakedown(string value, string part)
    {
        var pieces = value.Split('@');
        if (pieces[0].Length == 0) throw new UsageException($"Bad fault '{part}': takedown needs a channel or account name.");
        var takedown = new Takedown(pieces[0].TrimStart('#'));
        foreach (var piece in pieces.Skip(1))
        {
            if (piece.StartsWith("after:", StringComparison.OrdinalIgnoreCase) && long.TryParse(piece[6..], CultureInfo.InvariantCulture, out var n) && n >= 0)
                takedown = takedown with { AfterRequests = n };
            else if (piece.StartsWith("at:", StringComparison.OrdinalIgnoreCase)
                     && DateTimeOffset.TryParse(piece[3..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                takedown = takedown with { At = at };
            else if (int.TryParse(piece, CultureInfo.InvariantCulture, out var status) && status is 404 or 410 or 451)
                takedown = takedown with { Status = status };
            else throw new UsageException($"Bad fault '{part}': takedown takes @after:N, @at:TIME or @404/@410/@451.");
        }
        return takedown;
    }
}

public enum FaultKind { None, Reset, TooMany, Error, Slow }

/// <summary>The deterministic draw for request number n of an origin: same seed, same sequence, same faults.</summary>
public static class FaultDraw
{
    public static (FaultKind Kind, int Status) Decide(ulong seed, OriginKind origin, long n, FaultPlan plan)
    {
        if (plan.Reset == 0 && plan.TooMany == 0 && plan.Error == 0 && plan.Slow == 0) return (FaultKind.None, 0);
        var rng = new Rng(Mix.Of(seed, 0xFA17, (ulong)origin, (ulong)n));
        if (rng.Unit() < plan.Reset) return (FaultKind.Reset, 0);
        if (rng.Unit() < plan.TooMany) return (FaultKind.TooMany, 429);
        if (rng.Unit() < plan.Error) return (FaultKind.Error, rng.Pick([500, 502, 503]));
        if (rng.Unit() < plan.Slow) return (FaultKind.Slow, 0);
        return (FaultKind.None, 0);
    }
}
