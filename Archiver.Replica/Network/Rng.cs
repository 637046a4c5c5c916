namespace Archiver.Replica;

/// <summary>
/// Stateless hashing and a small seeded generator. Everything the replica serves is derived from
/// <c>(seed, entity, index)</c> through these, so any post can be rebuilt on demand, in any order.
/// </summary>
public static class Mix
{
    /// <summary>The SplitMix64 finaliser: a bijective scramble of 64 bits.</summary>
    public static ulong Scramble(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Of(ulong a, ulong b) => Scramble(Scramble(a) ^ (b * 0xD6E8FEB86659FD93UL));
    public static ulong Of(ulong a, ulong b, ulong c) => Of(Of(a, b), c);
    public static ulong Of(ulong a, ulong b, ulong c, ulong d) => Of(Of(Of(a, b), c), d);

    /// <summary>A stable string hash (FNV-1a over UTF-16), unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Of(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            h ^= ch;
            h *= 0x100000001B3UL;
        }
        return Scramble(h);
    }

    /// <summary>A value in [0, 1) from a hash.</summary>
    public static double Unit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));
}

/// <summary>A seeded sequence of pseudo-random numbers (SplitMix64); a value type, cheap to create per post.</summary>
public struct Rng(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, n).</summary>
    public int Int(int n) => n <= 1 ? 0 : (int)(Next() % (ulong)n);

    /// <summary>A value in [min, max].</summary>
    public int Between(int min, int max) => min + Int(max - min + 1);

    public double Unit() => Mix.Unit(Next());

    public bool Chance(double p) => Unit() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(items.Count)];
}
