using System.Globalization;
using System.Runtime.CompilerServices;
using Vigil.Core.Config;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Runbooks;

/// <summary>What a shell command does to the system it runs on.</summary>
public enum CommandClass
{
    /// <summary>Looks only: get, describe, logs, status, SELECT.</summary>
    Read,

    /// <summary>Changes something that running the step again (or a later step) can set right: restart, scale, apply.</summary>
    Change,

    /// <summary>Loses data or availability: delete, drop, rm -r, drain, FLUSHALL, terraform destroy.</summary>
    Destroy,
}

/// <summary>A command's class and a short name for it, such as <c>kubectl delete</c> or <c>rm -rf</c>.</summary>
public readonly record struct CommandVerdict(CommandClass Class, string Name)
{
    internal static CommandVerdict Max(CommandVerdict a, CommandVerdict b) => b.Class > a.Class ? b : a;
}

/// <summary>
/// The hazard model as data: command families with their verbs classed read, change or destroy, the options that
/// raise a class (<c>--force</c>, <c>--grace-period=0</c>, <c>--all</c>) or make a command a dry run, the wrappers
/// that run other commands (<c>sudo</c>, <c>ssh host cmd</c>, <c>kubectl exec … --</c>, <c>bash -c</c>), and SQL
/// statements. The built-in table is the embedded <c>commands.yaml</c>, read once; <c>runbooks.commands:</c> in the
/// config extends or overrides it (<see cref="For"/>). Freezes, approvals, <c>destructive-command</c> and
/// <c>mutation-without-verification</c> all classify with it. Immutable and thread-safe.
/// </summary>
public sealed class CommandTable
{
    private const int MaxDepth = 8;

    private static readonly Lazy<CommandTable> Builtin = new(LoadBuiltin);
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac", "in" };
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, CommandFamilyConfig>, CommandTable> ByConfig = new();

    private readonly Dictionary<string, Family> _families;
    private readonly List<(string Pattern, CommandClass Class)> _globalFlags;
    private readonly SqlRules _sql;
    private readonly List<string> _dryRun;

    private CommandTable(Dictionary<string, Family> families, List<(string, CommandClass)> globalFlags, SqlRules sql, List<string> dryRun)
    {
        _families = families;
        _globalFlags = globalFlags;
        _sql = sql;
        _dryRun = dryRun;
    }

    /// <summary>The built-in table.</summary>
    public static CommandTable Default => Builtin.Value;

    /// <summary>The families the table knows, by command name.</summary>
    public IReadOnlyCollection<string> Families => _families.Keys;

    /// <summary>The built-in table with <c>runbooks.commands</c> of <paramref name="config"/> on top (cached per config).</summary>
    public static CommandTable For(RunbooksConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Commands.Count == 0 ? Default : ByConfig.GetValue(config.Commands, c => Default.With(c));
    }

    /// <summary>This table with <paramref name="overrides"/> merged on top: per family, scalars replace, maps merge key by key, lists add.</summary>
    public CommandTable With(IReadOnlyDictionary<string, CommandFamilyConfig> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var configs = new Dictionary<string, CommandFamilyConfig>(_families.ToDictionary(f => f.Key, f => f.Value.Config), StringComparer.Ordinal);
        foreach (var (name, family) in overrides)
        {
            configs[name] = configs.TryGetValue(name, out var existing) ? Merge(existing, family) : family;
        }

        return new CommandTable(Compile(configs), _globalFlags, _sql, _dryRun);
    }

    /// <summary>What <paramref name="script"/>'s commands do, one verdict per simple command (nested ones included), with the 0-based line each starts on.</summary>
    internal IEnumerable<(ShellCommand Command, CommandVerdict Verdict)> Classify(string script)
    {
        foreach (var command in ShellReader.Read(script))
        {
            yield return (command, Classify(command));
        }
    }

    /// <summary>The class of one simple command: its own words, what it wraps or runs, and its redirects.</summary>
    internal CommandVerdict Classify(ShellCommand command)
    {
        if (LooksLikeOutput(command.Words))
        {
            return new CommandVerdict(CommandClass.Read, "");
        }

        var verdict = Classify(command.Words, command.Stdin, 0, prompt: true);
        return WithRedirects(command, verdict);
    }

