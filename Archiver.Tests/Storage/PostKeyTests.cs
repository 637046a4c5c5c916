using Archiver.Model;

namespace Archiver.Tests.Storage;

public sealed class PostKeyTests
{
    [Fact]
    public void Key_is_platform_host_and_native_id_with_platform_and_host_lower_cased()
    {
        Assert.Equal("telegram:t.me:Durov/12", PostKey.Of("Telegram", "T.ME", "Durov/12"));
    }
}
