using Archiver.Model;

namespace Archiver.Tests.Storage;

public sealed class PostKeyTests
{
    [Fact]
    public void Key_is_platform_host_and_native_id_with_platform_and_host_lower_cased()
    {
        Assert.Equal("telegram:t.me:Durov/12", PostKey.Of("Telegram", "T.ME", "Durov/12"));
    }

    [Fact]
    public void Key_round_trips_through_parse_even_when_the_native_id_contains_colons()
    {
        Assert.True(PostKey.TryParse("mastodon:mastodon.social:a:b", out var parts));
        Assert.Equal(("mastodon", "mastodon.social", "a:b"), parts);
    }
}
