using System.Collections.Concurrent;
using System.Text;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>
/// Feeds the parser and the linter 10,000 broken documents (7,000 mutated corpus runbooks and 3,000 generated ones,
/// from fixed seeds) and checks that neither throws and that every finding points at a line of the file. Fences carry the
/// flow attributes too (on_fail, when/from, wait, watch/for), well and badly formed, and each document's first procedures
/// are also planned and their branch tree drawn. How long a
/// document takes is not asserted here (a busy machine would fail it): the linter bounds its own regexes with match
/// timeouts, and parse speed is measured in bench/. A failing document is written to the temp folder, named in the
/// failure message.
/// </summary>
public class RunbookParserFuzzTests
{
    private const int MutatedDocuments = 7_000;
    private const int GeneratedDocuments = 3_000;

    // A folder that does not exist, so link checks look things up but never find them.
    private static readonly string FuzzPath = Path.Combine(Path.GetTempPath(), "vigil-fuzz-no-such-folder", "runbook.md");

    private static readonly string[][] Corpus = Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "Runbooks", "Corpus"), "*.md")
        .Order(StringComparer.Ordinal)
        .Select(f => File.ReadAllText(f).Split('\n'))
        .ToArray();

    private static readonly RunbookPlanOptions PlanOptions = new("^[A-Za-z0-9._:/@+=-]{1,256}$", TimeSpan.FromMinutes(5));

    private static readonly Dictionary<string, string> PlanValues = new() { ["backup-id"] = "b-1", ["pod-name"] = "web-0" };

    private static readonly string[] FenceMarkers = ["```", "~~~", "````", "~~~~~", "  ```", "\t```", "   ~~~", "``", "```` ```"];

    private static readonly string[] InfoStrings =
    [
        "bash", "sh", "shell", "console", "BASH", "Shell", "yaml", "json", "mermaid", "promql", "", " ", "bash ", "{bash}", "bash{}",
        "bash {confirm=true}", "bash {name=restart timeout=60s confirm=true mutating=true}", "sh {\"name\":\"restart\"}",
        "sh {\"name\": restart}", "bash {", "bash {name=\"x}", "bash {confirm=maybe timeout=-1s}", "bash {rollback=true}",
        "bash {\"a\":{\"b\":[1,2,{\"c\":null}]}}", "bash {\"confirm\":true", "bash {\"\":\"\"}", "sh {\"name\":\"\uD800\"}",
        "sh {\"n\\u0000\":1}", "bash }", "bash {,,,}", "bash {=}", "bash {a=b=c}", "bash {name='it''s'}", "console {mutating=false}",
        "bash {\"timeout\": 5}", "bash {\"confirm\": \"true\"}", "bash {name=a name=b}", "bash title=\"x\" {confirm=true}",
        "sh {\"a\":1}{\"b\":2}", "bash {\"a\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}", "bash {name=\u00e9\u0301 timeout=1\u0660s}",
        "bash {on_fail=\"#restart\"}", "bash {on_fail=\"#verify\" name=restart}", "bash {on_fail=\"#\"}", "bash {on_fail=\"other.md#x\"}",
        "bash {on_fail=#rollback rollback=true}", "sh {\"on_fail\":\"#level-3\"}", "bash {when=\"$STEP_OUTPUT =~ CrashLoopBackOff\"}",
        "bash {when=\"${STEP_OUTPUT} !~ ^ok$\" from=restart}", "bash {when=\"$STEP_OUTPUT =~ ([a-z\"}", "bash {when=\"$STEP_OUTPUT =~ (a+)+$\"}",
        "bash {when=\"$STEP_OUTPUT\"}", "bash {when=\"\" from=\"\"}", "bash {from=nowhere}", "bash {when=\"$STEP_OUTPUT =~ x\" on_fail=\"#restart\"}",
        "bash {wait=\"check:api/health ok for 2m\" timeout=10m}", "bash {watch=\"service:api\" for=10m}", "bash {wait=\"check:api ok\"}",
        "python", "python3 {name=py}", "pwsh {confirm=true}", "powershell", "PYTHON {when=\"$STEP_OUTPUT =~ x\"}", "pwsh {on_fail=\"#restart\"}",
        "bash {watch=\"service:\" for=NaNs}", "bash {wait=\"service:api ok for 1e400h\" watch=\"service:api\"}", "bash {for=5m}",
    ];

    // Attribute values that are easy to get wrong when parsing numbers and durations.
    private static readonly string[] Numbers = ["NaN", "nan", "Infinity", "-Infinity", "1e400", "-0", "0", "0x10", "1_000", "١", "9999999", "1e-9", "", ".", "5"];

    private static readonly string[] Units = ["", "s", "m", "h", "d", "ms", "µs", "S", "M"];

    private static readonly string[] FrontMatters =
    [
        "id: x\ntitle: T\nlast_reviewed: 2025-01-01\nreview_every: 90d",
        "id: [unclosed",
        "params:\n  - name: backup-id\n    pattern: '([a-z'\n  - 42\n  - name:\n  - {name: svc, secret: maybe}",
        "params: nope", "params: [a, b, {name: c}]", "params:\n  - name: pod-name\n    default: \"xoxb-1234567890-abcdef\"",
        "last_reviewed: 2025-02-30", "last_reviewed: yesterday", "last_reviewed: [2025]", "review_every: \"\"", "review_every: -3d",
        "review_every: 0", "review_every: 1e9w", "review_every: {a: b}", "tags: {a: b}", "tags: a, b,, c", "owner: {name: x}",
        "? complex key\n: value", "a: &a [*a]", "a: *undefined", "x: !!binary AAAA", "key: \"unterminated", "\t: tab",
        "- just\n- a list", "just a scalar", "{", "}", "[", "...", "---", "id: x\nid: y", "title: \uD800", "title: \0",
        "password: hunter2\ntoken: ghp_0123456789abcdefghijABCDEFGHIJ012345",
    ];

    private static readonly string[] CodeLines =
    [
        "rm -rf /data/<dir>/*", "kubectl delete pod <pod-name> -n prod", "redis-cli FLUSHALL", "docker-compose down", "DROP TABLE users;",
        "kubectl rollout status deploy/api", "curl -f http://localhost/health", "curl -X POST -d '{}' http://x", "systemctl restart api",
        "echo \"$VER ${PREV_VER} ${X:-d} $(date) $1 $@ <a.b-c> <> < x >\"", "export PASSWORD=hunter2", "TOKEN=$TOKEN", "# Verify it",
        "# vigil-lint disable-line destructive-command", "# vigil-lint disable-next-line all", "# vigil-lint disable nope",
        "echo 'unclosed", "echo \\", "cat <<EOF", "EOF", "$ kubectl get pods", "NAME READY", "for p in $(ls); do echo $p; done",
        "read -r A B", "grep -E \"Failed password\" /var/log/auth.log", "-----BEGIN RSA PRIVATE KEY-----", "psql postgres://u:p@h/db",
        "rm --a --b --c --d --e --f --g --h --i --j --k --l --m --n --o --p --q --r --s --t --u --v --w --x --y x",
        "kubectl -a -b -c -d -e -f -g -h -i -j -k -l -m -n -o -p -q -r -s -t -u -v -w -x -y -z x", "echo > <out>", "ln -sfn a b >> c",
        "shutil.rmtree(os.environ['VIGIL_PARAM_dir'])", "os.system('rm -rf \"$X\"')", "subprocess.run(['kubectl', 'delete', 'pod', p, \"x\"",
        "open('a', 'w').write(open('b').read(), 'w'", "Remove-Item -Recurse -Force $env:VIGIL_PARAM_dir", "Get-ChildItem | Remove-Item -r -WhatIf",
    ];

    private static readonly string[] ProseLines =
    [
        "See [restart](restart.md) and [steps](restart.md#steps).", "[spaced](<a b.md>) ![img](%zz.png) [q](file.md?x#y)", "[empty]()",
        "[ref link][ref]", "[ref]: missing.md", "<http://example.com>", "[js](javascript:alert)", "[unc](\\\\server\\share)",
        "[drive](C:\\x.md)", "[abs](/abs/path.md)", "[nul](%00.md)", "[up](..%2F..%2Fetc%2Fpasswd)", "[nul2](a\0b.md)", "[anchor](#top)",
        "<!-- vigil-lint disable-next-line all -->", "<!-- vigil-lint disable nope, destructive-command -->", "<!-- vigil-lint -->",
        "<!--", "-->", "<!-- vigil-lint disable-line plaintext-secret --> password=x1", "| a | b |", "|---|---|", "| ``` | <x> |",
        "password: hunter2", "Authorization: Bearer abc.def", "**bold *nested _deep", "> quote ```bash", "- item\n  ```bash\n  rm -rf /x\n  ```",
        "<details><summary>x</summary>", "</details>", "Setext heading\n===", "***", "\\", "`", "``code``", "&amp; &#0; &#xD800;",
        "Ã¢â‚¬â€ mojibake ðŸ“‹", "\u202Eright-to-left\u202C", "\uFEFFbom in the middle", "emoji 👩‍👩‍👧‍👦 and ZWJ",
    ];

    private static readonly string[] LongTokens =
    [
        "a", "kubectl ", "rm -rf ", "$", "<", "`", "[x](", "password=", "-----BEGIN ", "a.", "x://", "{", "\"", "#", "<!-- ", " ", "\t",
        "docker compose ", "dd if=x ", "--token-", "Authorization: Bearer ", "ghp_", "\\", "<a>", "${", "$(",
    ];

    private static readonly char[] InterestingChars =
    [
        '\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '`', '~', '{', '}', '"', '\'', '<', '>', '$', '#', '-', '\r', '\n', '\t', '\\',
        '|', '[', ']', '(', ')', '!', '=', ':', '\uFEFF', '\u2028', '\u2029', '\u0085', '\f', '\v', '\u00A0', '\uFFFD', '\uFFFF', 'Ã',
    ];

    [Fact]
    public void Parse_and_Lint_never_throw_on_mutated_corpus_runbooks()
    {
        var random = new Random(20250601);
        var checkedCount = CheckAll("mutated", MutatedDocuments, () =>
        {
            var document = random.Next(50) == 0 ? string.Join('\n', Corpus[random.Next(Corpus.Length)]) : CorpusWindow(random);
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                document = Mutate(random, document);
            }

            return document;
        });

        Assert.Equal(MutatedDocuments, checkedCount);
    }

    [Fact]
    public void Parse_and_Lint_never_throw_on_generated_runbooks()
    {
        var random = new Random(19700101);
        var checkedCount = CheckAll("generated", GeneratedDocuments, () =>
        {
            var document = Generate(random);
            return random.Next(3) == 0 ? Mutate(random, document) : document;
        });

        Assert.Equal(GeneratedDocuments, checkedCount);
    }

    // Documents come from one seeded Random in order, so every run sees the same ones; they are checked a batch
    // at a time in parallel (which also runs the parser and linter concurrently, as a server would).
    private static int CheckAll(string kind, int count, Func<string> next)
    {
        const int BatchSize = 256;
        var done = 0;
        for (var first = 0; first < count; first += BatchSize)
        {
            var batch = new string[Math.Min(BatchSize, count - first)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = next();
            }

            var problems = new ConcurrentBag<(int Index, string Problem)>();
            Parallel.For(0, batch.Length, i =>
            {
                if (Problem(batch[i], kind, first + i) is { } problem)
                {
                    problems.Add((first + i, problem));
                }

                Interlocked.Increment(ref done);
            });

            if (!problems.IsEmpty)
            {
                Assert.Fail(problems.MinBy(p => p.Index).Problem);
            }
        }

        return done;
    }

    // What is wrong with how the parser and linter handle a document, or null.
    private static string? Problem(string markdown, string kind, int index)
    {
        var context = new LintContext(new DateOnly(2025, 6, 1), index % 2 == 0 ? null : TimeSpan.FromDays(90));
        IReadOnlyList<LintFinding> findings;
        try
        {
            var runbook = RunbookParser.Parse(markdown, FuzzPath);
            findings = RunbookLinter.Lint(runbook, markdown, context);
            foreach (var procedure in runbook.Procedures.Take(3))
            {
                _ = RunbookBranches.Tree(RunbookPlanner.Plan(runbook, procedure.Slug, PlanValues, PlanOptions));
            }
        }
        catch (Exception ex)
        {
            return $"{kind} document {index} threw; it is saved as {Save(markdown, kind, index)}\n{ex}";
        }

        var lines = markdown.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n').Length;
        if (findings.FirstOrDefault(f => f.Line < 1 || f.Line > lines || f.File != FuzzPath) is { } outside)
        {
            return $"{kind} document {index} has a finding outside the file ({lines} lines): {outside}; saved as {Save(markdown, kind, index)}";
        }

        return null;
    }

    private static string Save(string markdown, string kind, int index)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-fuzz-{kind}-{index}.md");
        File.WriteAllText(path, markdown, new UTF8Encoding(false));
        return path;
    }

    private static string CorpusWindow(Random random)
    {
        var lines = Corpus[random.Next(Corpus.Length)];
        var start = random.Next(lines.Length);
        var count = Math.Min(lines.Length - start, random.Next(5, 100));
        return string.Join('\n', lines, start, count);
    }

    private static string Mutate(Random random, string document)
    {
        switch (random.Next(12))
        {
            case 0:
                return FlipChars(random, document);
            case 1:
                return FlipBytes(random, document);
            case 2:
                return document[..random.Next(document.Length + 1)]; // may split a surrogate pair
            case 3:
                return InsertLines(random, document, Fence(random));
            case 4:
                var fragment = "---\n" + Pick(random, FrontMatters) + (random.Next(2) == 0 ? "\n---\n" : "\n");
                return random.Next(2) == 0 ? fragment + document : InsertLines(random, document, fragment);
            case 5:
                return LineEndings(random, document);
            case 6:
                return InsertChars(random, document, ["\0", "\uD800", "\uDFFF", "\uDBFF\uDBFF", "\uDC00\uD800", "\0\0\0"]);
            case 7:
                return document.Insert(random.Next(document.Length + 1), LongLine(random));
            case 8:
                return InsertLines(random, document, DeepHeadings(random));
            case 9:
                var bytes = Encoding.UTF8.GetBytes(document);
                var mojibake = Encoding.Latin1.GetString(bytes);
                return random.Next(3) == 0 ? Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(mojibake)) : mojibake;
            case 10:
                var start = random.Next(document.Length + 1);
                var length = random.Next(Math.Min(2_000, document.Length - start) + 1);
                return document.Insert(random.Next(document.Length + 1), document.Substring(start, length));
            default:
                return InsertLines(random, document, random.Next(2) == 0 ? Pick(random, ProseLines) : Pick(random, CodeLines));
        }
    }

    private static string FlipChars(Random random, string document)
    {
        if (document.Length == 0)
        {
            return document;
        }

        var chars = document.ToCharArray();
        for (var n = random.Next(1, 9); n > 0; n--)
        {
            chars[random.Next(chars.Length)] = random.Next(2) == 0 ? Pick(random, InterestingChars) : (char)random.Next(0x10000);
        }

        return new string(chars);
    }

    private static string FlipBytes(Random random, string document)
    {
        var bytes = Encoding.UTF8.GetBytes(document);
        if (bytes.Length == 0)
        {
            return document;
        }

        for (var n = random.Next(1, 9); n > 0; n--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return random.Next(2) == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }

    private static string LineEndings(Random random, string document)
    {
        string[] endings = ["\r\n", "\r", "\n", "\u2028", "\u0085", "\f", "\r\r\n", "\n\r"];
        var mode = random.Next(3);
        var lines = document.Split('\n');
        var sb = new StringBuilder(document.Length + lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                sb.Append(mode switch { 0 => "\r\n", 1 => "\r", _ => Pick(random, endings) });
            }
        }

        return sb.ToString();
    }

    private static string InsertChars(Random random, string document, string[] pieces)
    {
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            document = document.Insert(random.Next(document.Length + 1), Pick(random, pieces));
        }

        return document;
    }

    private static string InsertLines(Random random, string document, string lines)
    {
        var at = document.Length == 0 ? -1 : document.IndexOf('\n', random.Next(document.Length));
        return at < 0 ? document + "\n" + lines : document.Insert(at + 1, lines + "\n");
    }

    private static string LongLine(Random random)
    {
        var token = Pick(random, LongTokens);
        var length = random.Next(1_000, 20_000);
        var sb = new StringBuilder(length + token.Length);
        while (sb.Length < length)
        {
            sb.Append(token);
        }

        return sb.ToString();
    }

    private static string DeepHeadings(Random random)
    {
        var sb = new StringBuilder();
        var count = random.Next(20, 300);
        for (var i = 0; i < count; i++)
        {
            var level = random.Next(3) == 0 ? (i % 8) + 1 : random.Next(1, 8);
            sb.Append('#', level).Append(' ').Append("Level ").Append(i).Append(random.Next(4) == 0 ? " <svc> `x`" : "").Append('\n');
            if (random.Next(10) == 0)
            {
                sb.Append(Fence(random)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Fence(Random random)
    {
        var marker = Pick(random, FenceMarkers);
        var info = random.Next(4) == 0 ? RandomAttributes(random) : Pick(random, InfoStrings);
        var sb = new StringBuilder(marker).Append(info).Append('\n');
        for (var n = random.Next(0, 8); n > 0; n--)
        {
            sb.Append(Pick(random, CodeLines)).Append('\n');
        }

        if (random.Next(6) != 0)
        {
            sb.Append(random.Next(5) == 0 ? Pick(random, FenceMarkers) : marker.Trim());
        }

        return sb.ToString();
    }

    // Anchors a generated document may or may not have: the headings of Generate and DeepHeadings, and near misses.
    private static readonly string[] Anchors = ["#restart", "#verify", "#rollback", "#level-3", "#level-299", "restart", "#", "#🚀-deploy", "#restore-backup-id", "#x#y", ""];

    private static readonly string[] Patterns = ["CrashLoopBackOff", "^ok$", "(a+)+$", "([a-z", "\\", "", "OOM|Killed", "(?<n>x)\\k<n>", "[^]", "*"];

    private static string RandomAttributes(Random random)
    {
        var value = Pick(random, Numbers) + Pick(random, Units);
        var when = $"{Pick(random, ["$STEP_OUTPUT", "${STEP_OUTPUT}", "$STEP", "", "STEP_OUTPUT"])} {Pick(random, ["=~", "!~", "==", ""])} {Pick(random, Patterns)}";
        var target = $"{Pick(random, ["check:", "service:", "", "check:api/"])}{Pick(random, ["api", "api/health", "", "a b"])}";
        return random.Next(7) switch
        {
            0 => $"bash {{timeout={value} confirm={Pick(random, Numbers)}}}",
            1 => $"sh {{\"timeout\":\"{value}\",\"mutating\":{Pick(random, Numbers)}}}",
            2 => $"bash {{on_fail=\"{Pick(random, Anchors)}\" name=restart{(random.Next(3) == 0 ? " rollback=true" : "")}}}",
            3 => $"bash {{when=\"{when}\"{(random.Next(2) == 0 ? $" from={Pick(random, ["restart", "nope", "\"\""])}" : "")} on_fail={Pick(random, Anchors)}}}",
            4 => $"sh {{\"wait\":\"{target} ok for {value}\",\"timeout\":\"{value}\",\"when\":\"{when.Replace("\\", "\\\\", StringComparison.Ordinal)}\"}}",
            5 => $"bash {{watch=\"{target}\" for={value}{(random.Next(3) == 0 ? $" wait=\"{target} ok\"" : "")}}}",
            _ => $"console {{name={value} timeout={value}}}",
        };
    }

    private static string Generate(Random random)
    {
        var sb = new StringBuilder();
        if (random.Next(5) < 2)
        {
            sb.Append("---\n").Append(Pick(random, FrontMatters)).Append(random.Next(8) == 0 ? "\n" : "\n---\n");
        }

        for (var section = random.Next(1, 12); section > 0; section--)
        {
            var level = random.Next(0, 8);
            if (level > 0)
            {
                sb.Append('#', level).Append(' ').Append(Pick(random, ["Restart", "Rollback", "rollback:", "Verify", "", "Restore <backup-id>", "`rm -rf`", "🚀 Deploy", "ROLLBACK"])).Append('\n');
            }

            for (var block = random.Next(0, 5); block > 0; block--)
            {
                sb.Append(random.Next(3) == 0 ? Pick(random, ProseLines) : Fence(random)).Append('\n');
                if (random.Next(3) == 0)
                {
                    sb.Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
