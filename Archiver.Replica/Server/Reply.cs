using System.Text;
using Microsoft.AspNetCore.Http;

namespace Archiver.Replica;

/// <summary>An answer an origin handler computed: status, type, body and the few headers the shapes need.</summary>
public sealed record Reply(int Status, string ContentType, ReadOnlyMemory<byte> Body)
{
    public const string HtmlType = "text/html; charset=utf-8";
    public const string JsonType = "application/json; charset=utf-8";
    public const string TextType = "text/plain; charset=utf-8";

    /// <summary>The <c>Link</c> header of paged API answers.</summary>
    public string? Link { get; init; }
    /// <summary>Whether the same request (for the same version) always gets these bytes, so they may be cached.</summary>
    public bool Cacheable { get; init; }
    /// <summary>A Content-Type other than the constructor's (feeds are XML with their own types).</summary>
    public string? ContentTypeOverride { get; init; }
    public string EffectiveContentType => ContentTypeOverride ?? ContentType;

    public static Reply Html(string html, int status = 200) => new(status, HtmlType, Encoding.UTF8.GetBytes(html));
    public static Reply Json(byte[] json, int status = 200) => new(status, JsonType, json);
    public static Reply Text(string text, int status = 200) => new(status, TextType, Encoding.UTF8.GetBytes(text));

    public static Reply NotFound() => Html("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested page does not exist.</p></body></html>\n", 404);

    public static Reply JsonError(string message, int status) => Json(Encoding.UTF8.GetBytes($"{{\"error\":\"{message}\"}}"), status);

    public static Reply Robots() => Text("User-agent: *\nDisallow: /private/\n\nUser-agent: BadBot\nDisallow: /\n");

    public static Reply Private() => Html("<!DOCTYPE html>\n<html><head><title>Private</title></head><body><p>Members only: robots.txt asks crawlers to stay out.</p></body></html>\n");
}

/// <summary>The routes of one origin: which entity a request is about (for takedowns) and the answer.</summary>
public interface IOriginHandler
{
    /// <summary>The channel, account, thread or page a request concerns, or null; takedowns match on it.</summary>
    string? Entity(string path, IQueryCollection query);

    Reply Handle(HttpRequestInfo request);
}

/// <summary>The parts of an HTTP request the handlers use; plain data, so handlers are testable without Kestrel.</summary>
public sealed record HttpRequestInfo(string Path, IQueryCollection Query, bool Authorized, ReplicaView Version);
