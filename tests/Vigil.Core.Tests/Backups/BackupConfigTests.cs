using Vigil.Core.Config;

using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Backups;

public sealed class BackupConfigTests
{
    private static ConfigLoadResult Load(string backups) =>
        ConfigLoader.LoadFromString("vigil: { name: test }\nservices:\n  - { id: db }\nbackups:\n" + backups, "vigil.yaml", TestEnvironment.Lookup);

    [Fact]
    public void Load_FullJob_Binds()
    {
        var result = Load("""
              - id: orders
                service: db
                command: [pg_dump, -Fc, orders]
                cron: "30 1 * * *"
                timezone: Europe/Berlin
                keep: { last: 3, daily: 7, weekly: 4, monthly: 6 }
                encryption: { key_file: backup.key }
                destination: { s3: { bucket: b, endpoint: "http://127.0.0.1:9000" } }
                restore_test: { cron: "0 5 * * *", command: [pg_restore, --list, orders.out] }
              - { id: files, paths: [etc/], exclude: ["**/*.tmp"], cron: "@daily", destination: { command: { put: [rclone, copyto, "{file}", "r:{name}"] } } }
            """);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var orders = result.Config!.Backups[0];
        Assert.Equal(["pg_dump", "-Fc", "orders"], orders.Command);
        Assert.Equal("b", orders.Destination!.S3!.Bucket);
        Assert.Equal("backup.key", orders.Encryption!.KeyFile);
        Assert.Equal("zstd", orders.Compression);
        Assert.Equal(["**/*.tmp"], result.Config.Backups[1].Exclude);
    }

    public static TheoryData<string, string, string> Removed => new()
    {
        { "encrypt: true", "backups[0].encrypt", "`encrypt` is no longer a key here: `encrypt` was replaced by `encryption: { key_file: PATH }`" },
        { "encryption_key: abc", "backups[0].encryption_key", "a backup key never goes in config text" },
        { "verify: \"check {file}\"", "backups[0].verify", "replaced by `restore_test: { cron: …, command: [argv…] }`" },
        { "restore_test_every: 7d", "backups[0].restore_test_every", "`restore_test_every` was replaced by `restore_test:" },
    };

    [Theory]
    [MemberData(nameof(Removed))]
    public void Load_RemovedKey_ErrorSaysWhatReplacedIt(string line, string path, string message)
    {
        var result = Load($"  - {{ id: j, paths: [a], cron: \"@daily\", {line} }}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoSources_OrExcludeWithoutPaths_AreErrors()
    {
        var two = Load("  - { id: j, paths: [a], command: [ls], cron: \"@daily\" }\n");
        var exclude = Load("  - { id: j, command: [ls], exclude: [x], cron: \"@daily\" }\n");

        Assert.False(two.Success);
        Assert.Equal("backups[0].exclude", Assert.Single(exclude.Errors).Path);
    }

    [Fact]
    public void Load_OldScalarForms_AreErrorsAtTheirKeys()
    {
        var command = Load("  - { id: j, command: \"pg_dump {output}\", cron: \"@daily\" }\n");
        var destination = Load("  - { id: j, paths: [a], cron: \"@daily\", destination: backups/j }\n");

        Assert.Equal("backups[0].command", Assert.Single(command.Errors).Path);
        Assert.Equal("backups[0].destination", Assert.Single(destination.Errors).Path);
        Assert.Contains("for a shell line write [sh, -c, \"pg_dump {output}\"]", command.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("expected a mapping", destination.Errors[0].Message, StringComparison.Ordinal);
    }
}
