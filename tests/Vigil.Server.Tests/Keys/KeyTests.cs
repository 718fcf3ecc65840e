using System.Net;
using System.Text.Json;
using Vigil.Cli;
using Vigil.Core.Signing;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Keys;

/// <summary>Signing keys end to end: first start, the CLI and API, key files on disk, supplied keys.</summary>
public sealed class KeyTests
{
    [Fact]
    public async Task FirstStart_CreatesOwnerOnlyKeyFile_AndAuditsIt()
    {
        await using var server = await TestServer.StartAsync();
        var path = Path.Combine(server.DataDirectory, "keys.json");

        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var ring = KeyRingJson.Parse(await File.ReadAllTextAsync(path));
        var key = Assert.Single(ring.Keys);
        Assert.NotNull(key.PrivateKey);

        var tail = await server.CliAsync("audit", "tail", "-n", "10");
        Assert.Contains("key.create", tail.Out);
        Assert.Contains($"key/{key.Id}", tail.Out);

        var list = await server.CliAsync("keys", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(key.Id, list.Out);
        Assert.Contains("data-folder", list.Out);
    }

    [Fact]
    public async Task Rotate_RetiresTheOldKey_DropsItsPrivateHalf_Audited()
    {
        await using var server = await TestServer.StartAsync();
        var first = Assert.Single(KeyRingJson.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "keys.json"))).Keys);

        var rotated = await server.CliAsync("keys", "rotate", "--reason", "yearly rotation", "-o", "json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var newId = JsonDocument.Parse(rotated.Out).RootElement.GetProperty("id").GetString();
        Assert.NotEqual(first.Id, newId);

        var ring = KeyRingJson.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "keys.json")));
        Assert.Equal(2, ring.Keys.Count);
        Assert.Null(ring.Find(first.Id)!.PrivateKey);
        Assert.NotNull(ring.Find(first.Id)!.RetiredAt);
        Assert.Equal(newId, ring.SigningKeyAt(ring.Find(newId!)!.NotBefore)!.Id);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "keys.json")));

        var tail = await server.CliAsync("audit", "tail", "-n", "10", "-o", "json");
        Assert.Contains("\"action\":\"key.rotate\"", tail.Out.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains("yearly rotation", tail.Out);
        Assert.DoesNotContain(first.PrivateKey!, tail.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetireSigningKey_RefusedAndAudited_RetireUnknown404()
    {
        await using var server = await TestServer.StartAsync();
        var signing = Assert.Single(KeyRingJson.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "keys.json"))).Keys);

        var refused = await server.CliAsync("keys", "retire", signing.Id);
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("vigil keys rotate", refused.Error);

        using var admin = server.Admin();
        var unknown = await admin.PostAsync("/api/v1/keys/vk_0000000000000000/retire", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var tail = await server.CliAsync("audit", "tail", "-n", "10");
        Assert.Contains("key.retire_refused", tail.Out);
    }

    [Fact]
    public async Task RetireOldKey_AfterRotate_Works_ExportPublicHasNoPrivateHalves()
    {
        await using var server = await TestServer.StartAsync();
        var first = Assert.Single(KeyRingJson.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "keys.json"))).Keys);
        Assert.Equal(0, (await server.CliAsync("keys", "rotate")).ExitCode);

        var retired = await server.CliAsync("keys", "retire", first.Id, "--reason", "laptop lost", "--at", first.CreatedAt.AddSeconds(1).ToString("O"));
        Assert.True(retired.ExitCode == 0, retired.ToString());

        var export = await server.CliAsync("keys", "export", "--public", "pub.json");
        Assert.True(export.ExitCode == 0, export.ToString());
        var text = await File.ReadAllTextAsync(server.Dir.File("pub.json"));
        Assert.DoesNotContain("private_key", text, StringComparison.Ordinal);
        var pub = KeyRingJson.Parse(text);
        Assert.Equal(2, pub.Keys.Count);
        Assert.Equal(first.CreatedAt.AddSeconds(1), pub.Find(first.Id)!.RetiredAt);

        var withoutFlag = await server.CliAsync("keys", "export");
        Assert.Equal(ExitCodes.Usage, withoutFlag.ExitCode);
        Assert.Contains("--public", withoutFlag.Error);
    }

    [Fact]
    public async Task KeyRoutes_NeedAdmin()
    {
        await using var server = await TestServer.StartAsync();
        var operatorToken = await server.CreateTokenAsync("op", "operator");
        using var op = server.Client(operatorToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync("/api/v1/keys/rotate", null)).StatusCode);
    }

    [Fact]
    public async Task KeyFileReadableByOthers_StartRefused_WithChmodAdvice()
    {
        using var dir = new TempDirectory();
        var first = await TestServer.StartAsync(dir: dir);
        await first.App.StopAsync();
        await first.App.DisposeAsync();
        var path = Path.Combine(dir.File("data"), "keys.json");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead);

        await File.WriteAllTextAsync(dir.File("vigil.yaml"), TestServer.MinimalConfig);
        var second = await VigilServer.PrepareAsync(new ServerOptions { ConfigPath = dir.File("vigil.yaml"), DataDirectory = dir.File("data"), Listen = "http://127.0.0.1:0" }, CancellationToken.None);

        Assert.Null(second.App);
        Assert.Contains("chmod 600", Assert.Single(second.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuppliedKeyFile_IsUsed_RotateRefused()
    {
        using var dir = new TempDirectory();
        var key = EcdsaKeys.Generate(TimeProvider.System.GetUtcNow().AddDays(-1));
        var supplied = dir.File("supplied-keys.json");
        await File.WriteAllTextAsync(supplied, KeyRingJson.Serialize(new KeyRing([key])));
        File.SetUnixFileMode(supplied, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var server = await TestServer.StartAsync(dir: dir, configure: o => o with { KeysFile = supplied });

        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "keys.json")));
        var list = await server.CliAsync("keys", "list", "-o", "json");
        Assert.Contains(key.Id, list.Out);
        var rotate = await server.CliAsync("keys", "rotate");
        Assert.Equal(ExitCodes.Failed, rotate.ExitCode);
        Assert.Contains("VIGIL_KEYS_FILE", rotate.Error);
    }

    [Fact]
    public async Task SigningKeyFromEnvironment_PemIsUsed()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await using var server = await TestServer.StartAsync(configure: o => o with { SigningKeyPem = ecdsa.ExportPkcs8PrivateKeyPem() });

        var list = await server.CliAsync("keys", "list");
        Assert.Contains(EcdsaKeys.IdOf(ecdsa.ExportSubjectPublicKeyInfo()), list.Out);
        Assert.Contains("environment", list.Out);
    }
}
