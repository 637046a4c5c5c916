using Archiver.Capturing;
using Archiver.Tests.Support;

namespace Archiver.Tests.Capturing;

public sealed class MediaStoreTests
{
    [Fact]
    public void Stores_bytes_under_their_sha256_split_into_two_level_folders()
    {
        using var dir = new TempArchive();
        var store = new MediaStore(dir.Path, maxBytes: 1000);
        var stored = store.Store("abc"u8, "image/jpeg; charset=binary", "http://x.test/a.jpg")!;
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", stored.Sha256);
        Assert.Equal("media/ba/78/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.jpg", stored.RelativePath);
        Assert.Equal("image/jpeg", stored.Mime);
        Assert.True(stored.IsNew);
        Assert.Equal("abc", File.ReadAllText(store.FullPath(stored.RelativePath)));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Stores_the_same_bytes_once()
    {
        using var dir = new TempArchive();
        var store = new MediaStore(dir.Path, maxBytes: 1000);
        var first = store.Store("same"u8, "image/png", null)!;
        var second = store.Store("same"u8, "image/png", "http://other.test/copy.png")!;
        Assert.False(second.IsNew);
        Assert.Equal(first.RelativePath, second.RelativePath);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "media"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Refuses_files_over_the_size_limit_and_leaves_nothing_behind()
    {
        using var dir = new TempArchive();
        var store = new MediaStore(dir.Path, maxBytes: 3);
        Assert.Null(store.Store("toolong"u8, "video/mp4", null));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "media"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Takes_the_extension_from_the_url_when_the_type_is_unknown()
    {
        using var dir = new TempArchive();
        var store = new MediaStore(dir.Path, maxBytes: 1000);
        Assert.EndsWith(".ogv", store.Store("v"u8, "application/x-unknown", "http://x.test/clip.OGV?size=2")!.RelativePath);
        Assert.EndsWith(".bin", store.Store("w"u8, null, "http://x.test/download")!.RelativePath);
    }
}
