using System.CommandLine;
using System.Diagnostics;
using Archiver.Cli;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Replica;

namespace Archiver.Benchmarks;

/// <summary>
/// <c>Archiver.Benchmarks language</c>: language detection on the replica's posts (whose generator knows each
/// post's language) for several detector settings: accuracy per language on posts of at least 5 words,
/// what shorter posts get, and texts per second on one thread. The figures behind the defaults of
/// <see cref="LanguageDetectionOptions"/> (docs/language.md).
/// </summary>
public static class LanguageBenchmark
{
    public static Command Command(CommandRunner run)
    {
        var size = new Option<string>("--size") { Description = "Replica size (small, medium, large, posts:N)", DefaultValueFactory = _ => "medium" };
        var seed = new Option<int>("--seed") { Description = "Replica seed", DefaultValueFactory = _ => 7 };
        var sets = new Option<string[]>("--set") { Description = "Language sets to compare: replica (its 5), default, all (Lingua's 75), or codes a,b,c (repeatable)", AllowMultipleArgumentsPerToken = true };
        var margins = new Option<double[]>("--margin") { Description = "Confidence margins to compare (repeatable)", AllowMultipleArgumentsPerToken = true };
        var low = new Option<bool>("--lingua-api") { Description = "Also run Lingua's own detector API, high and low accuracy mode" };
        var maxChars = new Option<int[]>("--max-chars") { Description = "Characters of cleaned text read per post, to compare (repeatable)", AllowMultipleArgumentsPerToken = true };
        var prefixes = new Option<bool>("--short") { Description = "Also score each post's first 1, 2, 3 and 4 words (short posts)" };
        var limit = new Option<int>("--limit") { Description = "Score at most this many posts (the replica's first ones)", DefaultValueFactory = _ => 20_000 };
        var leads = new Option<double[]>("--lead") { Description = "Early-stop leads (natural log; 0 = read every trigram) to compare (repeatable)", AllowMultipleArgumentsPerToken = true };
        var corpus = new Option<string?>("--corpus") { Description = "Score the texts of this JSONL corpus (its \"text\" field; no known language: label counts and agreement between settings only) instead of the replica's" };
        var command = new Command("language", "Language detection on the replica's posts: accuracy per language and texts/s, per setting; labels that differ from the first setting's") { size, seed, sets, margins, low, maxChars, prefixes, limit, leads, corpus };
        run.Attach(command, (context, parse, ct) =>
        {
            List<(string Text, string Language)> posts;
            var corpusPath = parse.GetValue(corpus);
            if (corpusPath is not null)
                posts = [.. File.ReadLines(corpusPath).Take(parse.GetValue(limit)).Select(line => (System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString() ?? "", Unknown))];
            else
            {
                var network = new ReplicaNetwork((ulong)parse.GetValue(seed), ReplicaSize.Parse(parse.GetValue(size)!));
                var truth = new ReplicaTruth(network, ReplicaEndpoints.FromPort(8470), 1);
                posts = [.. Texts(truth).Take(parse.GetValue(limit))];
            }
            // Short posts are rare in the replica: each post's first 1 to 4 words stand in for them.
            if (parse.GetValue(prefixes)) posts.AddRange(posts.SelectMany(p => Enumerable.Range(1, 4).Select(n => (string.Join(' ', p.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(n)), p.Language))).ToList());
            context.Out.WriteLine($"bench language: {posts.Count:N0} {(corpusPath is null ? "replica posts" : corpusPath + " texts")} with a known language ({string.Join(", ", posts.GroupBy(p => p.Language).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"))})");
            string?[]? first = null;
            var chosenSets = parse.GetValue(sets) is { Length: > 0 } named ? named : ["replica", "default", "all"];
            var chosenMargins = parse.GetValue(margins) is { Length: > 0 } m ? m : [new LanguageDetectionOptions().MinMargin];
            foreach (var set in chosenSets)
                foreach (var engine in parse.GetValue(low) ? new[] { "scorer", "lingua-high", "lingua-low" } : ["scorer"])
                    foreach (var margin in chosenMargins)
                        foreach (var chars in parse.GetValue(maxChars) is { Length: > 0 } mc ? mc : [new LanguageDetectionOptions().MaxChars])
                            foreach (var lead in parse.GetValue(leads) is { Length: > 0 } ld ? ld : [new LanguageDetectionOptions().DecisiveLead])
                            {
                                ct.ThrowIfCancellationRequested();
                                var options = new LanguageDetectionOptions { Languages = Set(set), UseLinguaApi = engine != "scorer", LowAccuracy = engine == "lingua-low", MinMargin = margin, MaxChars = chars, DecisiveLead = lead };
                                var results = Run(context.Out, $"set {set} ({options.Languages.Count} languages), {engine}, margin {margin:0.00}, {chars} chars, lead {lead:0.#}", options, posts);
                                if (first is null) first = results;
                                else
                                {
                                    var differing = Enumerable.Range(0, posts.Count).Where(i => first[i] != results[i]).ToList();
                                    context.Out.WriteLine($"  labels differing from the first setting's: {differing.Count:N0} of {posts.Count:N0}");
                                    foreach (var i in differing.Take(5)) context.Out.WriteLine($"    {first[i] ?? "-"} -> {results[i] ?? "-"}: {posts[i].Text[..Math.Min(100, posts[i].Text.Length)]}");
                                }
                            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Posts with text and a known language: Telegram, Mastodon-likes (not reblog wrappers), forum and JS pages.</summary>
    public static IEnumerable<(string Text, string Language)> Texts(ReplicaTruth truth) =>
        truth.Posts().Where(p => p.Language is not null && p.Text.Length > 0 && p.Kind != PostKinds.Service).Select(p => (p.Text, p.Language!));

    private static IReadOnlyList<string> Set(string name) => name switch
    {
        "replica" => Lexicon.All.Select(l => l.Code).ToList(),
        "default" => LanguageDetectionOptions.DefaultLanguages,
        "all" => Lingua.LanguageInfo.All().Select(l => Lingua.LanguageInfo.IsoCode6391(l).ToString().ToLowerInvariant()).ToList(),
        _ => name.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private const string Unknown = "?";

    private static string?[] Run(TextWriter output, string label, LanguageDetectionOptions options, List<(string Text, string Language)> posts)
    {
        var building = Process.GetCurrentProcess().TotalProcessorTime;
        var loading = Stopwatch.StartNew();
        var detection = new LanguageDetection(options);
        // The first pass loads the models of the scripts the texts are written in (each at its first text); the second is timed.
        foreach (var (text, _) in posts) detection.Detect(text);
        var load = loading.Elapsed.TotalSeconds;
        output.WriteLine($"{label}: models loaded and first pass in {load:0.00} s ({(Process.GetCurrentProcess().TotalProcessorTime - building).TotalSeconds:0.00} s CPU)");
        var score = new LanguageScore();
        var results = new string?[posts.Count];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < posts.Count; i++) results[i] = detection.Detect(posts[i].Text);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        for (var i = 0; i < posts.Count; i++)
        {
            LanguageDetection.Clean(posts[i].Text, int.MaxValue, out var words, out _);
            score.Add(posts[i].Language, results[i], words);
        }
        output.WriteLine($"{label}: {posts.Count / cpuSeconds:N0} texts per CPU second, {posts.Count / seconds:N0} texts/s wall ({cpuSeconds:0.00} s CPU, {seconds:0.00} s wall)");
        if (posts.Count > 0 && posts[0].Language == Unknown)
            output.WriteLine("  labels: " + string.Join(", ", results.GroupBy(r => r ?? "-").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}")));
        else
            foreach (var line in score.Lines()) output.WriteLine("  " + line);
        return results;
    }
}
