using System.Net.Http.Headers;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

/// <summary>A small replica (seed 1, version 1, no faults) shared by the read-only tests of a class.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    public ReplicaHost Replica { get; private set; } = null!;
    public HttpClient Http { get; } = Client();

    public async ValueTask InitializeAsync() =>
        Replica = await ReplicaHost.StartAsync(new ReplicaOptions { Seed = 1, Size = ReplicaSize.Small }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Replica.DisposeAsync();
    }

    public static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    public static async Task<(int Status, string Body, HttpResponseHeaders Headers)> GetAsync(HttpClient http, string url, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
    }
}
