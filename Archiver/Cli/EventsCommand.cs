using System.CommandLine;
using System.Globalization;
using Archiver.Model;
using Archiver.Notifications;
using Archiver.Storage;

namespace Archiver.Cli;

/// <summary>
/// <c>archiver events</c>: the changes a watch observed (new posts, edits, deletions, channels gone or back, failed
/// checks), oldest first, each with its evidence. Reads a snapshot, so it works while a watch writes.
/// </summary>
public sealed class EventsCommand : ICliCommand
{
    public Command Build(CommandRunner run)
    {
        var since = new Option<string?>("--since") { Description = "Only events observed on or after this date (UTC; YYYY, YYYY-MM, YYYY-MM-DD or ISO-8601)", HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = "Only events observed up to this date, the whole of it included", HelpName = "DATE" };
        var type = new Option<string[]>("--type")
        {
            Description = "Only these types (repeat or comma-separate): " + string.Join(", ", Enum.GetValues<ArchiveEventType>().Select(EventText.Name)),
            HelpName = "TYPE",
            AllowMultipleArgumentsPerToken = false,
        };
        var channel = new Option<string[]>("--channel") { Description = "Only events of this channel or account (NAME or PLATFORM:NAME; repeatable)", HelpName = "NAME" };
        var watch = new Option<string?>("--watch") { Description = "Only events a given watch entry observed", HelpName = "ID" };
        var limit = new Option<int?>("--limit") { Description = "Only the N most recent of the matching events (still listed oldest first)", HelpName = "N" };
        var command = new Command("events", "Changes a watch observed (new, edited, deleted, channel gone/back, check failed), oldest first, with evidence")
        {
            since, until, type, channel, watch, limit,
        };
        run.Attach(command, (context, parse, _) =>
        {
            var from = parse.GetValue(since) is { Length: > 0 } s ? Export.StoreFieldFilter.ParseSpan(s, "--since").Start : (DateTime?)null;
            var to = parse.GetValue(until) is { Length: > 0 } u ? Export.StoreFieldFilter.ParseSpan(u, "--until").End : (DateTime?)null;
            if (from is { } a && to is { } b && a >= b) throw new UsageException($"--since ({parse.GetValue(since)}) must not be after --until ({parse.GetValue(until)}).");
            var types = ParseTypes(parse.GetValue(type) ?? []);
            var channels = (parse.GetValue(channel) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var watchId = parse.GetValue(watch);
            var max = parse.GetValue(limit);
            if (max is < 1) throw new UsageException("--limit must be at least 1.");

            using var store = ArchiveSession.OpenReader(context.DataDir);
            IEnumerable<ArchiveEvent> events = store.ReadEvents().Where(e =>
                (from is null || e.ObservedAt >= from) && (to is null || e.ObservedAt < to)
                && (types.Count == 0 || types.Contains(e.Type))
                && (channels.Count == 0 || channels.Any(c => Matches(e, c)))
                && (watchId is null || e.WatchId == watchId));
            var list = events.ToList();
            if (max is { } n && list.Count > n) list = list.GetRange(list.Count - n, n);
            if (context.Json) context.WriteJson(list.Select(EventJson.From).ToList());
            else Render(context, list);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static HashSet<ArchiveEventType> ParseTypes(IEnumerable<string> values)
    {
        var set = new HashSet<ArchiveEventType>();
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var match = Enum.GetValues<ArchiveEventType>().Where(t =>
                string.Equals(EventText.Name(t), value, StringComparison.OrdinalIgnoreCase) || string.Equals(t.ToString(), value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
                throw new UsageException($"--type '{value}' is not an event type: expected one of {string.Join(", ", Enum.GetValues<ArchiveEventType>().Select(EventText.Name))}.");
            set.Add(match[0]);
        }
        return set;
    }

    private static bool Matches(ArchiveEvent e, string filter)
    {
        var name = filter.TrimStart('@');
        if (string.Equals(e.Channel.TrimStart('@'), name, StringComparison.OrdinalIgnoreCase)) return true;
        var colon = name.IndexOf(':');
        return colon > 0 && string.Equals(e.Platform, name[..colon], StringComparison.OrdinalIgnoreCase)
            && string.Equals(e.Channel.TrimStart('@'), name[(colon + 1)..].TrimStart('@'), StringComparison.OrdinalIgnoreCase);
    }

    private static void Render(CliContext context, IReadOnlyList<ArchiveEvent> events)
    {
        if (events.Count == 0)
        {
            context.Out.WriteLine("No events match.");
            return;
        }
        foreach (var e in events) context.Out.WriteLine(EventText.Line(e));
        if (!context.Quiet) context.Error.WriteLine($"{events.Count.ToString("N0", CultureInfo.InvariantCulture)} events.");
    }
}
