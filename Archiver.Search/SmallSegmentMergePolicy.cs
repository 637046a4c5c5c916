using Lucene.Net.Index;

namespace Archiver.Search;

/// <summary>
/// Tiered merging, and the small segments merged together once more than a few pile up. A live writer (a watcher's
/// checks, each committed on its own) flushes one small segment per commit, and <see cref="TieredMergePolicy"/>
/// leaves ten of them below its floor size before it merges any. Every query pays per segment (a term lookup for each
/// term in each), so on a served archive those tiny segments cost as much per query as the big ones.
/// </summary>
internal sealed class SmallSegmentMergePolicy : TieredMergePolicy
{
    /// <summary>A segment below this size (bytes) counts as small.</summary>
    public long SmallBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>How many small segments may stand before they are merged into one.</summary>
    public int MaxSmall { get; init; } = 3;

    public override MergeSpecification? FindMerges(MergeTrigger mergeTrigger, SegmentInfos infos)
    {
        var tiered = base.FindMerges(mergeTrigger, infos);
        if (tiered is not null) return tiered;
        var merging = m_writer.Get().MergingSegments;
        var small = new List<SegmentCommitInfo>();
        foreach (var info in infos.Segments)
            if (!merging.Contains(info) && Size(info) < SmallBytes) small.Add(info);
        if (small.Count <= MaxSmall) return null;
        var spec = new MergeSpecification();
        spec.Add(new OneMerge(small));
        return spec;
    }
}
