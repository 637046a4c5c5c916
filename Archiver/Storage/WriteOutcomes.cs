namespace Archiver.Storage;

/// <summary>
/// What one commit did with each record of a merged batch, by its place in the batch: lets the writer tell each
/// producer the outcome of its own part when it merged several into one transaction.
/// </summary>
internal sealed class WriteOutcomes(StoreBatch batch)
{
    [Flags]
    public enum Post : byte
    {
        None = 0,
        Inserted = 1,
        Unchanged = 2,
        Edited = 4,
        CountsUpdated = 8,
        Relabeled = 16,
    }

    private const Post ChangedPost = Post.Inserted | Post.Edited | Post.CountsUpdated | Post.Relabeled;

    public Post[] Posts { get; } = new Post[batch.Posts.Count];
    public bool[] Deleted { get; } = new bool[batch.Disappearances.Count];
    public bool[] Relabeled { get; } = new bool[batch.Relabels.Count];
    public bool[] AuthorsChanged { get; } = new bool[batch.Authors.Count];
    public bool[] MediaAdded { get; } = new bool[batch.Media.Count];

    /// <summary>The results of the parts a batch was merged from, in order: each part's records are a run of the merged lists.</summary>
    public StoreBatchResult[] Split(StoreBatch merged, IReadOnlyList<StoreBatch> parts, long sequence)
    {
        var results = new StoreBatchResult[parts.Count];
        int post = 0, gone = 0, label = 0, author = 0, media = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            int inserted = 0, unchanged = 0, edited = 0, counts = 0, relabeled = 0, deleted = 0, authors = 0, added = 0;
            var changed = new List<string>();
            for (var end = post + part.Posts.Count; post < end; post++)
            {
                var outcome = Posts[post];
                if ((outcome & Post.Inserted) != 0) inserted++;
                if ((outcome & Post.Unchanged) != 0) unchanged++;
                if ((outcome & Post.Edited) != 0) edited++;
                if ((outcome & Post.CountsUpdated) != 0) counts++;
                if ((outcome & Post.Relabeled) != 0) relabeled++;
                if ((outcome & ChangedPost) != 0) changed.Add(merged.Posts[post].Post.Key);
            }
            for (var end = gone + part.Disappearances.Count; gone < end; gone++)
            {
                if (!Deleted[gone]) continue;
                deleted++;
                changed.Add(merged.Disappearances[gone].Key);
            }
            for (var end = label + part.Relabels.Count; label < end; label++)
            {
                if (!Relabeled[label]) continue;
                relabeled++;
                changed.Add(merged.Relabels[label].Key);
            }
            for (var end = author + part.Authors.Count; author < end; author++) if (AuthorsChanged[author]) authors++;
            for (var end = media + part.Media.Count; media < end; media++) if (MediaAdded[media]) added++;
            results[p] = new StoreBatchResult
            {
                Sequence = sequence,
                Inserted = inserted,
                Unchanged = unchanged,
                Edited = edited,
                CountsUpdated = counts,
                Deleted = deleted,
                Relabeled = relabeled,
                AuthorsChanged = authors,
                MediaAdded = added,
                ChangedKeys = changed.Distinct(StringComparer.Ordinal).ToList(),
            };
        }
        return results;
    }
}
