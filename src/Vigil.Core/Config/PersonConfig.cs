namespace Vigil.Core.Config;

/// <summary>A person (an entry of <c>people:</c>) who can be on call or paged directly.</summary>
public sealed class PersonConfig
{
    private string? _name;

    /// <summary>Id used in schedules and escalation targets (<c>person:alice</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name; defaults to the id.</summary>
    [NotEmpty]
    [DocDefault("the id")]
    public string Name { get => _name ?? Id; set => _name = value; }

    /// <summary>E-mail address, used by e-mail notifiers.</summary>
    [Email]
    public string? Email { get; set; }

    /// <summary>Phone number in international format, used by command notifiers (SMS, voice).</summary>
    public string? Phone { get; set; }

    /// <summary>Slack handle (like <c>@alice</c>) mentioned by Slack notifiers.</summary>
    public string? Slack { get; set; }

    /// <summary>The person's time zone, for availability and display.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>When this person may be paged directly: <c>always</c> or <c>business-hours</c>.</summary>
    public Availability Availability { get; set; } = Availability.Always;

    /// <summary>
    /// Custom weekly windows (in the person's time zone) when they may be paged directly, like
    /// <c>[{ days: [mon, tue, wed, thu, fri], from: "08:00", to: "20:00" }]</c>. When set, they
    /// replace <c>availability</c>.
    /// </summary>
    public IReadOnlyList<LayerRestrictionConfig> Available { get; set; } = [];

    /// <summary>Notifiers used to reach this person; empty means every notifier that can address them (e-mail, Slack).</summary>
    [ReferenceTo("notifiers")]
    public IReadOnlyList<string> NotifyVia { get; set; } = [];
}
