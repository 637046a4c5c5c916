using Archiver.Platforms.Common;

namespace Archiver.Tests.Platforms.Common;

public sealed class TextEntitiesTests
{
    [Fact]
    public void Finds_hashtags_in_any_script_without_the_hash() =>
        Assert.Equal(["یادداشت_مهمان", "Белгород", "tag2"], TextEntities.Hashtags("#یادداشت_مهمان x #Белгород, #tag2 a#no #123").ToList());

    [Fact]
    public void Finds_mentions_with_and_without_hosts() =>
        Assert.Equal(["anna_news", "user@example.social"], TextEntities.Mentions("by @anna_news and @user@example.social, not a@b.c").ToList());

    [Fact]
    public void Keeps_the_first_of_duplicates_in_order() =>
        Assert.Equal(["b", "a"], TextEntities.Distinct(["b", null, "a", "b", ""]));

    [Fact]
    public void Trims_trailing_punctuation_from_bare_urls() =>
        Assert.Equal(["https://a.example/x", "http://b.example/y?z=1"], TextEntities.Urls("see https://a.example/x. and (http://b.example/y?z=1)").ToList());
}
