using AngleSharp.Dom;

namespace Archiver.Platforms.Telegram;

/// <summary>
/// The elements of one subtree by class, in document order, from a single walk. A message is read through a few
/// dozen class lookups; answering them from one walk instead of one selector query each is what keeps a 20-post
/// page cheap.
/// </summary>
public sealed class ClassIndex
{
    private readonly Dictionary<string, List<IElement>> _byClass = new(StringComparer.Ordinal);

    /// <summary>Every element of the subtree carrying one of the indexed classes, in document order.</summary>
    public List<(IElement Element, string Class)> Ordered { get; } = [];

    public ClassIndex(IElement root, HashSet<string> classes)
    {
        var lookup = classes.GetAlternateLookup<ReadOnlySpan<char>>();
        Add(root, lookup);
        foreach (var element in root.Descendants<IElement>()) Add(element, lookup);
    }

    private void Add(IElement element, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> classes)
    {
        var names = element.ClassName;
        if (string.IsNullOrEmpty(names)) return;
        foreach (var range in names.AsSpan().Split(' '))
        {
            if (!classes.TryGetValue(names.AsSpan()[range], out var token)) continue;
            if (!_byClass.TryGetValue(token, out var list)) _byClass[token] = list = [];
            list.Add(element);
            Ordered.Add((element, token));
        }
    }

    public IElement? First(string cls) => _byClass.TryGetValue(cls, out var list) ? list[0] : null;

    public IReadOnlyList<IElement> All(string cls) => _byClass.TryGetValue(cls, out var list) ? list : [];

    /// <summary>Whether <paramref name="element"/> lies inside an element with class <paramref name="cls"/> (below the indexed root).</summary>
    public static bool IsInside(IElement element, string cls)
    {
        for (var parent = element.ParentElement; parent is not null; parent = parent.ParentElement)
        {
            if (parent.ClassList.Contains(cls)) return true;
            if (parent.ClassList.Contains("tgme_widget_message")) return false;
        }
        return false;
    }
}
