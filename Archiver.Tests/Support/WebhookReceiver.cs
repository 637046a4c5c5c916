using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Archiver.Tests.Support;

/// <summary>A webhook receiver on 127.0.0.1 that answers what <see cref="Answer"/> says for each request.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<(string Id, byte[] Body, string? Signature, int Status)> Requests { get; } = new();
    public Func<int, Task<int>> Answer { get; set; } = _ => Task.FromResult(200);
    public Uri Url { get; private set; } = null!;
    private int _count;

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var status = await Answer(Interlocked.Increment(ref _count)).WaitAsync(context.RequestAborted);
            Requests.Enqueue((context.Request.Headers["X-Archiver-Event"].ToString(), body.ToArray(), context.Request.Headers["X-Archiver-Signature"].FirstOrDefault(), status));
            context.Response.StatusCode = status;
        });
    }

    public IEnumerable<string> Accepted => Requests.Where(r => r.Status is >= 200 and < 300).Select(r => r.Id);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        receiver.Url = new Uri(receiver._app.Urls.First() + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
