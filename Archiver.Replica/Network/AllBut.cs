using System.Collections;

namespace Archiver.Replica;

/// <summary>
/// A list without one of its items, as a view: the "other channels" of each of N channels take O(1) memory each
/// instead of a copy of N-1 (10,000 channels made 10^8 entries), in the same order, so seeded picks are unchanged.
/// </summary>
public sealed class AllBut<T>(IReadOnlyList<T> all, int skip) : IReadOnlyList<T>
{
    public int Count => skip >= 0 ? all.Count - 1 : all.Count;

    public T this[int index] => (uint)index < (uint)Count ? all[skip >= 0 && index >= skip ? index + 1 : index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
