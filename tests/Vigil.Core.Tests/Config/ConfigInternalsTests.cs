using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigInternalsTests
{
    private static readonly Dictionary<string, string> _env = new() { ["A"] = "alpha", ["EMPTY"] = string.Empty };

    private static string Expand(string text, out bool used, out List<string> errors) =>
        new EnvExpander(name => _env.TryGetValue(name, out var v) ? v : null).Expand(text, out used, out errors);

    [Theory]
    [InlineData("plain", "plain", false)]
    [InlineData("${A}", "alpha", true)]
    [InlineData("x-${A}-y", "x-alpha-y", true)]
    [InlineData("${MISSING:-fallback}", "fallback", true)]
    [InlineData("${EMPTY:-fallback}", "fallback", true)]
    [InlineData("${EMPTY}", "", true)]
    [InlineData("$$", "$", false)]
    [InlineData("$${A}", "${A}", false)]
    [InlineData("$HOME and $1", "$HOME and $1", false)]
    [InlineData("cost: 5$", "cost: 5$", false)]
    [InlineData("${A:-}", "alpha", true)]
    public void Expand_Text_ExpandsReferences(string text, string expected, bool expectUsed)
    {
        var result = Expand(text, out var used, out var errors);

        Assert.Empty(errors);
        Assert.Equal(expected, result);
        Assert.Equal(expectUsed, used);
    }

    [Theory]
    [InlineData("${MISSING}", "`MISSING` is not set")]
    [InlineData("${A", "is not closed")]
    [InlineData("${1X}", "not a valid variable reference")]
    [InlineData("${}", "not a valid variable reference")]
    public void Expand_BadReference_ReportsError(string text, string fragment)
    {
        Expand(text, out _, out var errors);

        Assert.Contains(errors, e => e.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("${A}", "${A}")]
    [InlineData("a$${A}", "a$${A}")]
    [InlineData("$HOME/${A}", "$HOME/${A}")]
    [InlineData("x$$${A}", "x$$${A}")]
    [InlineData("${A:-d}z$", "${A:-d}z$")]
    public void Canonical_Template_ExpandsTheSameAsTheOriginal(string template, string canonical)
    {
        Assert.Equal(canonical, EnvExpander.Canonical(template));
        Assert.Equal(Expand(template, out _, out _), Expand(EnvExpander.Canonical(template), out _, out _));
    }

    [Theory]
    [InlineData("$", "$")]
    [InlineData("${X}", "$${X}")]
    [InlineData("a$$b", "a$$$b")]
    [InlineData("^x$", "^x$")]
    public void EscapeLiteral_Value_ExpandsBackToItself(string value, string escaped)
    {
        Assert.Equal(escaped, EnvExpander.EscapeLiteral(value));
        Assert.Equal(value, Expand(escaped, out _, out var errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("evry", "every")]
    [InlineData("depnds_on", "depends_on")]
    [InlineData("prod", "production")]
    [InlineData("Europe/Berln", "Europe/Berlin")]
    public void Closest_Typo_SuggestsIntendedWord(string input, string expected)
    {
        Assert.Equal(expected, Suggest.Closest(input, ["every", "depends_on", "production", "staging", "dev", "Europe/Berlin", "Europe/Paris"]));
    }

    [Fact]
    public void Closest_UnrelatedWord_SuggestsNothing()
    {
        Assert.Null(Suggest.Closest("zzzz", ["every", "timeout", "jitter"]));
    }

    [Theory]
    [InlineData("MaxRequestBodyBytes", "max_request_body_bytes")]
    [InlineData("LatencyP95", "latency_p95")]
    [InlineData("Id", "id")]
    [InlineData("HTTPServer", "http_server")]
    public void ToSnakeCase_PascalCase_ConvertsToKey(string name, string key)
    {
        Assert.Equal(key, ConfigNaming.ToSnakeCase(name));
    }

    [Fact]
    public void ConfigTypeInfo_EveryOptionClass_BindsWithoutUnsupportedTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(VigilConfig)]);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var prop in ConfigTypeInfo.Get(type).Properties)
            {
                var element = prop.ValueType.Kind is ValueKind.List or ValueKind.Map ? prop.ValueType.Element : prop.ValueType;
                if (element.Kind == ValueKind.Object)
                {
                    pending.Push(element.ClrType);
                }
            }
        }

        Assert.True(seen.Count > 30, $"only {seen.Count} option classes reached");
    }
}
