using Archiver.Model;

namespace Archiver.Languages;

/// <summary>
/// Gives each post the language it can honestly claim, where posts are stored from crawls and imports: the
/// platform's own language when it gives one, else the language the document declared (both set by the
/// parsers), else one detected from the text; the source is recorded in <see cref="Post.LanguageSource"/>.
/// Detection can be switched off with <c>ARCHIVER_LANGUAGE_DETECTION=off</c> (for comparisons and benchmarks).
/// </summary>
public sealed class PostLanguages
{
    /// <summary>The environment variable that switches detection off (<c>off</c>, <c>0</c> or <c>false</c>).</summary>
    public const string DetectionVariable = "ARCHIVER_LANGUAGE_DETECTION";

    private static readonly Lazy<PostLanguages> Detecting = new(() => new PostLanguages(new LanguageDetection()));
    private static readonly PostLanguages Declared = new(null);

    /// <summary>
    /// The process-wide labeller (one detector: Lingua's models are loaded once and shared), or one that only
    /// keeps platform and declared languages when the environment switches detection off. Read it once per
    /// page or chunk, not per post.
    /// </summary>
    public static PostLanguages Current => DetectionEnabledByEnvironment() ? Detecting.Value : Declared;

    private readonly LanguageDetection? _detection;

    /// <summary>
    /// Starts loading the detector's models in the background (when detection is on), so a crawl or import that
    /// opens its archive meanwhile does not wait for them at its first post.
    /// </summary>
    public static void Preload()
    {
        if (DetectionEnabledByEnvironment() && !Detecting.IsValueCreated) _ = Task.Run(() => Detecting.Value._detection!.Preload());
    }

    public PostLanguages(LanguageDetection? detection) => _detection = detection;

    public bool Detects => _detection is not null;

    public static bool DetectionEnabledByEnvironment() =>
        Environment.GetEnvironmentVariable(DetectionVariable)?.Trim().ToLowerInvariant() is not ("off" or "0" or "false" or "no");

    /// <summary>The post with its language and source filled in as far as it can be.</summary>
    public Post Label(Post post)
    {
        if (LanguageTags.IsLanguage(post.Language))
            return post.LanguageSource is null ? post with { LanguageSource = LanguageSources.Platform } : post;
        // "und", "zxx" and the like say there is no language to name: treat as none, and detect.
        if (post.Language is not null) post = post with { Language = null, LanguageSource = null };
        else if (post.LanguageSource is not null) post = post with { LanguageSource = null };
        if (_detection is null || !Detectable(post)) return post;
        var detected = _detection.Detect(post.Text);
        return detected is null ? post : post with { Language = detected, LanguageSource = LanguageSources.Detected };
    }

    /// <summary>Labels a list in place of a copy when nothing changes (the common case of posts that carry a language).</summary>
    public IReadOnlyList<Post> Label(IReadOnlyList<Post> posts)
    {
        List<Post>? labelled = null;
        for (var i = 0; i < posts.Count; i++)
        {
            var post = Label(posts[i]);
            if (labelled is null && !ReferenceEquals(post, posts[i])) labelled = [.. posts.Take(i)];
            labelled?.Add(post);
        }
        return labelled ?? posts;
    }

    /// <summary>Service messages are the platform's wording ("Channel photo updated"), not the author's.</summary>
    private static bool Detectable(Post post) => post.Kind != PostKinds.Service && post.Text.Length > 0;
}
