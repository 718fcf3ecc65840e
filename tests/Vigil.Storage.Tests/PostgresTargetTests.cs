using Npgsql;
using Vigil.Storage.Postgres;

namespace Vigil.Storage.Tests;

/// <summary>How the PostgreSQL store is named: the config URL, VIGIL_STORAGE_POSTGRES, the password variables and file; the password is never shown.</summary>
public sealed class PostgresTargetTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_ConfigUrl_GivesHostPortDatabaseUser_AndADescriptionWithoutPassword()
    {
        var (target, error) = PostgresTarget.Resolve("postgres://vigil@db.example.com:6432/ops?sslmode=require", Env((PostgresTarget.PasswordVariable, "pw-1")));

        Assert.Null(error);
        var b = new NpgsqlConnectionStringBuilder(target!.ConnectionString);
        Assert.Equal(("db.example.com", 6432, "ops", "vigil", "pw-1", SslMode.Require), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
        Assert.Equal("postgres://vigil@db.example.com:6432/ops", target.Description);
    }

    [Fact]
    public void Resolve_EnvironmentOverridesConfig_AsUrlOrNpgsqlString()
    {
        var (url, _) = PostgresTarget.Resolve("postgres://a@config-host/one", Env((PostgresTarget.UrlVariable, "postgresql://b@env-host/two")));
        var (keywords, _) = PostgresTarget.Resolve(null, Env((PostgresTarget.UrlVariable, "Host=10.0.0.5;Port=5433;Database=three;Username=c")));

        Assert.Equal("postgres://b@env-host:5432/two", url!.Description);
        Assert.Equal("postgres://c@10.0.0.5:5433/three", keywords!.Description);
    }

    [Fact]
    public void Resolve_PasswordSources_VariableThenFileThenInlineThenPgPassword()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pw"), "from-file\n");
        string? Password(Func<string, string?> env) => new NpgsqlConnectionStringBuilder(PostgresTarget.Resolve("postgres://u@h/d", env).Target!.ConnectionString).Password;

        Assert.Equal("direct", Password(Env((PostgresTarget.PasswordVariable, "direct"), ("PGPASSWORD", "pg"))));
        Assert.Equal("from-file", Password(Env((PostgresTarget.PasswordFileVariable, dir.File("pw")), ("PGPASSWORD", "pg"))));
        Assert.Equal("pg", Password(Env(("PGPASSWORD", "pg"))));
        Assert.Null(Password(Env()));
        var inline = PostgresTarget.Resolve(null, Env((PostgresTarget.UrlVariable, "postgres://u:in%40line@h/d"), ("PGPASSWORD", "pg"))).Target!;
        Assert.Equal("in@line", new NpgsqlConnectionStringBuilder(inline.ConnectionString).Password);
        Assert.DoesNotContain("in@line", inline.Description);
    }

    [Fact]
    public void Resolve_BadInput_ClearErrorsThatNeverHoldThePassword()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty"), "");
        var cases = new (string? Config, Func<string, string?> Env, string Expected)[]
        {
            ("postgres://u:hunter2@h/d", Env(), "holds a password"),
            ("postgres://u@h/d", Env((PostgresTarget.PasswordVariable, "a"), (PostgresTarget.PasswordFileVariable, "b")), "set only one"),
            ("postgres://u@h/d", Env((PostgresTarget.PasswordFileVariable, dir.File("missing"))), "cannot read the password file"),
            ("postgres://u@h/d", Env((PostgresTarget.PasswordFileVariable, dir.File("empty"))), "is empty"),
            ("postgres://u@h/", Env(), "names no database"),
            ("postgres://u@h/d?sslmode=sometimes", Env(), "sslmode"),
            ("postgres://u@h/d?pool=9", Env(), "unknown URL parameter 'pool'"),
            (null, Env((PostgresTarget.UrlVariable, "Host=h;Password=hunter2;Bogus=1")), "neither a postgres:// URL nor an Npgsql connection string"),
        };

        foreach (var (config, env, expected) in cases)
        {
            var (target, error) = PostgresTarget.Resolve(config, env);
            Assert.Null(target);
            Assert.Contains(expected, error);
            Assert.DoesNotContain("hunter2", error);
        }
    }

    [Fact]
    public async Task StoreLocator_PostgresUrlOrVariable_OpensThePostgresStore_WithoutConnecting()
    {
        var (fromConfig, _) = StoreLocator.Open("postgres://vigil@127.0.0.1:1/vigil", "/tmp", TimeProvider.System, Env());
        var (fromEnv, _) = StoreLocator.Open("sqlite:vigil.db", "/tmp", TimeProvider.System, Env((PostgresTarget.UrlVariable, "postgres://other@127.0.0.1:2/db")));

        Assert.IsType<PostgresVigilStore>(fromConfig);
        Assert.Equal("postgres://vigil@127.0.0.1:1/vigil", fromConfig!.Description);
        Assert.Equal("postgres://other@127.0.0.1:2/db", fromEnv!.Description);
        await fromConfig.DisposeAsync();
        await fromEnv.DisposeAsync();
    }
}