    // Output or a crontab entry pasted into a shell block ("18:46:59.607 http.c:654 => Send header:",
    // "0 0 * * * /opt/backup.sh >> /var/log/backup.log", "Events:  <none>"): no command starts with a digit or a
    // "*", or ends its name with ":".
    private static bool LooksLikeOutput(List<string> words) =>
        words.Count > 0 && words[0].Length > 0 && (char.IsAsciiDigit(words[0][0]) || words[0][0] == '*' || (words[0].Length > 1 && words[0][^1] == ':'));

    // Output redirected to a system file (an absolute path outside /tmp) is a change. Output saved to a working
    // file (a relative path, ~/…, $DIR/…, /tmp/…) changes nothing the runbook operates on. A line starting with
    // ">" is read by bash as a redirect, but in runbooks it is nearly always a PS2 prompt or quoted output
    // ("> Accept: */*"), so redirects written before the command's first word do not count.
    private static CommandVerdict WithRedirects(ShellCommand command, CommandVerdict verdict)
    {
        if (verdict.Class >= CommandClass.Change)
        {
            return verdict;
        }

        var target = command.FileRedirects.Skip(command.LeadingRedirects).FirstOrDefault(IsSystemPath);
        return target is null ? verdict : new CommandVerdict(CommandClass.Change, $"> {target}");
    }

    /// <summary>Whether output written to <paramref name="path"/> changes the system: an absolute path outside /tmp and /var/tmp.</summary>
    internal static bool IsSystemPath(string path) =>
        path.StartsWith('/') && !path.StartsWith("/tmp/", StringComparison.Ordinal) && !path.StartsWith("/var/tmp/", StringComparison.Ordinal) && path != "/tmp";

    private CommandVerdict ClassifyScript(string script, int depth)
    {
        var best = new CommandVerdict(CommandClass.Read, "");
        if (depth > MaxDepth)
        {
            return best;
        }

        foreach (var command in ShellReader.Read(script))
        {
            var verdict = WithRedirects(command, Classify(command.Words, command.Stdin, depth, prompt: false));
            best = CommandVerdict.Max(best, verdict);
        }

        return best;
    }

    private CommandVerdict Classify(IReadOnlyList<string> words, string? stdin, int depth, bool prompt)
    {
        var read = new CommandVerdict(CommandClass.Read, "");
        var k = 0;
        if (prompt && words.Count > 1 && words[0] == "$")
        {
            k = 1; // a "$ " prompt left in a bash block
        }

        // Assignments (A=1 cmd) and the keywords that come before a command (if, then, do, !, {) are not its name;
        // after for, case, select and function come names and patterns, not commands.
        while (k < words.Count && (IsAssignment(words[k]) || Keywords.Contains(words[k])))
        {
            k++;
        }

        if (k >= words.Count || depth > MaxDepth || words[k] is "for" or "case" or "select" or "function" or "[[" or "[" or "test")
        {
            return read;
        }

        var name = words[k];
        var slash = name.LastIndexOf('/');
        if (slash >= 0 && slash < name.Length - 1)
        {
            name = name[(slash + 1)..];
        }

        var args = words.Skip(k + 1).ToList();
        if (!_families.TryGetValue(name, out var family)
            && !(name.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && _families.TryGetValue(name[..dot], out family)))
        {
            return Unknown(name, args);
        }

        return family.Wraps is { } wraps ? Wrapped(family, wraps, args, stdin, depth) : Own(name, family, args, stdin, depth);
    }

    // A command the table does not know: read, unless a global flag (--force) says otherwise.
    private CommandVerdict Unknown(string name, List<string> args)
    {
        var best = new CommandVerdict(CommandClass.Read, name);
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            foreach (var (pattern, cls) in _globalFlags)
            {
                if (cls > best.Class && (arg == pattern || arg.StartsWith(pattern + "=", StringComparison.Ordinal)))
                {
                    best = new CommandVerdict(cls, $"{name} {pattern}");
                }
            }
        }

