using System.Text.Json;
using Vigil.Probes.Http;

namespace Vigil.Probes.Tests.Http;

public sealed class JsonPathTests
{
    private const string Doc = """{"a":{"b":[10,{"c":"x"}]},"odd name":true,"n":null}""";

    [Theory]
    [InlineData("$.a.b[0]", "10")]
    [InlineData("$.a.b[1].c", "x")]
    [InlineData("a.b[1].c", "x")]
    [InlineData("$['odd name']", "true")]
    [InlineData("$[\"odd name\"]", "true")]
    [InlineData("$.n", "null")]
    [InlineData("$", """{"a":{"b":[10,{"c":"x"}]},"odd name":true,"n":null}""")]
    public void TryResolve_ValidPath_FindsValue(string path, string expected)
    {
        using var doc = JsonDocument.Parse(Doc);
        Assert.True(JsonPath.TryParse(path, out var parsed, out _));

        Assert.True(parsed!.TryResolve(doc.RootElement, out var value));
        Assert.Equal(expected, JsonAssertions.AsText(value));
    }

    [Theory]
    [InlineData("$.a.b[2]")]
    [InlineData("$.a.z")]
    [InlineData("$.a.b.c")]
    [InlineData("$['odd name'].x")]
    public void TryResolve_AbsentField_ReturnsFalse(string path)
    {
        using var doc = JsonDocument.Parse(Doc);
        Assert.True(JsonPath.TryParse(path, out var parsed, out _));

        Assert.False(parsed!.TryResolve(doc.RootElement, out _));
    }

    [Theory]
    [InlineData("$.a[")]
    [InlineData("$.a[x]")]
    [InlineData("$..a")]
    [InlineData("$a")]
    public void TryParse_Invalid_ExplainsWhy(string path)
    {
        Assert.False(JsonPath.TryParse(path, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
