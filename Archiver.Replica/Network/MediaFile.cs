using System.Globalization;

namespace Archiver.Replica;

/// <summary>
/// A media file the replica serves under <c>/media/NAME</c>. The name encodes everything needed to rebuild
/// the bytes (a key, the size, the type), so any origin can serve any file without a lookup table.
/// </summary>
public sealed record MediaFile(ulong Key, int Width, int Height, string Extension)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Key:x16}-{Width}x{Height}.{Extension}");
    public string Path => "/media/" + Name;

    public string Mime => MimeOf(Extension);

    public static MediaFile Photo(ulong key, bool large) => large
        ? new MediaFile(key, 640, 480, "png")
        : new MediaFile(key, 24 + (int)(key % 5) * 8, 24 + (int)(key / 5 % 4) * 8, "png");

    public static MediaFile Video(ulong key) => new(key, 320, 240, "mp4");
    public static MediaFile Voice(ulong key) => new(key, 0, 0, "ogg");
    public static MediaFile Document(ulong key) => new(key, 0, 0, "pdf");

    public static string MimeOf(string extension) => extension switch
    {
        "png" => "image/png",
        "mp4" => "video/mp4",
        "ogg" => "audio/ogg",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    /// <summary>Reads a name back, e.g. <c>00ab...-32x24.png</c>; false for anything the replica did not make.</summary>
    public static bool TryParse(string name, out MediaFile file)
    {
        file = null!;
        var dash = name.IndexOf('-');
        var x = name.IndexOf('x', dash + 1);
        var dot = name.LastIndexOf('.');
        if (dash != 16 || x < 0 || dot < x) return false;
        if (!ulong.TryParse(name.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var key)) return false;
        if (!int.TryParse(name.AsSpan(dash + 1, x - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var w)) return false;
        if (!int.TryParse(name.AsSpan(x + 1, dot - x - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return false;
        var ext = name[(dot + 1)..];
        if (MimeOf(ext) == "application/octet-stream" || w > 2000 || h > 2000) return false;
        file = new MediaFile(key, w, h, ext);
        return file.Name == name;
    }
}
