using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core.Export;
using Vigil.Core.Signing;
using Vigil.Server.Export;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil export FILE</c> (through the API: the running server takes one consistent snapshot and signs it with its key),
/// <c>vigil import FILE</c> (offline, on the store of a stopped Vigil: it fills an empty store only), and
/// <c>vigil audit verify --file EXPORT --keys PUB</c> (offline: no server, no store).
/// </summary>
internal static class ExportCommands
{
    /// <summary><c>audit verify --file</c>: an export file to verify offline instead of the server's trail.</summary>
    public static readonly Option<string?> VerifyFile = new("--file")
    {
        Description = "Verify this export file offline (no server, no store): its signature, hash chain and checkpoints; needs --keys",
    };

    /// <summary>Public keys (from 'vigil keys export --public') to verify with.</summary>
    public static readonly Option<string?> Keys = new("--keys")
    {
        Description = "Public key file from 'vigil keys export --public' to verify with",
    };

    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        var file = new Argument<string>("file") { Description = "The export file to write (must not exist; -o is the output format, as everywhere)" };
        var export = new Command("export", "Write Vigil's state (incidents, signals, timelines, audit trail, overrides, windows, silences, freezes, runs, drills, "
            + "journal, token hashes) to a signed export file, from the running server (admin).") { file };
        export.SetHandler(env, (ctx, ct) => ExportAsync(ctx, ctx.Env.Resolve(ctx.Parse.GetValue(file)!), ct));

        var importFile = new Argument<string>("file") { Description = "The export file to import" };
        var force = new Option<bool>("--force") { Description = "Import even though the signature or audit chain does not verify (needs --reason; audited as forced)" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the import's audit entry; required with --force)" };
        var import = new Command("import", "Fill the empty store of a stopped Vigil from an export file, after verifying its signature and audit chain.")
        {
            importFile, ConfigCommands.ConfigFile, Keys, force, reason,
        };
        import.SetHandler(env, (ctx, ct) => ImportAsync(ctx, ctx.Env.Resolve(ctx.Parse.GetValue(importFile)!), ctx.Parse.GetValue(force), ctx.Parse.GetValue(reason), ct));
        // `vigil import pagerduty|opsgenie|grafana-oncall …` (VendorImportCommands); any other word is still a file to import.
        foreach (var vendor in VendorImportCommands.Build(env))
        {
            import.Add(vendor);
        }

        return [export, import];
    }

