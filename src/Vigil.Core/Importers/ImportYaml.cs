using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Vigil.Core.Config;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace Vigil.Core.Importers;

/// <summary>
/// Writes an <see cref="ImportResult"/> as a <c>vigil.yaml</c> fragment (people, schedules,
/// escalation_policies, services, notifiers) meant to be included from a vigil.yaml, and checks it
/// with the same loader and validator as <c>vigil config validate</c>.
/// </summary>
public static class ImportYaml
{
    /// <summary>The root section the check puts in front of the fragment (a fragment has no <c>vigil:</c> of its own).</summary>
    private const string CheckHeader = "vigil:\n  name: import-check\n";

    public static string VendorName(ImportVendor vendor) => vendor switch
    {
        ImportVendor.PagerDuty => "PagerDuty",
        ImportVendor.Opsgenie => "Opsgenie",
        _ => "Grafana OnCall",
    };

    /// <summary>
    /// YamlDotNet's serializer does the quoting: a value is quoted when it would otherwise read as something
    /// else (a number, a boolean, null). Names follow the config's snake_case; empty and null values are left out.
    /// </summary>
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .WithEventEmitter(next => new CompactEmitter(next))
        .DisableAliases()
        .Build();

    public static string Write(ImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var y = new StringBuilder();
        y.Append("# Imported from ").Append(VendorName(result.Vendor)).Append(" by `vigil import`. Include this file from your vigil.yaml\n");
        y.Append("# (include: [this-file.yaml]). Read the import report for what was not mapped.\n");
        var fragment = new Fragment
        {
            People = [.. result.People.Select(p => new PersonYaml { Id = p.Id, Name = T(p.Name), Email = T(p.Email), Phone = T(p.Phone), Timezone = T(p.Timezone) })],
            Schedules = [.. result.Schedules.Select(Schedule)],
            EscalationPolicies = [.. result.EscalationPolicies.Select(p => new PolicyYaml
            {
                Id = p.Id,
                Name = T(p.Name),
                Steps = [.. p.Steps.Select(step => new StepYaml
                {
                    After = ImportShapes.Duration(step.After),
                    Notify = [.. step.Notify.Select(t => T($"{t.Kind.ToString().ToLowerInvariant()}:{t.Id}"))],
                })],
                Repeat = p.Repeat > 0 ? p.Repeat : null,
                RepeatEvery = p.RepeatEvery is { } every ? ImportShapes.Duration(every) : null,
            })],
            Services = [.. result.Services.Select(s => new ServiceYaml { Id = s.Id, Name = T(s.Name), Description = T(s.Description), EscalationPolicy = T(s.EscalationPolicy) })],
        };
        if (fragment.People.Count + fragment.Schedules.Count + fragment.EscalationPolicies.Count + fragment.Services.Count > 0)
        {
            y.Append(Serialize(fragment));
        }

        if (result.Notifiers.Count > 0)
        {
            // One serialized item per notifier, so each can carry its comment (where it came from).
            y.Append("notifiers:\n");
            foreach (var n in result.Notifiers)
            {
                if (n.Comment is { } c)
                {
                    y.Append("# ").Append(c.ReplaceLineEndings(" ")).Append('\n');
                }

                y.Append(Serialize(new[] { new NotifierYaml { Id = n.Id, Webhook = new WebhookYaml { Url = T(n.Url) } } }));
            }
        }

        return y.ToString();
    }

