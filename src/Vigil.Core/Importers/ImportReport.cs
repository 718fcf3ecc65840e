using System.Text;

namespace Vigil.Core.Importers;

/// <summary>The import report: what was imported, and every item not mapped with its reason (Markdown for people, JSON via the CLI).</summary>
public static class ImportReport
{
    public static string Markdown(ImportResult result, string fragmentFile)
    {
        ArgumentNullException.ThrowIfNull(result);
        var vendor = ImportYaml.VendorName(result.Vendor);
        var md = new StringBuilder();
        md.Append("# ").Append(vendor).Append(" import report\n\n");
        md.Append("Wrote `").Append(fragmentFile).Append("`: ")
            .Append(result.People.Count).Append(" people, ")
            .Append(result.Schedules.Count).Append(" schedules, ")
            .Append(result.EscalationPolicies.Count).Append(" escalation policies, ")
            .Append(result.Services.Count).Append(" services, ")
            .Append(result.Notifiers.Count).Append(" notifiers. It passed `vigil config validate`'s checks.\n\n");
        if (result.Unmapped.Count == 0)
        {
            md.Append("Everything was mapped.\n");
            return md.ToString();
        }

        md.Append("## Not mapped (").Append(result.Unmapped.Count).Append(")\n\n");
        md.Append("Review each line: these are differences between ").Append(vendor).Append(" and the imported config.\n\n");
        md.Append("| kind | what | why |\n|---|---|---|\n");
        foreach (var u in result.Unmapped)
        {
            md.Append("| ").Append(Cell(u.Kind)).Append(" | ").Append(Cell(u.Source)).Append(" | ").Append(Cell(u.Reason)).Append(" |\n");
        }

        return md.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
