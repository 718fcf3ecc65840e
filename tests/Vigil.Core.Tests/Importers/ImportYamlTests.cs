using Vigil.Core.Config;
using Vigil.Core.Importers;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// The fragment is written by YamlDotNet's serializer: whatever text a vendor holds (words YAML reads as null,
/// booleans or numbers, quotes, colons, comment marks, <c>${…}</c>, line breaks) comes back from Vigil's own
/// config loader exactly as the vendor had it.
/// </summary>
public sealed class ImportYamlTests
{
    [Theory]
    [InlineData("Null")]
    [InlineData("~")]
    [InlineData("yes")]
    [InlineData("true")]
    [InlineData("0123")]
    [InlineData("1e3")]
    [InlineData("09:00")]
    [InlineData("${HOME} and $$ and $x")]
    [InlineData("# not a comment")]
    [InlineData("key: value, [list], {map}")]
    [InlineData("'single' \"double\" \\ back")]
    [InlineData("- dash")]
    [InlineData("  spaces around  ")]
    [InlineData("two\nlines")]
    [InlineData("Zoë & Søren 🚀")]
    public void VendorText_ComesBackFromTheConfigLoader_Exactly(string text)
    {
        var result = new ImportResult { Vendor = ImportVendor.GrafanaOnCall };
        result.People.Add(new PersonConfig { Id = "p", Name = text, Email = "p@example.com", Timezone = "Europe/Berlin" });
        result.Services.Add(new ServiceConfig { Id = "s", Name = text, Description = text });
        result.Notifiers.Add(new ImportedNotifier("hook", "https://hooks.example.com/a?b=c&d=${e}", "from \"" + text + "\""));

        var yaml = ImportYaml.Write(result);
        var loaded = ImportYaml.Validate(yaml);

        Assert.True(loaded.Success, string.Join("\n", loaded.Errors) + "\n---\n" + yaml);
        Assert.Equal(text, loaded.Config!.FindPerson("p")!.Name);
        Assert.Equal(text, loaded.Config.FindService("s")!.Name);
        Assert.Equal(text, loaded.Config.FindService("s")!.Description);
        Assert.Equal("https://hooks.example.com/a?b=c&d=${e}", loaded.Config.FindNotifier("hook")!.Webhook!.Url);
        Assert.StartsWith("# Imported from Grafana OnCall", yaml, StringComparison.Ordinal);
    }
}
