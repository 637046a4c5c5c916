using System.Globalization;
using System.Text.RegularExpressions;

namespace Archiver.Platforms.Feeds;

/// <summary>
/// Feed dates: RFC 822/1123 (RSS, with named and numeric zones, two-digit years, missing seconds or weekday),
/// ISO 8601 / W3C-DTF (Atom, dc:date, JSON Feed, also date-only and minute precision), always as UTC.
/// </summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0,
        ["UTC"] = 0,
        ["GMT"] = 0,
        ["Z"] = 0,
        ["EST"] = -300,
        ["EDT"] = -240,
        ["CST"] = -360,
        ["CDT"] = -300,
        ["MST"] = -420,
        ["MDT"] = -360,
        ["PST"] = -480,
        ["PDT"] = -420,
        ["A"] = -60,
        ["M"] = -720,
        ["N"] = 60,
        ["Y"] = 720,
        ["CET"] = 60,
        ["CEST"] = 120,
        ["BST"] = 60,
        ["IST"] = 330,
        ["JST"] = 540,
        ["AEST"] = 600,
        ["AEDT"] = 660,
        ["MSK"] = 180,
        ["MEZ"] = 60,
        ["MESZ"] = 120,
        ["WET"] = 0,
        ["WEST"] = 60,
        ["EET"] = 120,
        ["EEST"] = 180,
    };

    /// <summary>
    /// Month names of the languages feeds are written in when a server formats pubDate with its locale (French
    /// "mar., 05 janv. 2021", German "Di, 05. Jan 2021", Russian "Вт, 05 янв 2021", ...): full names, genitive forms
    /// and the abbreviations that are not prefixes of them. A name of three or more letters that begins one of these
    /// (and no name of another month) is that month.
    /// </summary>
    private static readonly string[][] MonthNames =
    [
        ["january", "janvier", "januar", "jänner", "enero", "gennaio", "janeiro", "januari", "styczeń", "stycznia", "leden", "ledna", "январь", "января", "січень", "січня", "ocak"],
        ["february", "février", "fevrier", "februar", "feber", "febrero", "febbraio", "fevereiro", "februari", "luty", "lutego", "únor", "února", "unor", "февраль", "февраля", "лютий", "лютого", "şubat", "subat"],
        ["march", "mars", "märz", "maerz", "marz", "mrz", "marzo", "março", "marco", "maart", "marzec", "marca", "březen", "března", "март", "марта", "березень", "березня", "mart"],
        ["april", "avril", "abril", "aprile", "kwiecień", "kwietnia", "duben", "dubna", "апрель", "апреля", "квітень", "квітня", "nisan"],
        ["may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "květen", "května", "май", "мая", "травень", "травня", "mayıs", "mayis"],
        ["june", "juin", "juni", "junio", "giugno", "junho", "czerwiec", "czerwca", "červen", "června", "июнь", "июня", "червень", "червня", "haziran"],
        ["july", "juillet", "juli", "julio", "luglio", "julho", "lipiec", "lipca", "červenec", "července", "июль", "июля", "липень", "липня", "temmuz"],
        ["august", "août", "aout", "agosto", "augustus", "sierpień", "sierpnia", "srpen", "srpna", "август", "августа", "серпень", "серпня", "ağustos", "agustos"],
        ["september", "septembre", "septiembre", "setiembre", "settembre", "setembro", "wrzesień", "września", "září", "zari", "сентябрь", "сентября", "вересень", "вересня", "eylül", "eylul"],
        ["october", "octobre", "oktober", "octubre", "ottobre", "outubro", "październik", "października", "říjen", "října", "октябрь", "октября", "жовтень", "жовтня", "ekim"],
        ["november", "novembre", "noviembre", "novembro", "listopad", "listopada", "ноябрь", "ноября", "листопад", "листопада", "kasım", "kasim"],
        ["december", "décembre", "decembre", "dezember", "diciembre", "dicembre", "dezembro", "desember", "grudzień", "grudnia", "prosinec", "prosince", "декабрь", "декабря", "грудень", "грудня", "aralık", "aralik"],
    ];

    // Any weekday (letters and dots), day (with a German "5."), month name in any script, year; time and zone optional.
    [GeneratedRegex(@"^(?:[\p{L}.]+,?\s*)?(\d{1,2})\.?\s+(\p{L}+)\.?,?\s+(\d{2,4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}:?\d{2}|\p{L}{1,5})?\s*$")]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Iso8601();

    public static DateTime? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        return ParseIso(s) ?? ParseRfc822(s) ?? ParseLoose(s);
    }

    private static DateTime? ParseIso(string s)
    {
        var m = Iso8601().Match(s);
        if (!m.Success) return null;
        int G(int i, int fallback) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : fallback;
        try
        {
            var local = new DateTime(G(1, 1), G(2, 1), G(3, 1), G(4, 0), G(5, 0), G(6, 0), DateTimeKind.Unspecified);
            if (m.Groups[7].Success) local = local.AddTicks((long)(double.Parse("0." + m.Groups[7].Value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
            return ToUtc(local, m.Groups[8].Success ? OffsetMinutes(m.Groups[8].Value) : 0);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTime? ParseRfc822(string s)
    {
        var m = Rfc822().Match(s);
        if (!m.Success) return null;
        if (Month(m.Groups[2].Value) is not { } month) return null;
        var year = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (year < 100) year += year < 50 ? 2000 : 1900;
        int G(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        int? zone = m.Groups[7].Success ? Zone(m.Groups[7].Value) : 0;
        if (zone is null) return null;
        try
        {
            var hour = G(4);
            var local = new DateTime(year, month, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0, 0, 0, DateTimeKind.Unspecified)
                .AddHours(hour).AddMinutes(G(5)).AddSeconds(G(6));
            return ToUtc(local, zone.Value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The month a name or abbreviation in any of <see cref="MonthNames"/> stands for, if exactly one.</summary>
    public static int? Month(string name)
    {
        var token = name.ToLowerInvariant().TrimEnd('.');
        if (token.Length < 3) return null;
        int? found = null;
        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (!MonthNames[i].Any(n => n.StartsWith(token, StringComparison.Ordinal))) continue;
            if (found is not null) return null;
            found = i + 1;
        }
        return found;
    }

    private static DateTime? ParseLoose(string s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed.UtcDateTime
            : null;

    private static int? Zone(string zone) =>
        zone[0] is '+' or '-' ? OffsetMinutes(zone) : ZoneMinutes.TryGetValue(zone, out var minutes) ? minutes : null;

    private static int OffsetMinutes(string offset)
    {
        if (offset is "Z" or "z") return 0;
        var sign = offset[0] == '-' ? -1 : 1;
        var digits = offset[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length >= 4 ? int.Parse(digits[2..4], CultureInfo.InvariantCulture) : 0;
        return sign * (hours * 60 + minutes);
    }

    private static DateTime ToUtc(DateTime local, int offsetMinutes) =>
        DateTime.SpecifyKind(local.AddMinutes(-offsetMinutes), DateTimeKind.Utc);
}
