using Spectre.Console;

namespace Archiver.Cli;

/// <summary>
/// Where a running job stands, as the one progress component shows it: a plain line (output that is not a
/// terminal, or a job that reports in lines), and for a terminal either a table of rows or a bar.
/// </summary>
public sealed record ProgressSnapshot
{
    /// <summary>One plain line, printed every so often when the output is not a terminal.</summary>
    public required string Line { get; init; }

    /// <summary>On a terminal: a table of these rows, redrawn in place.</summary>
    public IReadOnlyList<(string Label, string Value)> Rows { get; init; } = [];

    /// <summary>On a terminal: a bar at <c>Value</c> of <c>Max</c> with this text beside it (instead of the table).</summary>
    public (double Value, double Max, string Text)? Bar { get; init; }
}

/// <summary>How often a <see cref="ProgressView"/> redraws, prints a line, and where the lines go.</summary>
public sealed record ProgressViewOptions
{
    public TimeSpan Redraw { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan LineEvery { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Lines go to stderr (stdout is the job's data or report).</summary>
    public bool LinesToError { get; init; }
}

/// <summary>
/// The one progress component of the command line: crawl, import and export each give it a
/// <see cref="ProgressSnapshot"/> of their counters. Nothing outside the CLI knows how progress looks.
/// </summary>
public sealed class ProgressView(CliContext context, Func<ProgressSnapshot> snapshot, ProgressViewOptions? options = null)
{
    private readonly ProgressViewOptions _options = options ?? new ProgressViewOptions();
    private DateTime _lastLine = DateTime.UtcNow;

    private TextWriter Lines => _options.LinesToError ? context.Error : context.Out;

    /// <summary>
    /// Runs <paramref name="work"/> showing its progress: redrawn in place on a terminal, a line every
    /// <see cref="ProgressViewOptions.LineEvery"/> otherwise; nothing under --json or -q.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!context.ShowProgress) return await work().ConfigureAwait(false);
        if (!context.Console.Profile.Capabilities.Interactive)
        {
            using var timer = new Timer(_ => Lines.WriteLine(snapshot().Line), null, _options.LineEvery, _options.LineEvery);
            return await work().ConfigureAwait(false);
        }
        if (snapshot().Bar is not null) return await RunWithBarAsync(work).ConfigureAwait(false);
        T result = default!;
        await context.Console.Live(Table(snapshot())).AutoClear(true).StartAsync(async live =>
        {
            var task = work();
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(_options.Redraw)).ConfigureAwait(false);
                live.UpdateTarget(Table(snapshot()));
            }
            result = await task.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>For a job that says when it moved on (an import after each committed batch): prints its line at most every <see cref="ProgressViewOptions.LineEvery"/>.</summary>
    public void Changed()
    {
        if (!context.ShowProgress || DateTime.UtcNow - _lastLine < _options.LineEvery) return;
        _lastLine = DateTime.UtcNow;
        Lines.WriteLine(snapshot().Line);
    }

    private async Task<T> RunWithBarAsync<T>(Func<Task<T>> work) =>
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ui =>
            {
                var task = ui.AddTask("posts", maxValue: Math.Max(1, snapshot().Bar!.Value.Max));
                var running = Task.Run(work);
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(_options.Redraw));
                    var (value, max, text) = snapshot().Bar!.Value;
                    task.MaxValue = Math.Max(1, max);
                    task.Value = Math.Min(value, task.MaxValue);
                    task.Description = text;
                }
                task.Value = task.MaxValue;
                return await running;
            }).ConfigureAwait(false);

    private static Table Table(ProgressSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        foreach (var (label, value) in s.Rows) table.AddRow(label, value);
        return table;
    }
}
