using System.Diagnostics;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Config;

/// <summary>What the loader may read and what its messages may quote: includes confined to the config folder, regular files only, size caps, no echoed file contents.</summary>
public sealed class ConfigFileSafetyTests
{
    private const string SecretLine = "aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Load_IncludeOutsideConfigFolder_IsAnErrorNamingTheIncludeAndTheOptIn()
    {
        using var dir = new TempDirectory();
        dir.Write("shared/people.yaml", "people: [{ id: alice }]\n");
        var root = dir.Write("conf/vigil.yaml", "vigil: { name: test }\ninclude: [../shared/people.yaml]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal((root, 2), (error.File, error.Line));
        Assert.Equal("include[0]", error.Path);
        Assert.Contains("`../shared/people.yaml`", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the config folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("`include_outside: true`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeOutside_True_AllowsIncludesFromAnywhere()
    {
        using var dir = new TempDirectory();
        dir.Write("shared/people.yaml", "people: [{ id: alice }]\n");
        var root = dir.Write("conf/vigil.yaml", "vigil: { name: test }\ninclude_outside: true\ninclude: [../shared/people.yaml]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("alice", Assert.Single(result.Config!.People).Id);
    }

    [Fact]
    public void Load_IncludeOutside_InAnIncludedFile_IsAnError()
    {
        using var dir = new TempDirectory();
        var part = dir.Write("conf/part.yaml", "include_outside: true\n");
        var root = dir.Write("conf/vigil.yaml", "vigil: { name: test }\ninclude: [part.yaml]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("only in the root config file", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("part.yaml", error.File, StringComparison.Ordinal);
        Assert.True(File.Exists(part));
    }

    [Fact]
    public void Load_SymlinkInsideFolderPointingOutside_IsRefused()
    {
        using var dir = new TempDirectory();
        var outside = dir.Write("secret/people.yaml", "people: [{ id: alice }]\n");
        var root = dir.Write("conf/vigil.yaml", "vigil: { name: test }\ninclude: [people.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "conf", "people.yaml"), outside);

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("outside the config folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services: line one secret\n  " + SecretLine + "\n  third line\n")]
    [InlineData("? |\n  first line\n  " + SecretLine + "\n: v\n")]
    public void Load_IncludeOfANonConfigFile_NeverEchoesItsLines(string credentials)
    {
        using var dir = new TempDirectory();
        dir.Write("credentials", credentials);
        var root = dir.Write("conf/vigil.yaml", "include_outside: true\ninclude: [../credentials]\nvigil: { name: test }\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.NotEmpty(result.Errors);
        foreach (var e in result.Errors)
        {
            Assert.DoesNotContain("EXAMPLEKEY", e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.ToString());
        }
    }

    [Fact]
    public void Load_LongValue_IsNamedByABoundedToken()
    {
        var longValue = new string('x', 40) + "SECRET" + new string('y', 400);
        var result = ConfigLoader.LoadFromString($"vigil: {{ name: test }}\nservices: {longValue}\n", environment: TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain("yyyyyyyyyy", error.Message, StringComparison.Ordinal);
        Assert.Contains("`xxxxxxxxxx", error.Message, StringComparison.Ordinal);
        Assert.True(error.ToString().Length < 300, error.ToString());
    }

    [Fact]
    public void ConfigText_Token_KeepsOneBoundedLine()
    {
        Assert.Equal("abc", ConfigText.Token("abc"));
        Assert.Equal("first…", ConfigText.Token("first\nsecond"));
        Assert.Equal(new string('a', ConfigText.MaxToken) + "…", ConfigText.Token(new string('a', 500)));
        Assert.Equal("unknown `a…` here", ConfigText.Message("unknown `a\nsecret` here"));
    }

    [Fact]
    public async Task Load_IncludeOfAFifo_FailsAtOnceWithAClearMessage()
    {
        using var dir = new TempDirectory();
        MakeFifo(Path.Combine(dir.Path, "pipe.yaml"));
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [pipe.yaml]\n");

        // Before the fix this blocked forever in open(2). Unblock() lets a blocked reader go on (and
        // read an empty file), so a regression fails on the message below instead of hanging the run.
        var load = Task.Run(() => ConfigLoader.Load(root, TestEnvironment.Lookup));
        var result = await Unblock(load, Path.Combine(dir.Path, "pipe.yaml"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("`pipe.yaml` is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeOfDevZero_IsRefusedAsACharacterDevice()
    {
        var result = ConfigLoader.LoadFromString("vigil: { name: test }\ninclude_outside: true\ninclude: [/dev/zero]\n", environment: TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("`/dev/zero` is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverTheCap_IsRefusedWithTheLimit()
    {
        using var dir = new TempDirectory();
        var big = dir.Write("big.yaml", "# " + new string('x', (int)ConfigLoader.MaxFileBytes) + "\n");
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [big.yaml]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("`big.yaml` is larger than 4 MiB", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(big));
    }

    [Fact]
    public async Task RunbookCatalog_FifoAndOversizedFiles_AreProblemsNotHangs()
    {
        using var dir = new TempDirectory();
        dir.Write("runbooks/ok.md", "# Fine\n\n```bash\necho hi\n```\n");
        dir.Write("runbooks/big.md", "# Big\n\n" + new string('x', (int)RunbookCatalog.MaxFileBytes));
        MakeFifo(Path.Combine(dir.Path, "runbooks", "x.md"));
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\nrunbooks: { paths: [runbooks] }\n");
        var config = ConfigLoader.Load(root, TestEnvironment.Lookup).Config!;

        var load = Task.Run(() => RunbookCatalog.Load(config));
        var catalog = await Unblock(load, Path.Combine(dir.Path, "runbooks", "x.md"));

        Assert.Equal(["ok"], catalog.Entries.Select(e => e.Id));
        Assert.Contains(catalog.Problems, p => p.Message.Contains("x.md is a FIFO (named pipe), not a regular file", StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.Message.Contains("big.md is larger than 1 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public void RegularFile_KindOf_TellsFilesDevicesAndFolders()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("a.txt", "a");

        Assert.Equal(RegularFile.Kind.Regular, RegularFile.KindOf(file));
        Assert.Equal(RegularFile.Kind.Directory, RegularFile.KindOf(dir.Path));
        Assert.Equal(RegularFile.Kind.CharacterDevice, RegularFile.KindOf("/dev/null"));
        Assert.Equal(RegularFile.Kind.Missing, RegularFile.KindOf(Path.Combine(dir.Path, "nope")));
    }

    /// <summary>
    /// If <paramref name="reader"/> has not finished after a while (blocked opening the FIFO), opens
    /// the FIFO for writing and closes it, which ends the blocked read with an empty file. This never
    /// decides the test; the caller's assertions on the result do.
    /// </summary>
    private static async Task<T> Unblock<T>(Task<T> reader, string fifo)
    {
        if (await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(30))) != reader)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }

        return await reader;
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
