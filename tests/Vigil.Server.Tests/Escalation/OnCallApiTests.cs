using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Escalation;

/// <summary>vigil oncall and vigil override through the real CLI and API.</summary>
public sealed class OnCallApiTests
{
    private const string Config = """
        vigil: { name: oncall-test }
        people:
          - { id: alice, name: Alice }
          - { id: bob, name: Bob }
        schedules:
          - id: primary
            timezone: Europe/Berlin
            layers:
              - { rotation: daily, handoff: "09:00", start: 2026-01-01, members: [alice, bob] }
        """;

    [Fact]
    public async Task OnCall_AtAndNext_ThenOverride_TakesOver_AndIsRemovable()
    {
        await using var server = await TestServer.StartAsync(Config);

        // 2026-01-01 09:00 Berlin starts alice's shift (day 0); 2026-01-02 09:00 bob's.
        var at = await server.CliAsync("oncall", "--at", "2026-01-01T12:00:00+01:00", "-o", "json");
        Assert.True(at.ExitCode == 0, at.ToString());
        var first = Assert.Single(JsonSerializer.Deserialize<List<OnCallView>>(at.Out, VigilJson.Options)!);
        Assert.Equal("alice", first.Person);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero), first.From);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 8, 0, 0, TimeSpan.Zero), first.Until);

        var next = await server.CliAsync("oncall", "--at", "2026-01-01T12:00:00+01:00", "--next", "2d", "-o", "json");
        var shifts = JsonSerializer.Deserialize<List<ShiftView>>(next.Out, VigilJson.Options)!;
        Assert.Equal(["alice", "bob", "alice"], shifts.Select(s => s.Person));

        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("o");
        var to = DateTimeOffset.UtcNow.AddHours(5).ToString("o");
        var add = await server.CliAsync("override", "add", "--schedule", "primary", "--person", "bob", "--from", from, "--to", to, "--reason", "swap");
        Assert.True(add.ExitCode == 0, add.ToString());
        var now = JsonSerializer.Deserialize<List<OnCallView>>((await server.CliAsync("oncall", "-o", "json")).Out, VigilJson.Options)!;
        Assert.Equal("bob", now.Single().Person);
        Assert.Equal("override 1", now.Single().Source);

        Assert.Equal(0, (await server.CliAsync("override", "remove", "1")).ExitCode);
        Assert.Equal(1, (await server.CliAsync("override", "remove", "1")).ExitCode);
        var badPerson = await server.CliAsync("override", "add", "--schedule", "primary", "--person", "zed", "--from", from, "--to", to);
        Assert.Equal(2, badPerson.ExitCode);
        Assert.Contains("'zed' is not a person", badPerson.Error, StringComparison.Ordinal);
        var badSchedule = await server.CliAsync("oncall", "--schedule", "nope");
        Assert.Equal(1, badSchedule.ExitCode);
        Assert.Contains("No schedule 'nope'", badSchedule.Error, StringComparison.Ordinal);
    }
}
