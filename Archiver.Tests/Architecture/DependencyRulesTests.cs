using System.Reflection;
using NetArchTest.Rules;

namespace Archiver.Tests.Architecture;

/// <summary>
/// The one-way flow of docs/architecture.md, checked on the compiled assemblies (their IL, through NetArchTest):
/// a change that makes a folder depend against the flow fails here, naming the types and why.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly Assembly Cli = typeof(Archiver.Cli.CliApp).Assembly;

    private static void AssertNone(string rule, NetArchTest.Rules.TestResult result)
    {
        var failing = result.FailingTypes?.Select(t => $"{t.FullName}: {t.Explanation}") ?? [];
        Assert.True(result.IsSuccessful, $"{rule}:\n  " + string.Join("\n  ", failing));
    }

    private static Types InArchiver() => Types.InAssembly(Cli);

    /// <summary>
    /// The front ends are the CLI and the web app (<c>archiver serve</c>), which answers with the CLI's own JSON shapes
    /// (search results, a post's view) so that both give one answer; nothing else may depend on either.
    /// </summary>
    [Fact]
    public void Nothing_outside_the_front_ends_depends_on_them()
    {
        AssertNone("depends on Archiver.Cli or Archiver.Serve", InArchiver().That().DoNotResideInNamespace("Archiver.Cli")
            .And().DoNotResideInNamespace("Archiver.Serve")
            .And().DoNotHaveName("Program")
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Serve").GetResult());
    }

    [Fact]
    public void Storage_knows_none_of_its_consumers()
    {
        AssertNone("Storage depends on a consumer", InArchiver().That().ResideInNamespace("Archiver.Storage")
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Crawling", "Archiver.Import", "Archiver.Export",
                "Archiver.Indexing", "Archiver.Platforms", "Archiver.Languages", "Archiver.Capturing", "Archiver.Search")
            .GetResult());
    }

    [Fact]
    public void Notifications_only_read_the_store()
    {
        AssertNone("Notifications depend on the engine", InArchiver().That().ResideInNamespace("Archiver.Notifications")
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Crawling", "Archiver.Import", "Archiver.Export", "Archiver.Indexing", "Archiver.Platforms")
            .GetResult());
    }

    [Fact]
    public void Platforms_know_no_crawling_storage_or_commands()
    {
        AssertNone("Platforms depend on the engine", InArchiver().That().ResideInNamespace("Archiver.Platforms")
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Crawling", "Archiver.Storage", "Archiver.Import",
                "Archiver.Export", "Archiver.Indexing")
            .GetResult());
    }

    [Fact]
    public void Capturing_knows_no_crawling_and_no_commands()
    {
        AssertNone("Capturing depends on the engine", InArchiver().That().ResideInNamespace("Archiver.Capturing")
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Crawling", "Archiver.Import", "Archiver.Export", "Archiver.Indexing")
            .GetResult());
    }

    [Fact]
    public void Crawling_import_and_export_do_not_depend_on_each_other()
    {
        AssertNone("Crawling depends on import or export", InArchiver().That().ResideInNamespace("Archiver.Crawling")
            .ShouldNot().HaveDependencyOnAny("Archiver.Import", "Archiver.Export").GetResult());
        AssertNone("Import depends on crawling or export", InArchiver().That().ResideInNamespace("Archiver.Import")
            .ShouldNot().HaveDependencyOnAny("Archiver.Crawling", "Archiver.Export").GetResult());
        AssertNone("Export depends on crawling or import", InArchiver().That().ResideInNamespace("Archiver.Export")
            .ShouldNot().HaveDependencyOnAny("Archiver.Crawling", "Archiver.Import").GetResult());
    }

    [Fact]
    public void The_search_library_and_the_model_know_nothing_of_the_archiver()
    {
        AssertNone("Archiver.Search depends on archiver", Types.InAssembly(typeof(Archiver.Search.PostIndex).Assembly)
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Storage", "Archiver.Crawling", "Archiver.Platforms", "Archiver.Model").GetResult());
        AssertNone("Archiver.Model depends on archiver", Types.InAssembly(typeof(Archiver.Model.Post).Assembly)
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Storage", "Archiver.Crawling", "Archiver.Platforms", "Archiver.Search", "Archiver.Replica").GetResult());
    }

    [Fact]
    public void The_replica_knows_only_the_model()
    {
        AssertNone("Archiver.Replica depends on archiver", Types.InAssembly(typeof(Archiver.Replica.ReplicaHost).Assembly)
            .ShouldNot().HaveDependencyOnAny("Archiver.Cli", "Archiver.Storage", "Archiver.Crawling", "Archiver.Platforms",
                "Archiver.Import", "Archiver.Export", "Archiver.Indexing", "Archiver.Capturing", "Archiver.Search", "Archiver.Benchmarks")
            .GetResult());
    }

    [Fact]
    public void The_CLI_program_contains_neither_the_replica_nor_the_benchmarks()
    {
        var namespaces = Cli.GetTypes().Select(t => t.Namespace ?? "").Distinct().ToList();
        Assert.DoesNotContain(namespaces, n => n.StartsWith("Archiver.Replica", StringComparison.Ordinal) || n.StartsWith("Archiver.Benchmarks", StringComparison.Ordinal));
        Assert.DoesNotContain(Cli.GetReferencedAssemblies(), a => a.Name == "Archiver.Benchmarks");
        Assert.NotEqual(Cli, typeof(Archiver.Replica.ReplicaHost).Assembly);
    }
}
