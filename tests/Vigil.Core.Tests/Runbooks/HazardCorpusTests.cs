using System.Globalization;
using Vigil.Core.Runbooks;
using Xunit.Abstractions;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>
/// The hazard model against hand-labelled lines (Runbooks/Hazards/*.txt: adversarial fixtures and lines of the shared
/// corpus) and against the whole shared corpus (/work/shared/runbook-corpus, read from ../shared beside the
/// repository, never copied in). Precision and recall printed here are recorded in docs/runbooks.md.
/// </summary>
public class HazardCorpusTests(ITestOutputHelper output)
{
    private const string Destructive = "destructive-command";
    private const string Unverified = "mutation-without-verification";

    private static readonly LintContext Context = new(new DateOnly(2026, 1, 1), null);

    /// <summary>The shared corpus: ../shared/runbook-corpus beside the repository root (the folder holding Vigil.sln).</summary>
    internal static string SharedCorpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "cannot find the repository root (Vigil.sln) above " + AppContext.BaseDirectory);
        var corpus = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "runbook-corpus"));
        Assert.True(Directory.Exists(Path.Combine(corpus, "gitlab-runbooks")), $"the shared runbook corpus is missing: expected {corpus} with gitlab-runbooks/ in it");
        return corpus;
    }

    private sealed record Label(string Text, int SourceLine);

    private sealed record Judgement(Label Label, bool Flagged, bool Mutating, IReadOnlyList<string> Commands);

    private static List<Label> Labels(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Runbooks", "Hazards", file))
            .Select((text, i) => new Label(text, i + 1))
            .Where(l => l.Text.Trim().Length > 0 && !l.Text.StartsWith('#'))
            .ToList();

    private static Judgement Judge(Label label)
    {
        if (label.Text.StartsWith('@'))
        {
            return JudgeCorpusLine(label);
        }

        // A fixture line is the only code of a bash step, linted as such.
        var code = label.Text.Replace("\\n", "\n", StringComparison.Ordinal);
        var markdown = $"# Fixture\n\n```bash\n{code}\n```\n";
        var runbook = RunbookParser.Parse(markdown, "fixture.md");
        var step = Assert.Single(Assert.Single(runbook.Procedures).Steps);
        var findings = RunbookLinter.Lint(runbook, markdown, Context);
        return new Judgement(label, findings.Any(f => f.Rule == Destructive), step.Mutating,
            RunbookHazards.Commands(step.Code).Select(c => $"{c.Class}:{c.Command}").ToList());
    }

    // "@FILE:LINE": the commands of the corpus step holding that line, which start on it.
    private static Judgement JudgeCorpusLine(Label label)
    {
        var colon = label.Text.LastIndexOf(':');
        var file = Path.Combine(SharedCorpus(), label.Text[1..colon]);
        var line = int.Parse(label.Text[(colon + 1)..], CultureInfo.InvariantCulture);
        var runbook = RunbookParser.Parse(File.ReadAllText(file), file);
        var step = runbook.Procedures.SelectMany(p => p.Steps.Concat(p.Rollback)).FirstOrDefault(s => s.SourceLines.Contains(line));
        Assert.True(step is not null, $"label {label.Text} (line {label.SourceLine}) is not a line of a runnable step");
        var commands = RunbookHazards.Commands(step!.Code, step.Commands).Where(c => step.LineOf(c.CodeLine) == line).ToList();
        return new Judgement(label, commands.Any(c => c.Class == CommandClass.Destroy), commands.Any(c => c.Class >= CommandClass.Change),
            commands.Select(c => $"{c.Class}:{c.Command}").ToList());
    }

    private static string Describe(Judgement j) => $"line {j.Label.SourceLine}: {j.Label.Text}  => [{string.Join(", ", j.Commands)}]";

    [Fact]
    public void Every_labelled_destroy_line_is_flagged_and_mutating()
    {
        var labels = Labels("destroy-lines.txt");
        var judged = labels.Select(Judge).ToList();

        Assert.True(labels.Count >= 60, $"only {labels.Count} destroy labels");
        var families = judged.SelectMany(j => j.Commands).Where(c => c.StartsWith("Destroy:", StringComparison.Ordinal))
            .Select(c => c["Destroy:".Length..].Split(' ')[0]).Distinct().ToList();
        Assert.True(families.Count >= 10, $"destroy labels cover only {families.Count} families: {string.Join(", ", families)}");
        Assert.Empty(judged.Where(j => !j.Flagged || !j.Mutating).Select(Describe));
    }

    [Fact]
    public void No_labelled_read_only_line_is_flagged_or_mutating()
    {
        var labels = Labels("read-lines.txt");
        var judged = labels.Select(Judge).ToList();

        Assert.True(labels.Count >= 60, $"only {labels.Count} read-only labels");
        Assert.Empty(judged.Where(j => j.Flagged || j.Mutating).Select(Describe));
    }

    [Fact]
    public void Whole_shared_corpus_parses_lints_and_classifies_without_exception()
    {
        var corpus = SharedCorpus();
        var files = Directory.EnumerateFiles(corpus, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var steps = 0;
        var classes = new Dictionary<CommandClass, int>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var runbook = RunbookParser.Parse(text, file);
            _ = RunbookLinter.Lint(runbook, text, Context);
            foreach (var step in runbook.Procedures.SelectMany(p => p.Steps.Concat(p.Rollback)))
            {
                steps++;
                foreach (var command in RunbookHazards.Commands(step.Code, step.Commands))
                {
                    classes[command.Class] = classes.GetValueOrDefault(command.Class) + 1;
                }
            }
        }

        output.WriteLine($"{files.Count} files, {steps} steps, commands: {string.Join(", ", classes.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
        Assert.True(files.Count >= 459, $"expected the five seed runbooks and the gitlab corpus (459+ files), found {files.Count}");
        Assert.True(classes.GetValueOrDefault(CommandClass.Destroy) > 0 && classes.GetValueOrDefault(CommandClass.Read) > classes.GetValueOrDefault(CommandClass.Change));
    }

    [Fact]
    public void Destroy_recall_and_read_only_precision_meet_their_targets()
    {
        var destroy = Labels("destroy-lines.txt").Select(Judge).ToList();
        var read = Labels("read-lines.txt").Select(Judge).ToList();

        // destructive-command: a destroy label flagged is a true positive, a read label flagged a false one.
        var (tp, fn, fp) = (destroy.Count(j => j.Flagged), destroy.Count(j => !j.Flagged), read.Count(j => j.Flagged));
        // Freezes (mutating): destroy labels must be mutating, read labels must not.
        var (mtp, mfn, mfp) = (destroy.Count(j => j.Mutating), destroy.Count(j => !j.Mutating), read.Count(j => j.Mutating));
        var recall = (double)tp / (tp + fn);
        var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
        output.WriteLine($"destructive-command: {destroy.Count} destroy labels, {read.Count} read labels; TP {tp} FN {fn} FP {fp}; recall {recall:F3}, precision {precision:F3}");
        output.WriteLine($"freeze (mutating): TP {mtp} FN {mfn} FP {mfp}; recall {(double)mtp / (mtp + mfn):F3}, precision {(double)mtp / Math.Max(1, mtp + mfp):F3}");

        Assert.True(recall >= 0.95, $"destroy recall {recall:F3} < 0.95");
        Assert.True(precision >= 0.95, $"destroy precision {precision:F3} < 0.95");
    }

    [Fact]
    public void Mutation_without_verification_findings_on_the_gitlab_corpus_are_labelled_and_mostly_right()
    {
        // Runbooks/Hazards/unverified-labels.txt holds every finding of the rule on the gitlab corpus, judged by hand:
        // "tp" when the procedure really ends with a change nothing verifies, "fp" when it does not (the change is
        // not one, or a later step verifies). A new finding must be labelled; precision must stay at 0.8 or more.
        var corpus = Path.Combine(SharedCorpus(), "gitlab-runbooks");
        var labels = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Runbooks", "Hazards", "unverified-labels.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(corpus, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(corpus, file).Replace('\\', '/');
            found.AddRange(RunbookLinter.Lint(RunbookParser.Parse(text, relative), text, Context)
                .Where(f => f.Rule == Unverified).Select(f => $"{relative}:{f.Line}"));
        }

        var unlabelled = found.Where(f => !labels.ContainsKey(f)).ToList();
        Assert.True(unlabelled.Count == 0, "label these findings in unverified-labels.txt:\n" + string.Join('\n', unlabelled));
        var tp = found.Count(f => labels[f] == "tp");
        var precision = found.Count == 0 ? 1 : (double)tp / found.Count;
        output.WriteLine($"{Unverified}: {found.Count} findings, {tp} right, precision {precision:F3}");
        Assert.True(precision >= 0.8, $"{Unverified} precision {precision:F3} < 0.8");
    }
}
