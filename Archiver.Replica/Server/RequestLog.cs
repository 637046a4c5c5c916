using System.Collections.Concurrent;

namespace Archiver.Replica;

/// <summary>One request the replica answered (status 0: the connection was reset).</summary>
public sealed record ServedRequest(long Sequence, OriginKind Origin, string Method, string PathAndQuery, int Status, FaultKind Fault, DateTimeOffset At);

/// <summary>What the replica served: counters always, and the latest requests (bounded) when enabled.</summary>
public sealed class RequestLog(bool keepRequests, int capacity = 100_000)
{
    private readonly ConcurrentQueue<ServedRequest> recent = new();
    private readonly long[] perOrigin = new long[Enum.GetValues<OriginKind>().Length];
    private readonly ConcurrentDictionary<int, long> perStatus = new();
    private long sequence;
    private long bytes;

    public long Total => Interlocked.Read(ref sequence);
    public long Bytes => Interlocked.Read(ref bytes);
    public long CountFor(OriginKind origin) => Interlocked.Read(ref perOrigin[(int)origin]);
    public long CountOfStatus(int status) => perStatus.GetValueOrDefault(status);
    public IReadOnlyDictionary<int, long> ByStatus => new SortedDictionary<int, long>(perStatus);

    /// <summary>The kept requests, oldest first.</summary>
    public IReadOnlyList<ServedRequest> Requests => recent.ToArray();

    internal void Add(OriginKind origin, string method, string pathAndQuery, int status, FaultKind fault, DateTimeOffset at, long bodyBytes)
    {
        var n = Interlocked.Increment(ref sequence);
        Interlocked.Increment(ref perOrigin[(int)origin]);
        Interlocked.Add(ref bytes, bodyBytes);
        perStatus.AddOrUpdate(status, 1, static (_, v) => v + 1);
        if (!keepRequests) return;
        recent.Enqueue(new ServedRequest(n, origin, method, pathAndQuery, status, fault, at));
        while (recent.Count > capacity) recent.TryDequeue(out _);
    }

    public void Clear()
    {
        recent.Clear();
        perStatus.Clear();
        Array.Clear(perOrigin);
        Interlocked.Exchange(ref sequence, 0);
        Interlocked.Exchange(ref bytes, 0);
    }
}
