using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the CLI's own sentences: an unknown command or option
/// names where it was typed and suggests the closest one (<see cref="Suggest"/>); a value that does not
/// convert names the option or argument, the value, and the expected form, never a .NET type name.
/// </summary>
internal static class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var messages = new List<string>();
        var command = parse.CommandResult;
        if (parse.UnmatchedTokens.Count > 0)
        {
            // The first unknown word is the mistake; the words after it (and "required command was not
            // provided" before it) follow from it.
            messages.Add(Unknown(parse.UnmatchedTokens[0], command));
        }

        foreach (var error in parse.Errors)
        {
            if (ConversionError(error) is { } conversion)
            {
                messages.Add(conversion);
            }
            else if (parse.UnmatchedTokens.Count == 0)
            {
                messages.Add(error.Message);
            }
        }

        return messages.Distinct().ToList();
    }

    /// <summary>
    /// Names the unknown word without repeating a secret typed with it: a mistyped option's value
    /// (<c>--tokn=vgl_…</c>) is left out, and an unexpected argument goes through <see cref="SecretPatterns"/>
    /// (a token pasted where no argument belongs). Messages reach terminals, CI logs and shell history alike.
    /// </summary>
    private static string Unknown(string token, CommandResult where)
    {
        var path = CommandPath(where);
        if (token.StartsWith('-'))
        {
            var options = OptionsIn(where).SelectMany(o => o.Aliases.Append(o.Name)).Distinct();
            var separator = token.IndexOfAny(['=', ':']);
            var name = separator > 0 ? token[..separator] : token;
            var value = separator > 0 ? " (its value is not shown)" : "";
            return $"Unknown option '{name}'{value} for '{path}'{Hint(name, options)}";
        }

        var commands = where.Command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Append(c.Name)).ToList();
        return commands.Count == 0
            ? $"Unexpected argument '{SecretPatterns.Redact(token, "[redacted]")}' for '{path}'."
            : $"Unknown command '{SecretPatterns.Redact(token, "[redacted]")}' for '{path}'{Hint(token, commands)}";
    }

    private static string Hint(string token, IEnumerable<string> candidates) => Suggest.DidYouMean(token, candidates) is { Length: > 0 } hint ? hint : ".";

    /// <summary>The options a command accepts: its own and its ancestors' recursive ones.</summary>
    private static IEnumerable<Option> OptionsIn(CommandResult where)
    {
        foreach (var option in where.Command.Options.Where(o => !o.Hidden))
        {
            yield return option;
        }

        for (var parent = where.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive && !o.Hidden))
            {
                yield return option;
            }
        }
    }

    /// <summary>The command as typed ("vigil incident show"), for messages.</summary>
    public static string CommandPath(CommandResult where)
    {
        var names = new List<string>();
        for (SymbolResult? r = where; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Parent is null ? "vigil" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Our sentence for a value that did not convert to its option's or argument's type; null for other errors.</summary>
    private static string? ConversionError(ParseError error)
    {
        var (symbol, type, tokens, command) = error.SymbolResult switch
        {
            OptionResult o => ((string?)(o.IdentifierToken?.Value ?? o.Option.Name), o.Option.ValueType, o.Tokens, o.Parent as CommandResult),
            ArgumentResult { Parent: OptionResult o } a => (o.IdentifierToken?.Value ?? o.Option.Name, a.Argument.ValueType, a.Tokens, o.Parent as CommandResult),
            ArgumentResult a => (a.Argument.Name.ToUpperInvariant(), a.Argument.ValueType, a.Tokens, a.Parent as CommandResult),
            _ => (null, typeof(string), [], null),
        };
        var element = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType()! : type);
        if (symbol is null || element == typeof(string) || element.FullName is not { } name || !error.Message.Contains(name, StringComparison.Ordinal))
        {
            return null;
        }

        var value = tokens.Count == 0 ? "" : $" '{string.Join(' ', tokens.Select(t => t.Value))}'";
        var where = command is null ? "" : $" of '{CommandPath(command)}'";
        return $"{symbol}{value}{where} is not valid: expected {ExpectedForm(element)}.";
    }

    /// <summary>What a value of this type looks like, in words.</summary>
    public static string ExpectedForm(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number, like 42",
        _ when type == typeof(double) || type == typeof(decimal) => "a number, like 1.5",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a time in ISO 8601 with an offset, like 2026-05-01T14:00:00Z",
        _ when type == typeof(TimeSpan) => "a duration, like 00:30:00",
        { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName)),
        _ => "a " + type.Name.ToLowerInvariant(),
    };
}
