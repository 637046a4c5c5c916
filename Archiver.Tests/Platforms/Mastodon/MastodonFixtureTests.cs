namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>
/// Every Mastodon.py cassette body, parsed as the answer to the request _INDEX.tsv records. The expected ids, kinds
/// and requests were read from the JSON itself: a reblog yields its original and then the wrapper, a quote yields
/// the quoted status and then the quoting one, a timeline asks for the next page (Link rel="next") and for the
/// thread of each status with replies and the history of each edited one.
/// </summary>
public sealed class MastodonFixtureTests
{
    public static readonly TheoryData<string, string, string, string, string, string> Cases = new()
    {
        { "test_status__00_POST_api_v1_statuses.json", "117020583223442465:post", "117020565966271181", "", "", "" },
        { "test_status__01_GET_api_v1_statuses_117020583223442465.json", "117020583223442465:post", "117020565966271181", "", "", "" },
        { "test_status__02_DELETE_api_v1_statuses_117020583223442465.json", "117020583223442465:post", "117020565966271181", "", "", "" },
        { "test_status_card__00_POST_api_v1_statuses.json", "117020609135389699:post", "117020565966271181", "", "", "" },
        { "test_status_card__01_GET_api_v1_statuses_117020609135389699.json", "117020609135389699:post", "117020565966271181", "", "", "" },
        { "test_status_card__02_DELETE_api_v1_statuses_117020609135389699.json", "117020609135389699:post", "117020565966271181", "", "", "" },
        { "test_status_context__00_POST_api_v1_statuses.json", "117020585487094447:post", "117020565966271181", "", "", "" },
        { "test_status_context__01_GET_api_v1_statuses_117020585487094447_context.json", "", "", "", "", "" },
        { "test_status_context__02_DELETE_api_v1_statuses_117020585487094447.json", "117020585487094447:post", "117020565966271181", "", "", "" },
        { "test_status_edit__00_POST_api_v1_statuses.json", "117020586180926938:post", "117020566092212359", "", "", "" },
        { "test_status_edit__01_GET_api_v1_statuses_117020586180926938_history.json", "117020586180926938:post", "", "", "", "" },
        { "test_status_edit__02_PUT_api_v1_statuses_117020586180926938.json", "117020586180926938:post", "117020566092212359", "", "", "" },
        { "test_status_edit__03_GET_api_v1_statuses_117020586180926938.json", "117020586180926938:post", "117020566092212359", "", "", "" },
        { "test_status_edit__04_GET_api_v1_statuses_117020586180926938_history.json", "117020586180926938:post;117020586180926938:post", "", "", "", "" },
        { "test_status_edit__05_GET_api_v1_statuses_117020586180926938_source.json", "", "", "", "", "" },
        { "test_polls__00_POST_api_v1_statuses.json", "117020582690282017:post", "117020565693913441", "", "", "" },
        { "test_polls__01_POST_api_v1_polls_1_votes.json", "", "", "", "", "" },
        { "test_polls__02_GET_api_v1_polls_1.json", "", "", "", "", "" },
        { "test_polls__03_POST_api_v1_polls_1_votes.json", "", "", "", "", "" },
        { "test_polls__04_GET_api_v1_polls_1.json", "", "", "", "", "" },
        { "test_polls__05_DELETE_api_v1_statuses_117020582690282017.json", "117020582690282017:post", "117020565693913441", "", "", "" },
        { "test_status_reply__00_POST_api_v1_statuses.json", "117020583245459824:post", "117020566092212359", "", "", "" },
        { "test_status_reply__01_GET_api_v1_accounts_verify_credentials.json", "", "117020565693913441", "", "", "" },
        { "test_status_reply__02_POST_api_v1_statuses.json", "117020583258292382:reply", "117020565693913441", "", "", "" },
        { "test_status_reply__03_DELETE_api_v1_statuses_117020583258292382.json", "117020583258292382:reply", "117020565693913441", "", "", "" },
        { "test_status_reply__04_DELETE_api_v1_statuses_117020583245459824.json", "117020583245459824:post", "117020566092212359", "", "", "" },
        { "test_status_reblog_unreblog__00_POST_api_v1_statuses.json", "117020586019094258:post", "117020565966271181", "", "", "" },
        { "test_status_reblog_unreblog__01_POST_api_v1_statuses_117020586019094258_reblog.json", "117020586019094258:post;117020586027094262:reblog", "117020565966271181", "", "", "" },
        { "test_status_reblog_unreblog__02_POST_api_v1_statuses_117020586019094258_unreblog.json", "117020586019094258:post", "117020565966271181", "", "", "" },
        { "test_status_reblog_unreblog__03_DELETE_api_v1_statuses_117020586019094258.json", "117020586019094258:post", "117020565966271181", "", "", "" },
        { "test_id_hook_within_reblog__00_POST_api_v1_statuses.json", "117020574416668515:post", "117020565966271181", "", "", "" },
        { "test_id_hook_within_reblog__01_POST_api_v1_statuses_117020574416668515_reblog.json", "117020574416668515:post;117020574424543529:reblog", "117020565966271181", "", "", "" },
        { "test_id_hook_within_reblog__02_DELETE_api_v1_statuses_117020574424543529.json", "117020574416668515:post;117020574424543529:reblog", "117020565966271181", "", "", "" },
        { "test_id_hook_within_reblog__03_DELETE_api_v1_statuses_117020574416668515.json", "117020574416668515:post", "117020565966271181", "", "", "" },
        { "test_id_hook_in_reply_to__00_POST_api_v1_statuses.json", "117020574386452629:post", "117020565966271181", "", "", "" },
        { "test_id_hook_in_reply_to__01_POST_api_v1_statuses.json", "117020574393907247:reply", "117020565966271181", "", "", "" },
        { "test_id_hook_in_reply_to__02_DELETE_api_v1_statuses_117020574393907247.json", "117020574393907247:reply", "117020565966271181", "", "", "" },
        { "test_id_hook_in_reply_to__03_DELETE_api_v1_statuses_117020574386452629.json", "117020574386452629:post", "117020565966271181", "", "", "" },
        { "test_public_tl__00_POST_api_v1_statuses.json", "117020593378945190:post", "117020566092212359", "", "", "" },
        { "test_public_tl__01_GET_api_v2_instance.json", "", "", "", "", "" },
        { "test_public_tl__02_GET_api_v1_timelines_public.json", "117020593378945190:post;117020592137523525:post;117020590477318485:post;117020588242324937:post;117020588169351887:post;117020586180926938:post;117020582721532745:post;117020574694606796:post", "117020566092212359;117020565693913441", "", "", "http://localhost:3000/api/v1/timelines/public?max_id=117020574694606796;http://localhost:3000/api/v1/statuses/117020586180926938/history" },
        { "test_public_tl__03_GET_api_v1_timelines_public.json", "117020593378945190:post;117020592137523525:post;117020590477318485:post;117020588242324937:post;117020588169351887:post;117020586180926938:post;117020582721532745:post;117020574694606796:post", "117020566092212359;117020565693913441", "", "", "http://localhost:3000/api/v1/timelines/public?local=1&max_id=117020574694606796;http://localhost:3000/api/v1/statuses/117020586180926938/history" },
        { "test_public_tl__04_DELETE_api_v1_statuses_117020593378945190.json", "117020593378945190:post", "117020566092212359", "", "", "" },
        { "test_public_tl_anonymous__00_POST_api_v1_statuses.json", "117020593134559451:post", "117020566092212359", "", "", "" },
        { "test_public_tl_anonymous__01_GET_api_v2_instance.json", "", "", "", "", "" },
        { "test_public_tl_anonymous__02_GET_api_v1_timelines_public.json", "117020593134559451:post;117020592137523525:post;117020590477318485:post;117020588242324937:post;117020588169351887:post;117020586180926938:post;117020582721532745:post;117020574694606796:post", "117020566092212359;117020565693913441", "", "", "http://localhost:3000/api/v1/timelines/public?max_id=117020574694606796;http://localhost:3000/api/v1/statuses/117020586180926938/history" },
        { "test_public_tl_anonymous__03_DELETE_api_v1_statuses_117020593134559451.json", "117020593134559451:post", "117020566092212359", "", "", "" },
        { "test_hashtag_tl__00_POST_api_v1_statuses.json", "117020593741189701:post", "117020566092212359", "", "", "" },
        { "test_hashtag_tl__01_GET_api_v2_instance.json", "", "", "", "", "" },
        { "test_hashtag_tl__02_GET_api_v1_timelines_tag_hoot.json", "117020593741189701:post", "117020566092212359", "", "", "http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117020593741189701" },
        { "test_hashtag_tl__03_DELETE_api_v1_statuses_117020593741189701.json", "117020593741189701:post", "117020566092212359", "", "", "" },
        { "test_account__00_GET_api_v1_accounts_verify_credentials.json", "", "117020457910412882", "", "", "" },
        { "test_account__01_GET_api_v1_accounts_117020457910412882.json", "", "117020457910412882", "", "", "" },
        { "test_status_delete_media__00_POST_api_v1_statuses.json", "117020606020659979:post", "117020565966271181", "", "", "" },
        { "test_status_delete_media__01_POST_api_v2_media.json", "", "", "", "", "" },
        { "test_status_delete_media__02_POST_api_v1_statuses.json", "117020606035908211:post", "117020565966271181", "", "", "" },
        { "test_status_delete_media__03_DELETE_api_v1_statuses_117020606035908211.json", "117020606035908211:post", "117020565966271181", "", "", "" },
        { "test_status_delete_media__04_POST_api_v1_statuses.json", "117020606379845323:post", "117020565966271181", "", "", "" },
        { "test_status_delete_media__05_DELETE_api_v1_statuses_117020606379845323.json", "117020606379845323:post", "117020565966271181", "", "", "" },
        { "test_status_delete_media__06_POST_api_v1_statuses.json", "", "", "HTTP 422 from localhost:3000: メディア (117020606032533890) が存在しないか、すでに添付して投稿されています", "", "" },
        { "test_status_delete_media__07_DELETE_api_v1_statuses_117020606379845323.json", "", "", "", "mastodon:localhost:3000:117020606379845323", "" },
        { "test_status_delete_media__08_DELETE_api_v1_statuses_117020606020659979.json", "117020606020659979:post", "117020565966271181", "", "", "" },
        { "test_status_post_with_quote__00_POST_api_v1_statuses.json", "117020582917124092:post", "117020565966271181", "", "", "" },
        { "test_status_post_with_quote__01_POST_api_v1_statuses.json", "117020582917124092:post;117020582925004921:post", "117020565966271181", "", "", "" },
        { "test_status_post_with_quote__02_DELETE_api_v1_statuses_117020582925004921.json", "117020582917124092:post;117020582925004921:post", "117020565966271181", "", "", "" },
        { "test_status_post_with_quote__03_DELETE_api_v1_statuses_117020582917124092.json", "117020582917124092:post", "117020565966271181", "", "", "" },
        { "test_status_quotes__00_POST_api_v1_statuses.json", "117020582978354365:post", "117020565966271181", "", "", "" },
        { "test_status_quotes__01_GET_api_v1_statuses_117020582978354365_quotes.json", "", "", "", "", "" },
        { "test_status_quotes__02_DELETE_api_v1_statuses_117020582978354365.json", "117020582978354365:post", "117020565966271181", "", "", "" },
        { "test_search__00_GET_api_v2_search.json", "", "117020565966271181;117020566092212359", "", "", "" },
        { "test_search__01_GET_api_v2_search.json", "", "117020565966271181;117020566092212359", "", "", "" },
        { "test_search__02_GET_api_v2_search.json", "", "", "", "", "" },
        { "test_account_search__00_GET_api_v1_accounts_search.json", "", "117020457624302809;117020457767579295", "", "", "" },
        { "test_account_search__01_POST_api_v1_accounts_117020457624302809_follow.json", "", "", "", "", "" },
        { "test_account_search__02_GET_api_v1_accounts_search.json", "", "117020457624302809", "", "", "" },
        { "test_account_search__03_POST_api_v1_accounts_117020457624302809_unfollow.json", "", "", "", "", "" },
        { "test_account_search__04_GET_api_v1_accounts_search.json", "", "", "", "", "" },
        { "test_account_search__05_GET_api_v1_accounts_search.json", "", "117020457624302809;117020457767579295", "", "", "" },
        { "test_status_translate__00_POST_api_v1_statuses.json", "117020586753479005:post", "117020565966271181", "", "", "" },
        { "test_status_translate__01_POST_api_v1_statuses_117020586753479005_translate.json", "", "", "HTTP 404 from localhost:3000: Not Found", "", "" },
        { "test_status_translate__02_DELETE_api_v1_statuses_117020586753479005.json", "117020586753479005:post", "117020565966271181", "", "", "" },
        { "test_status_favourited_by__00_POST_api_v1_statuses.json", "117020585802289163:post", "117020565966271181", "", "", "" },
        { "test_status_favourited_by__01_POST_api_v1_statuses_117020585802289163_favourite.json", "117020585802289163:post", "117020565966271181", "", "", "" },
        { "test_status_favourited_by__02_GET_api_v1_statuses_117020585802289163_favourited_by.json", "", "117020565966271181", "", "", "" },
        { "test_status_favourited_by__03_DELETE_api_v1_statuses_117020585802289163.json", "117020585802289163:post", "117020565966271181", "", "", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_every_cassette_body(string file, string posts, string authors, string problem, string gone, string next)
    {
        var result = MastodonPages.Parse(file);

        Assert.Equal(posts, string.Join(";", result.Posts.Select(p => $"{p.NativeId}:{p.Kind}")));
        Assert.Equal(authors, string.Join(";", result.Authors.Select(a => a.NativeId)));
        Assert.Equal(problem, string.Join(";", result.Problems.Select(p => p.Reason)));
        Assert.Equal(gone, string.Join(";", result.Gone.Select(g => g.Key)));
        Assert.Equal(next, string.Join(";", result.Next.Select(n => n.Url.AbsoluteUri)));
        Assert.All(result.Posts, p => Assert.Equal(("mastodon", "localhost:3000"), (p.Platform, p.Host)));
        Assert.All(result.Posts.Where(p => p.CreatedAt is not null), p => Assert.Equal(DateTimeKind.Utc, p.CreatedAt!.Value.Kind));
    }

    [Fact]
    public void Only_an_accounts_own_record_is_its_own_page()
    {
        // accounts/:id answers with the account itself: its 2xx says the account is up.
        var own = MastodonPages.Parse("test_account__01_GET_api_v1_accounts_117020457910412882.json");
        Assert.Equal(Assert.Single(own.Authors).Key, own.OwnPageOf);
        // A status names its author, and a search lists accounts: neither is any account's own answer.
        var status = MastodonPages.Parse("test_status_favourited_by__01_POST_api_v1_statuses_117020585802289163_favourite.json");
        Assert.NotEmpty(status.Authors);
        Assert.Null(status.OwnPageOf);
        Assert.Null(MastodonPages.Parse("test_account_search__00_GET_api_v1_accounts_search.json").OwnPageOf);
    }
}
