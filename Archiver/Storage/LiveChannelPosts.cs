using System.Globalization;
using Archiver.Model;

namespace Archiver.Storage;

/// <summary>
/// The live (not deleted) posts of the channels a crawl checks listings of, held in memory by numeric id.
/// A listing check asks "which archived posts in ids from..to did this page not show?" once per page; reading
/// the channel from the store each time made a channel's crawl cost the square of its size (measured with
/// bench crawl-replica: 0.5 ms of store time per post without the check, 2.8 ms with it at 5k posts per channel).
/// Loaded once per channel, then kept in step by the writer: posts stored add, disappearances remove.
/// </summary>
internal sealed class LiveChannelPosts
{
    private readonly Dictionary<(string Platform, string Host, string Channel), Channel> _channels = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// One channel's live posts as numeric ids: 8 bytes a post where native ids are "&lt;id&gt;" (Mastodon) or
    /// "&lt;channel&gt;/&lt;id&gt;" (Telegram); their keys are rebuilt when a range is asked for. Holding the key and
    /// native id strings in sorted sets and lists cost about 400 bytes a post, the largest part of a long
    /// crawl's memory (bench crawl-replica: 600 MiB peak at 400,000 posts).
    /// </summary>
    private sealed class Channel(string keyPrefix, string name)
    {
        private readonly IdList _plain = new();
        private readonly IdList _slashed = new();
        // Any other form, as written (none on the platforms Archiver knows).
        private readonly Dictionary<string, long> _other = new(StringComparer.Ordinal);

        public void Add(string nativeId)
        {
            if (NumericId(nativeId) is not { } id) return;
            if (IsDecimal(nativeId, id)) _plain.Add(id);
            else if (IsSlashed(nativeId, id)) _slashed.Add(id);
            else _other.TryAdd(nativeId, id);
        }

        /// <summary>Removes the post with this key, when it is one of this channel's.</summary>
        public void Remove(string key)
        {
            if (!key.StartsWith(keyPrefix, StringComparison.Ordinal)) return;
            var nativeId = key[keyPrefix.Length..];
            if (NumericId(nativeId) is not { } id) return;
            if (IsDecimal(nativeId, id)) _plain.Remove(id);
            else if (IsSlashed(nativeId, id)) _slashed.Remove(id);
            else _other.Remove(nativeId);
        }

        public void CopyRange(long fromId, long toId, List<(string Key, string NativeId)> into)
        {
            foreach (var id in _plain.Between(fromId, toId)) Emit(id.ToString(CultureInfo.InvariantCulture));
            foreach (var id in _slashed.Between(fromId, toId)) Emit(string.Concat(name, "/", id.ToString(CultureInfo.InvariantCulture)));
            foreach (var (nativeId, id) in _other)
            {
                if (id >= fromId && id <= toId) Emit(nativeId);
            }

            void Emit(string nativeId) => into.Add((keyPrefix + nativeId, nativeId));
        }

        private bool IsSlashed(string nativeId, long id) =>
            nativeId.Length > name.Length + 1 && nativeId.StartsWith(name, StringComparison.Ordinal) && nativeId[name.Length] == '/'
            && IsDecimal(nativeId.AsSpan(name.Length + 1), id);

        private static bool IsDecimal(ReadOnlySpan<char> text, long id)
        {
            Span<char> digits = stackalloc char[20];
            return id.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture) && text.SequenceEqual(digits[..n]);
        }
    }

    /// <summary>
    /// Distinct ids, kept in descending order: a crawl stores a channel newest first, so most ids are
    /// appended, and only a re-crawl's newer posts are inserted further up.
    /// </summary>
    private sealed class IdList
    {
        private long[] _ids = [];
        private int _count;

        public void Add(long id)
        {
            var at = Find(id);
            if (at < _count && _ids[at] == id) return;
            if (_count == _ids.Length) Array.Resize(ref _ids, Math.Max(16, _count * 2));
            Array.Copy(_ids, at, _ids, at + 1, _count - at);
            _ids[at] = id;
            _count++;
        }

        public void Remove(long id)
        {
            var at = Find(id);
            if (at == _count || _ids[at] != id) return;
            Array.Copy(_ids, at + 1, _ids, at, _count - at - 1);
            _count--;
        }

        public IEnumerable<long> Between(long fromId, long toId)
        {
            for (var i = Find(toId); i < _count && _ids[i] >= fromId; i++) yield return _ids[i];
        }

        /// <summary>The first position whose id is not greater than <paramref name="id"/>.</summary>
        private int Find(long id)
        {
            if (_count == 0 || _ids[_count - 1] > id) return _count;
            int low = 0, high = _count;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (_ids[mid] > id) low = mid + 1;
                else high = mid;
            }
            return low;
        }
    }

    /// <summary>The id a listing orders posts by: the last path segment of the native id when it is a number.</summary>
    public static long? NumericId(string nativeId)
    {
        var slash = nativeId.LastIndexOf('/');
        var last = slash < 0 ? nativeId.AsSpan() : nativeId.AsSpan(slash + 1);
        return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>Live posts of a channel with a numeric id in [fromId, toId]; <paramref name="load"/> fills a channel seen for the first time.</summary>
    public List<(string Key, string NativeId)> InRange(string platform, string host, string channel, long fromId, long toId,
        Func<IEnumerable<(string Key, string NativeId)>> load)
    {
        lock (_lock)
        {
            var id = (platform.ToLowerInvariant(), host.ToLowerInvariant(), channel);
            if (!_channels.TryGetValue(id, out var live))
            {
                live = new Channel(PostKey.Of(platform, host, ""), channel);
                foreach (var (_, nativeId) in load()) live.Add(nativeId);
                _channels[id] = live;
            }
            var result = new List<(string Key, string NativeId)>();
            if (fromId > toId) return result;
            live.CopyRange(fromId, toId, result);
            return result;
        }
    }

    /// <summary>The name an account's posts are held under (by author id), apart from any channel's name.</summary>
    public static string AuthorChannel(string authorId) => "\u0001author:" + authorId;

    /// <summary>Keeps loaded channels in step with a committed batch.</summary>
    public void Apply(StoreBatch batch)
    {
        lock (_lock)
        {
            if (_channels.Count == 0) return;
            foreach (var observation in batch.Posts)
            {
                var post = observation.Post;
                if (post.Channel is not null
                    && _channels.TryGetValue((post.Platform.ToLowerInvariant(), post.Host.ToLowerInvariant(), post.Channel), out var live))
                    live.Add(post.NativeId);
                if (post.AuthorId is not null
                    && _channels.TryGetValue((post.Platform.ToLowerInvariant(), post.Host.ToLowerInvariant(), AuthorChannel(post.AuthorId)), out var byAuthor))
                    byAuthor.Add(post.NativeId);
            }
            foreach (var gone in batch.Disappearances)
            {
                if (gone.Kind != DisappearanceKind.Post) continue;
                foreach (var live in _channels.Values) live.Remove(gone.Key);
            }
        }
    }

    /// <summary>Forgets everything (after a failed write the store's state is not known here).</summary>
    public void Clear()
    {
        lock (_lock) _channels.Clear();
    }
}
