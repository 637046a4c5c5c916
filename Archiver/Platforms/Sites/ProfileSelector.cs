using AngleSharp.Css.Dom;
using Archiver.Platforms.Sites.Fast;

namespace Archiver.Platforms.Sites;

/// <summary>A selector as written in a profile, compiled for both parsers (the fast one only when it supports it).</summary>
public sealed record ProfileSelector(string Text, ISelector Css, FastSelector? Fast)
{
    public override string ToString() => Text;
}
