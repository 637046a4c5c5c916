using Archiver.Replica;
using Archiver.Storage;

namespace Archiver.Benchmarks;

/// <summary>
/// Compares a crawled archive with the replica's ground truth for the crawled Telegram channels: the
/// per-channel post counts the store keeps, and a sample of truth posts looked up by key with their text.
/// </summary>
internal sealed record TruthCheck(long Expected, long Archived, int ChannelsWrong, int Sampled, int SampleMissing, int SampleWrong)
{
    private const int SampleEvery = 97;

    public bool Ok => Expected == Archived && ChannelsWrong == 0 && SampleMissing == 0 && SampleWrong == 0;

    public string Summary =>
        $"{Archived:N0} telegram posts archived, the replica served {Expected:N0}; channels with a wrong count {ChannelsWrong}; " +
        $"{Sampled:N0} sampled posts looked up: {SampleMissing} missing, {SampleWrong} with other text — {(Ok ? "OK" : "MISMATCH")}";

    public static TruthCheck Run(string directory, ReplicaTruth truth, IReadOnlyList<TelegramChannel> channels)
    {
        using var store = ArchiveStore.Open(directory, readOnly: true);
        var counters = store.Counters;
        long expected = 0, archived = counters.ByPlatform.GetValueOrDefault("telegram");
        int wrong = 0, sampled = 0, missing = 0, different = 0;
        long seen = 0;
        foreach (var channel in channels)
        {
            long count = 0;
            foreach (var post in truth.TelegramPosts(channel))
            {
                count++;
                if (seen++ % SampleEvery != 0) continue;
                sampled++;
                var stored = store.GetPost(post.Key);
                if (stored is null) missing++;
                else if (stored.Post.Text != post.Text) different++;
            }
            expected += count;
            if (counters.ByChannel.GetValueOrDefault($"telegram:{channel.Name}") != count) wrong++;
        }
        return new TruthCheck(expected, archived, wrong, sampled, missing, different);
    }
}
