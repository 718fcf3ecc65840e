using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Config;

/// <summary><c>runbooks.commands:</c> binds onto the hazard table, and bad entries are errors at their file:line.</summary>
public sealed class RunbookCommandsConfigTests
{
    private const string Head = """
        vigil: { name: t, environment: production }
        severities:
          - { id: SEV1, name: Critical }
        runbooks:
          commands:
        """;

    [Fact]
    public void Commands_bind_and_reach_the_table()
    {
        var result = ConfigLoader.LoadFromString(Head + """

                deployctl:
                  default: change
                  verbs: { status: read, rollback: destroy }
                  options_with_values: [--env]
                kubectl:
                  verbs: { cordon: destroy }
            """, "vigil.yaml");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var table = CommandTable.For(result.Config!.Runbooks);
        Assert.Equal(CommandClass.Destroy, RunbookHazards.Commands("deployctl --env prod rollback", table).Single().Class);
        Assert.Equal(CommandClass.Read, RunbookHazards.Commands("deployctl --env prod status", table).Single().Class);
        Assert.Equal(CommandClass.Destroy, RunbookHazards.Commands("kubectl cordon n1", table).Single().Class);
    }

    [Fact]
    public void The_example_in_docs_configuration_loads_and_means_what_it_says()
    {
        var result = ConfigLoader.LoadFromString(Head + """

                deployctl:
                  default: change
                  verbs: { status: read, "release rollback": destroy }
                  options_with_values: [--env]
                  flags: { --purge: destroy }
                  always: { --plan: read }
                kubectl:
                  verbs: { cordon: destroy }
                kc: { alias: kubectl }
                remote-run: { wraps: string, skip: 1 }
            """, "vigil.yaml");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var table = CommandTable.For(result.Config!.Runbooks);
        CommandClass Of(string code) => RunbookHazards.Commands(code, table).Select(c => c.Class).DefaultIfEmpty(CommandClass.Read).Max();
        Assert.Equal(CommandClass.Read, Of("deployctl --env prod status"));
        Assert.Equal(CommandClass.Change, Of("deployctl release v2"));
        Assert.Equal(CommandClass.Destroy, Of("deployctl release rollback"));
        Assert.Equal(CommandClass.Destroy, Of("deployctl release v2 --purge"));
        Assert.Equal(CommandClass.Read, Of("deployctl release v2 --plan"));
        Assert.Equal(CommandClass.Destroy, Of("kc cordon node-1"));
        Assert.Equal(CommandClass.Destroy, Of("remote-run db-1 'rm -rf /var/lib/data'"));
        Assert.Equal(CommandClass.Read, Of("remote-run db-1 'df -h'"));
    }

    [Fact]
    public void A_bad_class_or_mode_is_an_error_at_its_line_saying_what_is_allowed()
    {
        var result = ConfigLoader.LoadFromString(Head + """

                deployctl:
                  default: dangerous
                  verbs:
                    ship: risky
                  runs: { exec: "sometimes" }
                  wraps: maybe
            """, "vigil.yaml");

        Assert.False(result.Success);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("vigil.yaml:7:", StringComparison.Ordinal) && e.Contains("`default` is `dangerous`; use read, change or destroy", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil.yaml:9:", StringComparison.Ordinal) && e.Contains("`ship` is classed `risky`", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil.yaml:10:", StringComparison.Ordinal) && e.Contains("string:N", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil.yaml:11:", StringComparison.Ordinal) && e.Contains("use rest", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_in_a_family_is_an_error()
    {
        var result = ConfigLoader.LoadFromString(Head + """

                deployctl:
                  verb: { ship: change }
            """, "vigil.yaml");

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Line == 7 && e.Message.Contains("verb", StringComparison.Ordinal));
    }
}
