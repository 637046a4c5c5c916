namespace Archiver.Tests.Capturing;

/// <summary>Test double: a clock that stands still, and record ids counted up from 1.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public static Func<Guid> CountingIds()
    {
        var n = 0;
        return () => new Guid($"00000000-0000-0000-0000-{++n:000000000000}");
    }
}
