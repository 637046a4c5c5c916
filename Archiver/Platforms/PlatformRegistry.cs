using Archiver.Model;

namespace Archiver.Platforms;

/// <summary>The platforms Archiver knows, in the order seeds are tried. Register a new network here.</summary>
public sealed class PlatformRegistry
{
    private readonly IReadOnlyList<IPlatform> _platforms;

    public PlatformRegistry(IEnumerable<IPlatform> platforms) => _platforms = platforms.ToList();

    public IReadOnlyList<IPlatform> All => _platforms;

    public IPlatform? Find(string name) =>
        _platforms.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool TryParseSeed(string text, out Seed seed, out IPlatform? platform)
    {
        foreach (var candidate in _platforms)
        {
            if (candidate.TryParseSeed(text, out seed))
            {
                platform = candidate;
                return true;
            }
        }
        seed = null!;
        platform = null;
        return false;
    }

    public IPlatform? ForUrl(Uri url) => _platforms.FirstOrDefault(p => p.CanParse(url));
}