    private static async Task<int> ExportAsync(CliContext ctx, string path, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"{path} exists; an export never writes over a file. Pick another name or remove it.");
        }

        var partial = path + ".partial";
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string? last = null;
        using var api = ctx.LongApi();
        try
        {
            async Task Download()
            {
                using var response = await api.GetStreamingAsync("api/v1/export", ct);
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                using var reader = new StreamReader(body);
                await using var output = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    await output.WriteLineAsync(line.AsMemory(), ct);
                    if (SectionOf(line) is { } section)
                    {
                        counts[section] = counts.GetValueOrDefault(section) + 1;
                    }

                    last = line;
                }
            }

            if (ctx.Format == OutputFormat.Json)
            {
                await Download();
            }
            else
            {
                await ctx.Console.Status().StartAsync("Exporting…", async status =>
                {
                    using var timer = new Timer(_ => status.Status(counts.Count == 0 ? "Exporting…" : $"Exporting… {counts.Keys.Last()}: {counts.Values.Last()} rows"),
                        null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
                    await Download();
                });
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            File.Delete(partial);
            throw new CliException(ExitCodes.Failed, $"The export was cut short ({ex.Message.TrimEnd('.')}); nothing was written to {path}. Look at the server's log and export again.");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        ExportTrailer? trailer = null;
        try
        {
            trailer = last is null ? null : JsonSerializer.Deserialize<ExportTrailer>(last, ExportFormat.Options);
        }
        catch (JsonException)
        {
        }

        if (trailer?.End != ExportFormat.Format)
        {
            File.Delete(partial);
            throw new CliException(ExitCodes.Failed, $"The server's answer ended without the export's signature line (cut short); nothing was written to {path}. Look at the server's log and export again.");
        }

        File.Move(partial, path);
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new { file = path, bytes = new FileInfo(path).Length, sha256 = trailer.Sha256, key_id = trailer.KeyId, sections = trailer.Counts });
            return ExitCodes.Ok;
        }

        PrintCounts(ctx, trailer.Counts);
        ctx.Line($"Exported {trailer.Counts.Values.Sum()} rows in {trailer.Counts.Count} sections to {path} ({BackupCommands.Size(new FileInfo(path).Length)}), "
            + $"signed by key {trailer.KeyId}. Verify it anywhere with 'vigil audit verify --file {Path.GetFileName(path)} --keys PUB'.");
        return ExitCodes.Ok;
    }

    private static async Task<int> ImportAsync(CliContext ctx, string path, bool force, string? reason, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"There is no file {path}.");
        }

        if (force && string.IsNullOrWhiteSpace(reason))
        {
            throw new CliException(ExitCodes.Usage, "--force needs --reason \"why\": a forced import is recorded in the audit trail with its reason.");
        }

        var extra = ReadKeys(ctx);
        await using (var target = await OpenOfflineAsync(ctx, ct))
        {
            var table = ctx.Format != OutputFormat.Json;
            if (table)
            {
                ctx.Line($"Verifying {path}…");
            }

            ImportResult result;
            try
            {
                result = await StateImport.ImportAsync(target, path, new ImportOptions("system:import", extra, force, reason), (phase, section, rows) =>
                {
                    if (table)
                    {
                        ctx.Line($"  {phase} {section}: {rows} rows");
                    }
                }, ct);
            }
            catch (ImportRefusedException ex)
            {
                throw new CliException(ExitCodes.Failed, ex.Message);
            }

            if (!table)
            {
                ctx.WriteJson(new
                {
                    file = path,
                    store = target.Store.Description,
                    source = result.Check.Header.Source,
                    created_at = result.Check.Header.CreatedAt,
                    vigil_version = result.Check.Header.VigilVersion,
                    sha256 = result.Check.Sha256,
                    signed_by = result.Check.SignedBy,
                    verified = result.Check.Ok,
                    problems = result.Check.Problems,
                    forced = result.Forced,
                    audit = result.Check.Audit,
                    sections = result.Imported,
                    keys_added = result.KeysAdded,
                    keys_note = result.KeysNote,
                    audit_entry = result.AuditSeq,
                });
                return ExitCodes.Ok;
            }

            if (result.Forced)
            {
                ctx.Error($"FORCED: imported although it does not verify:\n  - {string.Join("\n  - ", result.Check.Problems)}");
            }
            else
            {
                ctx.Line($"Verified: signed by key {result.Check.SignedBy} at {result.Check.Header.CreatedAt.ToString("u", CultureInfo.InvariantCulture)} "
                    + $"({result.Check.Header.Source}, Vigil {result.Check.Header.VigilVersion}); audit chain of {result.Check.Audit.Checked} entries with "
                    + $"{result.Check.Audit.Checkpoints} signed checkpoints intact.");
            }

            if (result.KeysAdded.Count > 0)
            {
                ctx.Line($"Added public keys {string.Join(", ", result.KeysAdded)} to {target.Keys.Path}, so 'vigil audit verify' checks the imported checkpoints.");
            }

            if (result.KeysNote is { } note)
            {
                ctx.Error(note);
            }

            ctx.Line($"Imported {result.Imported.Values.Sum()} rows into {target.Store.Description}; recorded as audit entry #{result.AuditSeq}. Start the server with 'vigil serve'.");
            return ExitCodes.Ok;
        }
    }

    /// <summary>The store and keys of the stopped Vigil that -c/--data name, as 'vigil serve' would open them; a usage or failure exit when it cannot be.</summary>
    internal static async Task<OfflineStore> OpenOfflineAsync(CliContext ctx, CancellationToken ct)
    {
        var options = new ServerOptions
        {
            ConfigPath = ConfigCommands.ResolveConfig(ctx),
            DataDirectory = ServeCommand.ExplicitDataDirectory(ctx),
            KeysFile = ctx.Env.Variable("VIGIL_KEYS_FILE") is { Length: > 0 } keys ? ctx.Env.Resolve(keys) : null,
            SigningKeyPem = ctx.Env.Variable("VIGIL_SIGNING_KEY"),
            Environment = ctx.Env.Variable,
        };
        var (store, errors, isConfigError) = await OfflineStore.OpenAsync(options, ct);
        return store ?? throw new CliException(isConfigError ? ExitCodes.Usage : ExitCodes.Failed, string.Join("\n", errors));
    }

    /// <summary>
    /// <c>vigil audit verify --file EXPORT --keys PUB</c>, or null when --file was not given (the server's trail is verified).
    /// </summary>
    public static Func<CancellationToken, Task<int>>? OfflineVerify(CliContext ctx)
    {
        if (ctx.Parse.GetValue(VerifyFile) is not { } file)
        {
            return ctx.Parse.GetValue(Keys) is null ? null
                : _ => throw new CliException(ExitCodes.Usage, "--keys goes with --file EXPORT (offline verification); the server's trail is verified with the server's own keys.");
        }

        return async ct =>
        {
            var path = ctx.Env.Resolve(file);
            var keys = ReadKeys(ctx) ?? throw new CliException(ExitCodes.Usage,
                "Offline verification needs the public keys to trust: pass --keys PUB (written by 'vigil keys export --public PUB' on the Vigil that made the export).");
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"There is no file {path}.");
            }

            ExportCheck check;
            try
            {
                await using var input = File.OpenRead(path);
                check = await ExportVerifier.VerifyAsync(input, keys, null, ct);
            }
            catch (ExportFormatException ex)
            {
                if (ctx.Format == OutputFormat.Json)
                {
                    ctx.WriteJson(new { file = path, ok = false, problems = new[] { ex.Message } });
                }
                else
                {
                    ctx.Error($"Cannot verify {path}: {ex.Message}.");
                }

                return ExitCodes.Failed;
            }

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new
                {
                    file = path,
                    ok = check.Ok,
                    problems = check.Problems,
                    header = check.Header,
                    sha256 = check.Sha256,
                    signed_by = check.SignedBy,
                    signature_ok = check.SignatureProblem is null,
                    audit = check.Audit,
                    sections = check.Counts,
                });
                return check.Ok ? ExitCodes.Ok : ExitCodes.Failed;
            }

            ctx.Line($"Export {path}: taken {check.Header.CreatedAt.ToString("u", CultureInfo.InvariantCulture)} from {check.Header.Source} (Vigil {check.Header.VigilVersion}), "
                + $"{check.Counts.Values.Sum()} rows.");
            if (check.SignatureProblem is null)
            {
                ctx.Line($"Signature verified: key {check.SignedBy} signed this content (SHA-256 {check.Sha256}).");
            }
            else
            {
                ctx.Error($"Export signature FAILED: {check.SignatureProblem}.");
            }

            AuditCommands.Report(ctx, check.Audit);
            return check.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        };
    }

    private static KeyRing? ReadKeys(CliContext ctx)
    {
        if (ctx.Parse.GetValue(Keys) is not { } keysPath)
        {
            return null;
        }

        var full = ctx.Env.Resolve(keysPath);
        if (!File.Exists(full))
        {
            throw new CliException(ExitCodes.Usage, $"--keys {full} does not exist; write it with 'vigil keys export --public {Path.GetFileName(full)}' on the Vigil that made the export.");
        }

        try
        {
            return KeyRingJson.Parse(File.ReadAllText(full)).PublicOnly();
        }
        catch (FormatException ex)
        {
            throw new CliException(ExitCodes.Usage, $"--keys {full}: {ex.Message}.");
        }
    }

    /// <summary>The section of a row line (<c>{"section":"NAME",…</c>), without parsing the whole line.</summary>
    private static string? SectionOf(string line)
    {
        const string prefix = "{\"section\":\"";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = line.IndexOf('"', prefix.Length);
        return end < 0 ? null : line[prefix.Length..end];
    }

    private static void PrintCounts(CliContext ctx, IReadOnlyDictionary<string, long> counts)
    {
        var table = new Table().AddColumns("SECTION", "ROWS");
        foreach (var (section, rows) in counts)
        {
            table.AddRow(Markup.Escape(section), rows.ToString(CultureInfo.InvariantCulture));
        }

        ctx.Console.Write(table);
    }
}
