namespace Vigil.Core.Config;

/// <summary>
/// An escalation target written <c>kind:id</c>: <c>schedule:primary</c>, <c>person:lead</c> or
/// <c>notifier:ops-email</c>. The id must exist in <c>schedules</c>, <c>people</c> or <c>notifiers</c>.
/// </summary>
public readonly record struct NotifyTarget(NotifyTargetKind Kind, string Id) : IConfigScalar<NotifyTarget>
{
    static string IConfigScalar<NotifyTarget>.Expected => "a target like schedule:primary, person:alice or notifier:slack";

    /// <summary>The top-level config section that holds ids of this target's kind.</summary>
    public string Section => SectionOf(Kind);

    public static bool TryParse(string? text, out NotifyTarget value, out string? error)
    {
        value = default;
        var s = text?.Trim() ?? string.Empty;
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == s.Length - 1)
        {
            error = "write a target as kind:id — schedule:<id>, person:<id> or notifier:<id>";
            return false;
        }

        NotifyTargetKind kind;
        switch (s[..colon])
        {
            case "schedule": kind = NotifyTargetKind.Schedule; break;
            case "person": kind = NotifyTargetKind.Person; break;
            case "notifier": kind = NotifyTargetKind.Notifier; break;
            default:
                var suggestion = Suggest.Closest(s[..colon], ["schedule", "person", "notifier"]);
                error = $"unknown target kind `{s[..colon]}`" + (suggestion is null ? string.Empty : $" (did you mean `{suggestion}`?)") + "; use schedule:<id>, person:<id> or notifier:<id>";
                return false;
        }

        value = new NotifyTarget(kind, s[(colon + 1)..].Trim());
        error = null;
        return true;
    }

    internal static string SectionOf(NotifyTargetKind kind) => kind switch
    {
        NotifyTargetKind.Schedule => "schedules",
        NotifyTargetKind.Person => "people",
        _ => "notifiers",
    };

    public string ToConfigString() => Kind switch
    {
        NotifyTargetKind.Schedule => "schedule:",
        NotifyTargetKind.Person => "person:",
        _ => "notifier:",
    } + Id;

    public override string ToString() => ToConfigString();
}
