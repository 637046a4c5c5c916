using System.Collections.Concurrent;

namespace Archiver.Platforms.Sites;

/// <summary>
/// The profiles a run can use: every <c>*.json</c> in the profile directories (shipped ones next to the
/// binary, then <c>$ARCHIVER_PROFILES</c>), plus any file named by path in a seed. Later directories override
/// earlier ones by name, so a user fixes a shipped profile by dropping an edited copy in their own folder.
/// </summary>
public sealed class SiteProfileCatalog
{
    private readonly ConcurrentDictionary<string, SiteProfile> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _loadErrors = [];

    public SiteProfileCatalog(IEnumerable<string> directories)
    {
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    var profile = SiteProfileLoader.Load(file);
                    _byName[profile.Name] = profile;
                }
                catch (SiteProfileException e)
                {
                    // One broken file must not disable the others; `archiver profile test` shows the reason.
                    _loadErrors.Add(e.Message);
                }
            }
        }
    }

    public static IEnumerable<string> DefaultDirectories()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "profiles");
        var extra = Environment.GetEnvironmentVariable("ARCHIVER_PROFILES");
        if (string.IsNullOrWhiteSpace(extra)) yield break;
        foreach (var dir in extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return dir;
    }

    public static SiteProfileCatalog CreateDefault() => new(DefaultDirectories());

    public IReadOnlyCollection<SiteProfile> All => _byName.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> LoadErrors => _loadErrors;

    /// <summary>A profile by name, or by path to a JSON file (loaded once and remembered under its name).</summary>
    public SiteProfile Resolve(string nameOrPath)
    {
        if (_byName.TryGetValue(nameOrPath, out var known)) return known;
        if (LooksLikePath(nameOrPath))
        {
            var full = Path.GetFullPath(nameOrPath);
            if (_byName.TryGetValue(full, out var loaded)) return loaded;
            if (!File.Exists(full)) throw new SiteProfileException($"Site profile file {full} does not exist.");
            var profile = SiteProfileLoader.Load(full);
            _byName[full] = profile;
            _byName.TryAdd(profile.Name, profile);
            return profile;
        }
        var names = string.Join(", ", All.Select(p => p.Name));
        throw new SiteProfileException($"No site profile named \"{nameOrPath}\" (known: {(names.Length == 0 ? "none" : names)}); give a name or a path to a .json file.");
    }

    public SiteProfile? Find(string nameOrPath) => _byName.GetValueOrDefault(nameOrPath)
        ?? (LooksLikePath(nameOrPath) ? _byName.GetValueOrDefault(Path.GetFullPath(nameOrPath)) : null);

    public SiteProfile? ForUrl(Uri url) => All.FirstOrDefault(p => p.Matches(url));

    public void Add(SiteProfile profile) => _byName[profile.Name] = profile;

    private static bool LooksLikePath(string text) =>
        text.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.Contains('/') || text.Contains('\\');
}
