using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Archiver.Serve;

/// <summary>
/// What every response of the web app carries and every request must show. Archived content is hostile: a strict
/// Content-Security-Policy (scripts, styles, images and connections from the app's own origin only, no inline
/// script, no framing) keeps archived HTML that slipped through escaping from running or calling out. Beyond
/// loopback a token is required: a bearer header for the API, or the cookie set by the login form.
/// </summary>
public sealed class ServeSecurity(string? token, IAntiforgery antiforgery)
{
    public const string CookieName = "archiver_token";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public bool RequiresToken => token is not null;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        var path = context.Request.Path;
        if (token is null || path.StartsWithSegments("/login") || path.StartsWithSegments("/static") || Authorised(context.Request))
        {
            if (HttpMethods.IsPost(context.Request.Method) && !path.StartsWithSegments("/api"))
            {
                // Forms carry an anti-forgery token: a page on another site cannot make the user's browser post here.
                try
                {
                    await antiforgery.ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsync("The form has expired or did not come from this app: reload the page and try again.");
                    return;
                }
            }
            await next(context);
            return;
        }
        if (path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = "This archive needs its token: send 'Authorization: Bearer TOKEN' (printed by archiver serve)." });
            return;
        }
        context.Response.Redirect("/login?then=" + Uri.EscapeDataString(path + context.Request.QueryString));
    }

    public bool Matches(string? given) =>
        token is not null && given is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));

    private bool Authorised(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header["Bearer ".Length..].Trim())) return true;
        return Matches(request.Cookies[CookieName]);
    }

    /// <summary>A token for a server listening beyond loopback when none was given: 128 random bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