    /// <summary>
    /// Loads the fragment with Vigil's own config loader and validator (as <c>vigil config validate</c>
    /// does, with a minimal <c>vigil:</c> section in front). Error lines are the fragment's own.
    /// </summary>
    public static ConfigLoadResult Validate(string fragment, string fileName = "import.yaml")
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return ConfigLoader.LoadFromString(CheckHeader + fragment, fileName, _ => null);
    }

    /// <summary>Fragment line of a validation error (the check puts two lines in front).</summary>
    public static int FragmentLine(ConfigError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Math.Max(1, error.Line - 2);
    }

    private static ScheduleYaml Schedule(ScheduleConfig s) => new()
    {
        Id = s.Id,
        Name = T(s.Name),
        Timezone = T(s.Timezone),
        Layers = [.. s.Layers.Select(l => new LayerYaml
        {
            Name = T(l.Name ?? "layer"),
            Rotation = l.Rotation.ToString().ToLowerInvariant(),
            Handoff = T(l.Handoff.ToConfigString()),
            ShiftLength = l.ShiftLength is { } length ? ImportShapes.Duration(length) : null,
            Start = l.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Members = [.. l.Members],
            Restrictions = [.. l.Restrictions.Select(r => new RestrictionYaml
            {
                Days = [.. r.Days.Select(d => d.ToString()[..3].ToLowerInvariant())],
                From = r.From.ToString("HH:mm", CultureInfo.InvariantCulture),
                To = r.To.ToString("HH:mm", CultureInfo.InvariantCulture),
            })],
        })],
        Overrides = [.. s.Overrides.Select(o => new OverrideYaml
        {
            Person = o.Person,
            Start = o.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            End = o.End.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            Reason = T(o.Reason),
        })],
    };

    private static string Serialize(object value) => Serializer.Serialize(value).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// Text from the vendor as a config value: every <c>$</c> doubled, because the config loader expands
    /// <c>${VAR}</c> and reads <c>$$</c> as one <c>$</c> (a name like <c>Pay${x}</c> stays as written).
    /// </summary>
    [return: NotNullIfNotNull(nameof(s))]
    private static string? T(string? s) => s?.Replace("$", "$$", StringComparison.Ordinal);

    /// <summary>Lists of ids and the small mappings (restrictions, steps) on one line each, as people write them by hand.</summary>
    private sealed class CompactEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(SequenceStartEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(List<string>))
            {
                eventInfo.Style = SequenceStyle.Flow;
            }

            base.Emit(eventInfo, emitter);
        }

        public override void Emit(MappingStartEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(RestrictionYaml) || eventInfo.Source.Type == typeof(StepYaml))
            {
                eventInfo.Style = MappingStyle.Flow;
            }

            base.Emit(eventInfo, emitter);
        }
    }

    // The fragment's shape, in the order the sections and keys are written.
    private sealed class Fragment
    {
        public List<PersonYaml> People { get; init; } = [];

        public List<ScheduleYaml> Schedules { get; init; } = [];

        public List<PolicyYaml> EscalationPolicies { get; init; } = [];

        public List<ServiceYaml> Services { get; init; } = [];
    }

    private sealed class PersonYaml
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public string? Email { get; init; }

        public string? Phone { get; init; }

        public required string Timezone { get; init; }
    }

    private sealed class ScheduleYaml
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public required string Timezone { get; init; }

        public List<LayerYaml> Layers { get; init; } = [];

        public List<OverrideYaml> Overrides { get; init; } = [];
    }

    private sealed class LayerYaml
    {
        public required string Name { get; init; }

        public required string Rotation { get; init; }

        public required string Handoff { get; init; }

        public string? ShiftLength { get; init; }

        public string? Start { get; init; }

        public List<string> Members { get; init; } = [];

        public List<RestrictionYaml> Restrictions { get; init; } = [];
    }

    private sealed class RestrictionYaml
    {
        public List<string> Days { get; init; } = [];

        public required string From { get; init; }

        public required string To { get; init; }
    }

    private sealed class OverrideYaml
    {
        public required string Person { get; init; }

        public required string Start { get; init; }

        public required string End { get; init; }

        public string? Reason { get; init; }
    }

    private sealed class PolicyYaml
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public List<StepYaml> Steps { get; init; } = [];

        public int? Repeat { get; init; }

        public string? RepeatEvery { get; init; }
    }

    private sealed class StepYaml
    {
        public required string After { get; init; }

        public List<string> Notify { get; init; } = [];
    }

    private sealed class ServiceYaml
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public string? Description { get; init; }

        public string? EscalationPolicy { get; init; }
    }

    private sealed class NotifierYaml
    {
        public required string Id { get; init; }

        public required WebhookYaml Webhook { get; init; }
    }

    private sealed class WebhookYaml
    {
        public required string Url { get; init; }
    }
}
