using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public sealed class CommandTableTests
{
    private static CommandClass ClassOf(string code, CommandTable? table = null) =>
        RunbookHazards.Commands(code, table).Select(c => c.Class).DefaultIfEmpty(CommandClass.Read).Max();

    [Fact]
    public void Builtin_table_loads_and_covers_every_family_the_issue_names()
    {
        string[] required =
        [
            "kubectl", "oc", "helm", "kustomize", "docker", "podman", "crictl", "systemctl", "service",
            "rm", "mv", "dd", "mkfs", "truncate", "find", "rsync", "chmod", "chown", "iptables", "nft",
            "psql", "mysql", "redis-cli", "etcdctl", "ceph", "rados", "consul", "vault", "nomad",
            "aws", "gcloud", "az", "terraform", "ansible", "knife", "gitlab-ctl", "gitlab-rake", "git",
        ];

        Assert.Empty(required.Except(CommandTable.Default.Families));
    }

    [Theory]
    [InlineData("oc adm drain node-1", CommandClass.Destroy)]
    [InlineData("oc adm top nodes", CommandClass.Read)]
    [InlineData("oc scale dc/api --replicas=2", CommandClass.Change)]
    [InlineData("oc patch dc/api -p '{}'", CommandClass.Change)]
    [InlineData("kubectl apply -f x.yaml", CommandClass.Change)]
    [InlineData("kubectl apply -f x.yaml --force", CommandClass.Destroy)]
    [InlineData("kubectl delete pod x --dry-run=client", CommandClass.Read)]
    [InlineData("systemctl restart nginx", CommandClass.Change)]
    [InlineData("systemctl status nginx", CommandClass.Read)]
    [InlineData("git push origin main", CommandClass.Change)]
    [InlineData("git push --force-with-lease origin main", CommandClass.Change)]
    [InlineData("psql -c 'UPDATE users SET x = 1 WHERE id = 2'", CommandClass.Change)]
    [InlineData("psql -c 'UPDATE users SET x = 1'", CommandClass.Destroy)]
    [InlineData("psql -c \"copy (select 1) to stdout csv\"", CommandClass.Read)]
    [InlineData("redis-cli -h cache info", CommandClass.Read)]
    [InlineData("redis-cli -h cache set k v", CommandClass.Change)]
    [InlineData("docker exec -it api rm -rf /data", CommandClass.Destroy)]
    [InlineData("gcloud compute ssh vm-1 --command 'sudo systemctl stop nginx'", CommandClass.Change)]
    [InlineData("su - postgres -c 'psql -c \"drop table t\"'", CommandClass.Destroy)]
    [InlineData("bash <<'EOF'\nkubectl delete ns x\nEOF", CommandClass.Destroy)]
    [InlineData("cat <<'EOF'\nkubectl delete ns x\nEOF", CommandClass.Read)]
    [InlineData("x=$(kubectl delete pod api-0)", CommandClass.Destroy)]
    [InlineData("echo \"$(rm -rf /srv/x)\"", CommandClass.Destroy)]
    [InlineData("diff <(kubectl get cm a -o yaml) <(kubectl get cm b -o yaml)", CommandClass.Read)]
    [InlineData("$ kubectl delete pod api-0", CommandClass.Destroy)]
    [InlineData("0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log", CommandClass.Read)]
    [InlineData("unknown-tool --force", CommandClass.Destroy)]
    [InlineData("unknown-tool --force-recreate", CommandClass.Read)]
    public void Commands_are_classed_by_family_verb_and_options(string code, CommandClass expected)
    {
        Assert.Equal(expected, ClassOf(code));
    }

    [Fact]
    public void A_command_continued_over_lines_is_one_command_reported_where_it_starts()
    {
        var commands = RunbookHazards.Commands("echo start\nkubectl delete \\\n  pod api-0 \\\n  -n prod\necho done");

        var delete = Assert.Single(commands, c => c.Class == CommandClass.Destroy);
        Assert.Equal(1, delete.CodeLine);
        Assert.Equal("kubectl delete", delete.Command);
    }

    [Fact]
    public void Config_entries_extend_and_override_the_builtin_table()
    {
        var table = CommandTable.Default.With(new Dictionary<string, CommandFamilyConfig>
        {
            ["mytool"] = new() { Verbs = new Dictionary<string, string> { ["purge"] = "destroy", ["sync"] = "change" }, OptionsWithValues = ["-c"] },
            ["kubectl"] = new() { Verbs = new Dictionary<string, string> { ["cordon"] = "destroy" } },
            ["kc"] = new() { Alias = "kubectl" },
        });

        Assert.Equal(CommandClass.Destroy, ClassOf("mytool -c prod.conf purge", table));
        Assert.Equal(CommandClass.Change, ClassOf("mytool sync", table));
        Assert.Equal(CommandClass.Read, ClassOf("mytool status", table));
        Assert.Equal(CommandClass.Destroy, ClassOf("kubectl cordon node-1", table));
        Assert.Equal(CommandClass.Destroy, ClassOf("kc delete pod x", table));
        Assert.Equal(CommandClass.Change, ClassOf("kubectl cordon node-1"));      // the built-in table is untouched
        Assert.Equal(CommandClass.Read, ClassOf("mytool -c x purge"));           // and knows no mytool
        Assert.Equal(CommandClass.Read, ClassOf("kubectl get pods", table));     // other kubectl verbs are kept
    }

    [Fact]
    public void A_steps_json_does_not_carry_the_table()
    {
        var step = RunbookParser.Parse("# D\n\n```bash\nkubectl delete pod x\n```\n", "d.md").Procedures[0].Steps[0];

        var json = System.Text.Json.JsonSerializer.Serialize(step);

        Assert.DoesNotContain("Commands", json, StringComparison.Ordinal);
        Assert.Contains("\"Mutating\":true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runbook_parsed_with_a_config_table_classes_its_steps_with_it()
    {
        var config = new RunbooksConfig
        {
            Commands = new Dictionary<string, CommandFamilyConfig> { ["deployctl"] = new() { Default = "change", Verbs = new Dictionary<string, string> { ["status"] = "read" } } },
        };
        var markdown = "# D\n\n## Ship\n\n```bash\ndeployctl ship v2\n```\n\n```bash\ndeployctl status\n```\n";

        var withConfig = RunbookParser.Parse(markdown, "d.md", CommandTable.For(config)).Procedures[0].Steps;
        var builtin = RunbookParser.Parse(markdown, "d.md").Procedures[0].Steps;

        Assert.Equal([true, false], withConfig.Select(s => s.Mutating));
        Assert.Equal([false, false], builtin.Select(s => s.Mutating));
        Assert.Same(CommandTable.For(config), CommandTable.For(config));
    }
}