        return best;
    }

    private CommandVerdict Wrapped(Family family, string wraps, List<string> args, string? stdin, int depth)
    {
        var i = 0;
        string? script = null;
        while (i < args.Count && args[i].Length > 1 && args[i][0] == '-')
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }

            i += family.OptionsWithValues.Contains(arg) ? 2 : 1;
        }

        if (wraps == "dash-c")
        {
            // bash -c 'script', bash -lc 'script', su - user -c 'script'
            var c = args.FindIndex(a => a.Length > 1 && a[0] == '-' && a[1] != '-' && a.Contains('c', StringComparison.Ordinal) && !family.OptionsWithValues.Contains(a));
            script = c >= 0 && c + 1 < args.Count ? args[c + 1] : null;

            // "bash <<EOF … EOF" and "bash -s" run their input; "bash script.sh" runs a file we cannot see.
            script ??= i >= args.Count || args[i] == "-s" ? stdin : null;
            return script is null ? new CommandVerdict(CommandClass.Read, "") : ClassifyScript(script, depth + 1);
        }

        while (i < args.Count && IsAssignment(args[i]))
        {
            i++; // env A=1 B=2 cmd
        }

        i += family.Skip;
        if (i >= args.Count)
        {
            return new CommandVerdict(CommandClass.Read, "");
        }

        var rest = args.Skip(i).ToList();
        return wraps == "string" ? ClassifyScript(string.Join(' ', rest), depth + 1) : Classify(rest, stdin, depth + 1, prompt: false);
    }

    private CommandVerdict Own(string name, Family family, List<string> args, string? stdin, int depth)
    {
        // Options (as written, and split: --x=1 -> --x; -rf -> -r -f; "-n ns" as one form too) and positional words.
        var forms = new List<(string Form, string Written)>();
        var values = new List<(string Option, string Value)>();
        var positional = new List<(string Word, int Index)>();
        var dashdash = -1;
        for (var j = 0; j < args.Count; j++)
        {
            var w = args[j];
            if (w == "--")
            {
                dashdash = j;
                break;
            }

            if (w.Length > 1 && w[0] == '-')
            {
                forms.Add((w, w));
                var eq = w.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    forms.Add((w[..eq], w));
                    values.Add((w[..eq], w[(eq + 1)..]));
                }
                else if ((family.OptionsWithValues.Contains(w) || family.SqlOptions.Contains(w) || family.ScriptOptions.Contains(w)) && j + 1 < args.Count)
                {
                    forms.Add(($"{w} {args[j + 1]}", $"{w} {args[j + 1]}"));
                    values.Add((w, args[j + 1]));
                    j++;
                }
                else if (family.Clusters && w[1] != '-' && w.Length > 2)
                {
                    forms.AddRange(w.Skip(1).Select(ch => ("-" + ch, w)));
                }

                if (family.ExecOptions.Contains(w))
                {
                    break; // find … -exec cmd {} \; : the rest belongs to the command it runs
                }
            }
            else
            {
                positional.Add((w, j));
            }
        }

        var (rule, start) = MatchVerb(family, positional, forms);
        var verdict = rule is null
            ? new CommandVerdict(family.Default, name)
            : new CommandVerdict(rule.Class, string.Join(' ', new[] { name }.Concat(positional.Take(start + rule.Positional.Length).Select(p => p.Word)).Concat(rule.Options)));

        // Options and words that make the command a dry run, or raise its class.
        var all = forms.Concat(positional.Select(p => (Form: p.Word, Written: p.Word))).ToList();
        if (Find(family.Always, all, c => c == CommandClass.Read) is not null || Find(family.Flags, all, c => c == CommandClass.Read) is not null
            || forms.Any(f => _dryRun.Any(d => Glob(d, f.Form, ignoreCase: false))))
        {
            return new CommandVerdict(CommandClass.Read, verdict.Name);
        }

        if (Find(family.Always, all, c => c > verdict.Class) is { } always)
        {
            verdict = new CommandVerdict(always.Class, $"{verdict.Name} {always.Written}");
        }

        // A raising option is named even when the verb alone already destroys: "kubectl delete --force".
        if (verdict.Class >= CommandClass.Change
            && (Find(family.Flags, all, c => c >= verdict.Class && c > CommandClass.Read) ?? Find(_globalFlags, forms, c => c >= verdict.Class)) is { } flag)
        {
            verdict = new CommandVerdict(flag.Class, $"{verdict.Name} {flag.Written}");
        }

        // What it runs: kubectl exec … -- cmd, docker exec CONTAINER cmd, knife ssh QUERY 'cmd', find -exec cmd \;
        if (rule is not null && family.Runs.TryGetValue(rule.Key, out var runs))
        {
            verdict = CommandVerdict.Max(verdict, Runs(runs, args, positional, start + rule.Positional.Length, dashdash, depth));
        }

        var exec = args.FindIndex(a => family.ExecOptions.Contains(a));
        if (exec >= 0)
        {
            // find … -exec cmd {} \; runs cmd on every file found: a change to each is a destroy-class change to all.
            var inner = Classify(args.Skip(exec + 1).TakeWhile(a => a is not (";" or "+")).ToList(), null, depth + 1, prompt: false);
            if (inner.Class == CommandClass.Change)
            {
                inner = new CommandVerdict(CommandClass.Destroy, $"{name} {args[exec]} {inner.Name}");
            }

            verdict = CommandVerdict.Max(verdict, inner);
        }

        foreach (var (option, value) in values)
        {
            if (family.ScriptOptions.Contains(option))
            {
                verdict = CommandVerdict.Max(verdict, ClassifyScript(value, depth + 1));
            }
            else if (family.SqlOptions.Contains(option))
            {
                verdict = CommandVerdict.Max(verdict, Sql(name, value));
            }
        }

        if (family.SqlOptions.Count > 0 && stdin is not null)
        {
            verdict = CommandVerdict.Max(verdict, Sql(name, stdin));
        }

        return verdict;
    }

    private CommandVerdict Runs(string runs, List<string> args, List<(string Word, int Index)> positional, int afterVerb, int dashdash, int depth)
    {
        List<string> inner;
        var asString = false;
        if (runs == "--")
        {
            if (dashdash < 0)
            {
                return new CommandVerdict(CommandClass.Read, "");
            }

            inner = args.Skip(dashdash + 1).ToList();
        }
        else
        {
            asString = runs.StartsWith("string:", StringComparison.Ordinal);
            var skip = int.Parse(asString ? runs[7..] : runs, CultureInfo.InvariantCulture);
            var at = afterVerb + skip - 1;
            var from = skip == 0 ? (afterVerb - 1 < positional.Count && afterVerb > 0 ? positional[afterVerb - 1].Index + 1 : 0)
                : at < positional.Count ? positional[at].Index + 1 : args.Count;
            inner = args.Skip(from).ToList();
        }

        if (inner.Count > 0 && inner[0] == "--")
        {
            inner.RemoveAt(0); // knife ssh QUERY -- 'cmd'
        }

        if (inner.Count == 0)
        {
            return new CommandVerdict(CommandClass.Read, "");
        }

        return asString ? ClassifyScript(string.Join(' ', inner), depth + 1) : Classify(inner, null, depth + 1, prompt: false);
    }

    private static (VerbRule? Rule, int Start) MatchVerb(Family family, List<(string Word, int Index)> positional, List<(string Form, string Written)> forms)
    {
        var starts = family.Search ? Math.Min(4, Math.Max(1, positional.Count)) : 1;
        for (var start = 0; start < starts; start++)
        {
            VerbRule? best = null;
            foreach (var rule in family.Verbs)
            {
                if ((best is null || rule.Weight > best.Weight)
                    && (start == 0 || rule.Positional.Length > 0)
                    && Matches(rule, positional, start, forms, family.IgnoreCase))
                {
                    best = rule;
                }
            }

            if (best is not null)
            {
                return (best, start);
            }
        }

        return (null, 0);
    }

    private static bool Matches(VerbRule rule, List<(string Word, int Index)> positional, int start, List<(string Form, string Written)> forms, bool ignoreCase)
    {
        if (start + rule.Positional.Length > positional.Count)
        {
            return false;
        }

        for (var i = 0; i < rule.Positional.Length; i++)
        {
            if (!Glob(rule.Positional[i], positional[start + i].Word, ignoreCase))
            {
                return false;
            }
        }

        return rule.Options.All(o => forms.Any(f => Glob(o, f.Form, ignoreCase)));
    }

    private static (CommandClass Class, string Written)? Find(List<(string Pattern, CommandClass Class)> entries, List<(string Form, string Written)> forms, Func<CommandClass, bool> wanted)
    {
        (CommandClass Class, string Written)? best = null;
        foreach (var (pattern, cls) in entries)
        {
            if (!wanted(cls) || (best is { } b && b.Class >= cls))
            {
                continue;
            }

            foreach (var (form, written) in forms)
            {
                if (Glob(pattern, form, ignoreCase: false))
                {
                    best = (cls, written);
                    break;
                }
            }
        }

        return best;
    }

    private CommandVerdict Sql(string name, string sql)
    {
        var best = new CommandVerdict(CommandClass.Read, name);
        foreach (var raw in sql.Split(';'))
        {
            var statement = string.Join(' ', raw.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith('\\')));
            var words = statement.Split([' ', '\t', '\r', '(', ','], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            var keyword = words[0].ToUpperInvariant();
            var hasWhere = words.Any(w => w.Equals("WHERE", StringComparison.OrdinalIgnoreCase));
            if (keyword == "COPY" && !(statement.Contains("FROM STDIN", StringComparison.OrdinalIgnoreCase) || statement.Contains("FROM '", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // COPY … TO STDOUT (or to a file) exports; only COPY … FROM loads data
            }
            var cls = _sql.Destroy.Contains(keyword) || (_sql.DestroyWithoutWhere.Contains(keyword) && !hasWhere) ? CommandClass.Destroy
                : _sql.Change.Contains(keyword) ? CommandClass.Change
                : CommandClass.Read;
            var shown = cls == CommandClass.Destroy && _sql.DestroyWithoutWhere.Contains(keyword) && !hasWhere ? $"{keyword} without WHERE" : keyword;
            best = CommandVerdict.Max(best, new CommandVerdict(cls, $"{name} {shown}"));
        }

        return best;
    }

    private static bool IsAssignment(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        for (var i = 1; i < eq; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[i]) || word[i] == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>, where <c>*</c> is any run of characters.</summary>
    internal static bool Glob(string pattern, string text, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, text, comparison);
        }

        // Greedy with one back-off point: linear in practice, O(pattern × text) at worst.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && string.Equals(pattern[p].ToString(), text[t].ToString(), comparison))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static CommandClass ParseClass(string value) => value switch
    {
        "change" => CommandClass.Change,
        "destroy" => CommandClass.Destroy,
        _ => CommandClass.Read,
    };

    private static CommandFamilyConfig Merge(CommandFamilyConfig under, CommandFamilyConfig over) => new()
    {
        Alias = over.Alias ?? under.Alias,
        Default = over.Default ?? under.Default,
        Verbs = MergeMap(under.Verbs, over.Verbs),
        Flags = MergeMap(under.Flags, over.Flags),
        Always = MergeMap(under.Always, over.Always),
        Runs = MergeMap(under.Runs, over.Runs),
        OptionsWithValues = under.OptionsWithValues.Union(over.OptionsWithValues).ToList(),
        ExecOptions = under.ExecOptions.Union(over.ExecOptions).ToList(),
        ScriptOptions = under.ScriptOptions.Union(over.ScriptOptions).ToList(),
        SqlOptions = under.SqlOptions.Union(over.SqlOptions).ToList(),
        Search = over.Search ?? under.Search,
        IgnoreCase = over.IgnoreCase ?? under.IgnoreCase,
        Clusters = over.Clusters ?? under.Clusters,
        Wraps = over.Wraps ?? under.Wraps,
        Skip = over.Skip ?? under.Skip,
    };

    private static Dictionary<string, string> MergeMap(IReadOnlyDictionary<string, string> under, IReadOnlyDictionary<string, string> over)
    {
        var merged = new Dictionary<string, string>(under, StringComparer.Ordinal);
        foreach (var (key, value) in over)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static Dictionary<string, Family> Compile(Dictionary<string, CommandFamilyConfig> configs)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        foreach (var (name, config) in configs)
        {
            // An alias reads as its target with its own entries on top; chains are followed, cycles stop.
            var resolved = config;
            var seen = new HashSet<string>(StringComparer.Ordinal) { name };
            var current = config;
            while (current.Alias is { } alias && seen.Add(alias) && configs.TryGetValue(alias, out var target))
            {
                resolved = Merge(target, resolved);
                current = target;
            }

            families[name] = new Family(config, resolved);
        }

        return families;
    }

    private static CommandTable LoadBuiltin()
    {
        using var stream = typeof(CommandTable).Assembly.GetManifestResourceStream("Vigil.Core.Runbooks.commands.yaml")
            ?? throw new InvalidOperationException("the embedded command table commands.yaml is missing from Vigil.Core");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Reads a table in the format of the embedded <c>commands.yaml</c>; throws on a malformed one (the built-in table is checked by tests).</summary>
    internal static CommandTable Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var configs = new Dictionary<string, CommandFamilyConfig>(StringComparer.Ordinal);
        foreach (var (key, value) in (YamlMappingNode)root["families"])
        {
            var name = ((YamlScalarNode)key).Value!;
            var family = ReadFamily((YamlMappingNode)value);
            if (family.Problems().FirstOrDefault() is { Message: not null } problem && problem.Map is not null)
            {
                throw new InvalidOperationException($"commands.yaml: {name}.{problem.Map}: {problem.Message}");
            }

            configs[name] = family;
        }

        var flags = ((YamlMappingNode)root["flags"]).Select(p => (((YamlScalarNode)p.Key).Value!, ParseClass(((YamlScalarNode)p.Value).Value!))).ToList();
        var sql = (YamlMappingNode)root["sql"];
        HashSet<string> Words(string key) => new(((YamlSequenceNode)sql[key]).Select(n => ((YamlScalarNode)n).Value!), StringComparer.Ordinal);
        var dryRun = ((YamlSequenceNode)root["dry_run"]).Select(n => ((YamlScalarNode)n).Value!).ToList();
        return new CommandTable(Compile(configs), flags, new SqlRules(Words("destroy"), Words("destroy_without_where"), Words("change")), dryRun);
    }

    private static CommandFamilyConfig ReadFamily(YamlMappingNode node)
    {
        static Dictionary<string, string> Map(YamlNode n) =>
            ((YamlMappingNode)n).ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal);
        static List<string> List(YamlNode n) => ((YamlSequenceNode)n).Select(i => ((YamlScalarNode)i).Value!).ToList();
        static string Scalar(YamlNode n) => ((YamlScalarNode)n).Value!;

        var family = new CommandFamilyConfig();
        foreach (var (keyNode, value) in node)
        {
            switch (Scalar(keyNode))
            {
                case "alias": family.Alias = Scalar(value); break;
                case "default": family.Default = Scalar(value); break;
                case "verbs": family.Verbs = Map(value); break;
                case "flags": family.Flags = Map(value); break;
                case "always": family.Always = Map(value); break;
                case "runs": family.Runs = Map(value); break;
                case "options_with_values": family.OptionsWithValues = List(value); break;
                case "exec_options": family.ExecOptions = List(value); break;
                case "script_options": family.ScriptOptions = List(value); break;
                case "sql_options": family.SqlOptions = List(value); break;
                case "search": family.Search = bool.Parse(Scalar(value)); break;
                case "ignore_case": family.IgnoreCase = bool.Parse(Scalar(value)); break;
                case "clusters": family.Clusters = bool.Parse(Scalar(value)); break;
                case "wraps": family.Wraps = Scalar(value); break;
                case "skip": family.Skip = int.Parse(Scalar(value), CultureInfo.InvariantCulture); break;
                case var other: throw new InvalidOperationException($"commands.yaml: unknown key `{other}`");
            }
        }

        return family;
    }

    private sealed record SqlRules(HashSet<string> Destroy, HashSet<string> DestroyWithoutWhere, HashSet<string> Change);

    private sealed class VerbRule(string key, CommandClass cls)
    {
        public string Key { get; } = key;
        public CommandClass Class { get; } = cls;
        public string[] Positional { get; } = key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !(w.Length > 1 && w[0] == '-')).ToArray();
        public string[] Options { get; } = key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1 && w[0] == '-').ToArray();
        public int Weight => Positional.Length + Options.Length;
    }

    private sealed class Family(CommandFamilyConfig config, CommandFamilyConfig resolved)
    {
        public CommandFamilyConfig Config { get; } = config;
        public CommandClass Default { get; } = ParseClass(resolved.Default ?? "read");
        public List<VerbRule> Verbs { get; } = resolved.Verbs.Select(v => new VerbRule(v.Key, ParseClass(v.Value))).ToList();
        public List<(string Pattern, CommandClass Class)> Flags { get; } = resolved.Flags.Select(f => (f.Key, ParseClass(f.Value))).ToList();
        public List<(string Pattern, CommandClass Class)> Always { get; } = resolved.Always.Select(f => (f.Key, ParseClass(f.Value))).ToList();
        public Dictionary<string, string> Runs { get; } = new(resolved.Runs, StringComparer.Ordinal);
        public HashSet<string> OptionsWithValues { get; } = new(resolved.OptionsWithValues, StringComparer.Ordinal);
        public HashSet<string> ExecOptions { get; } = new(resolved.ExecOptions, StringComparer.Ordinal);
        public HashSet<string> ScriptOptions { get; } = new(resolved.ScriptOptions, StringComparer.Ordinal);
        public HashSet<string> SqlOptions { get; } = new(resolved.SqlOptions, StringComparer.Ordinal);
        public bool Search { get; } = resolved.Search ?? false;
        public bool IgnoreCase { get; } = resolved.IgnoreCase ?? false;
        public bool Clusters { get; } = resolved.Clusters ?? false;
        public string? Wraps { get; } = resolved.Wraps;
        public int Skip { get; } = resolved.Skip ?? 0;
    }
}
