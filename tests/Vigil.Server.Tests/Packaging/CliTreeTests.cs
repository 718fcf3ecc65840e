using System.CommandLine;
using Vigil.Cli;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Packaging;

/// <summary>
/// A command line builds only the top-level commands it names (start-up of short commands, docs/performance.md):
/// the table of names stays in step with the builders, and what is built answers as the whole tree would.
/// </summary>
public sealed class CliTreeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliEnvironment Env() => new(TextWriter.Null, TextWriter.Null, _ => null, _dir.Path);

    [Fact]
    public void Each_entry_names_exactly_the_commands_its_builder_makes()
    {
        foreach (var (names, build) in CliApp.TopLevel)
        {
            Assert.Equal(names, build(Env()).Select(c => c.Name).ToArray());
        }

        var whole = CliApp.Build(Env());
        Assert.Equal(CliApp.TopLevel.SelectMany(t => t.Names), whole.Subcommands.Select(c => c.Name));
        Assert.All(whole.Subcommands, c => Assert.Empty(c.Aliases));
    }

    [Theory]
    [InlineData(new[] { "--version" }, new string[0])]
    [InlineData(new[] { "incident", "list" }, new[] { "incident" })]
    [InlineData(new[] { "--server", "http://x", "silence", "list" }, new[] { "freeze", "unfreeze", "window", "silence", "gate" })]
    [InlineData(new[] { "runbook", "show", "backup" }, new[] { "backup", "runbook", "drill" })]
    public void A_line_builds_the_commands_it_names(string[] args, string[] expected)
    {
        Assert.Equal(expected.Order(), CliApp.Build(Env(), args).Subcommands.Select(c => c.Name).Order());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("")]
    [InlineData("incdent")]
    [InlineData("[suggest:15]|vigil incident ")]
    [InlineData("@args.rsp")]
    public void A_line_that_names_no_command_builds_the_whole_tree(string line)
    {
        string[] args = line.Length == 0 ? [] : line.Split('|');
        Assert.Equal(CliApp.TopLevel.Sum(t => t.Names.Length), CliApp.Build(Env(), args).Subcommands.Count);
    }

    [Fact]
    public async Task Version_and_help_answer_as_before()
    {
        var version = await CliRun.RunAsync(["--version"], _dir.Path);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Out);

        var help = await CliRun.RunAsync(["--help"], _dir.Path);
        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var name in CliApp.TopLevel.SelectMany(t => t.Names))
        {
            Assert.Contains($"  {name} ", help.Out);
        }

        var incident = await CliRun.RunAsync(["incident", "--help"], _dir.Path);
        Assert.True(incident.ExitCode == 0, incident.ToString());
        Assert.Contains("list", incident.Out);
        Assert.Contains("--server", incident.Out);
    }
}
