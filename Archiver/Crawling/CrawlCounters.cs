using System.Diagnostics;

namespace Archiver.Crawling;

/// <summary>Running totals of a crawl, updated from every stage (thread-safe), read by the progress display.</summary>
public sealed class CrawlCounters
{
    private long _pages, _posts, _authors, _media, _mediaBytes, _bytes, _errors, _retries, _serverWaitTicks;
    private long _robotsBlocked, _outOfScope, _gone, _redirects, _edited, _deleted, _skippedBrowser;
    private readonly long[] _stageTicks = new long[5];
    private readonly long[] _stageItems = new long[5];

    public long Pages => Interlocked.Read(ref _pages);
    public long Posts => Interlocked.Read(ref _posts);
    public long Authors => Interlocked.Read(ref _authors);
    public long Media => Interlocked.Read(ref _media);
    public long MediaBytes => Interlocked.Read(ref _mediaBytes);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Errors => Interlocked.Read(ref _errors);
    public long Retries => Interlocked.Read(ref _retries);
    public TimeSpan ServerWait => TimeSpan.FromTicks(Interlocked.Read(ref _serverWaitTicks));
    public long RobotsBlocked => Interlocked.Read(ref _robotsBlocked);
    public long OutOfScope => Interlocked.Read(ref _outOfScope);
    public long Gone => Interlocked.Read(ref _gone);
    public long Redirects => Interlocked.Read(ref _redirects);
    public long Edited => Interlocked.Read(ref _edited);
    public long Deleted => Interlocked.Read(ref _deleted);
    public long SkippedBrowser => Interlocked.Read(ref _skippedBrowser);

    public void AddPage(long bytes)
    {
        Interlocked.Increment(ref _pages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddPosts(int n) => Interlocked.Add(ref _posts, n);
    public void AddAuthors(int n) => Interlocked.Add(ref _authors, n);
    public void AddMedia(long bytes)
    {
        Interlocked.Increment(ref _media);
        Interlocked.Add(ref _mediaBytes, bytes);
    }
    public void AddError() => Interlocked.Increment(ref _errors);
    public void AddRetry() => Interlocked.Increment(ref _retries);
    public void AddServerWait(TimeSpan wait) => Interlocked.Add(ref _serverWaitTicks, wait.Ticks);
    public void AddRobotsBlocked() => Interlocked.Increment(ref _robotsBlocked);
    public void AddOutOfScope() => Interlocked.Increment(ref _outOfScope);
    public void AddGone() => Interlocked.Increment(ref _gone);
    public void AddRedirect() => Interlocked.Increment(ref _redirects);
    public void AddStoreResult(int edited, int deleted)
    {
        Interlocked.Add(ref _edited, edited);
        Interlocked.Add(ref _deleted, deleted);
    }
    public void AddSkippedBrowser() => Interlocked.Increment(ref _skippedBrowser);

    /// <summary>Times a stage's work on one item; the totals show where a crawl spends its time.</summary>
    public StageTimer Time(CrawlStage stage) => new(this, stage, Stopwatch.GetTimestamp());

    /// <summary>Adds time a stage spent that a <see cref="Time"/> scope cannot measure (a wait minus another stage's part of it).</summary>
    public void AddStageTime(CrawlStage stage, TimeSpan time)
    {
        Interlocked.Add(ref _stageTicks[(int)stage], (long)(time.TotalSeconds * Stopwatch.Frequency));
        Interlocked.Increment(ref _stageItems[(int)stage]);
    }

    public TimeSpan StageTime(CrawlStage stage) => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _stageTicks[(int)stage]));
    public long StageItems(CrawlStage stage) => Interlocked.Read(ref _stageItems[(int)stage]);

    public readonly struct StageTimer(CrawlCounters counters, CrawlStage stage, long start) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Add(ref counters._stageTicks[(int)stage], Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref counters._stageItems[(int)stage]);
        }
    }
}

public enum CrawlStage { Fetch, Capture, Parse, Store, Frontier }
