using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Journal;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Http;
using Vigil.Server.Incidents;

namespace Vigil.Server.Journal;

/// <summary>The ops journal: <c>POST /journal</c> (responder) and <c>GET /journal</c> (viewer).</summary>
internal static class JournalEndpoints
{
    public static void MapJournalEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/journal", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<JournalRequest>(http.Request, ct);
            return error ?? await AddAsync(body!, http.GetPrincipal().Name, store, policies, ct);
        }).WithTags("Journal").RequireRole(Role.Responder).Accepts<JournalRequest>("application/json").Produces<JournalEntryView>(StatusCodes.Status201Created)
          .WithSummary("Write an ops journal entry (text, optional service and tags); it is audited as journal.add.");

        api.MapGet("/journal", async Task<IResult> (string? since, string? service, string? tag, int? limit, IVigilStore store, IncidentPolicies policies,
            TimeProvider time, CancellationToken ct) =>
        {
            var (query, errors) = ParseQuery(since, service, tag, limit, policies.Current, time.GetUtcNow());
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var entries = await store.ReadAsync((s, c) => s.Journal.ListAsync(query!, c), ct);
            return TypedResults.Ok(entries.Select(JournalEntryView.From).ToList());
        }).WithTags("Journal").RequireRole(Role.Viewer).Produces<List<JournalEntryView>>()
          .WithSummary("Ops journal entries, newest first: ?since=2h or an ISO time, ?service=, ?tag=, ?limit= (default 100, at most 1000).");
    }

    /// <summary>The list filters of <c>GET /api/v1/journal</c> and the console's journal page, checked; the query, or the errors naming each bad one.</summary>
    internal static (JournalQuery? Query, IntakeParsing.Errors Errors) ParseQuery(string? since, string? service, string? tag, int? limit, Core.Incidents.IncidentPolicy policy, DateTimeOffset now)
    {
        var errors = new IntakeParsing.Errors();
        DateTimeOffset? from = null;
        if (since is not null)
        {
            from = ParseSince(since, now);
            if (from is null)
            {
                errors.Add("since", $"'{since}' is neither a duration back from now (like 30m, 2h, 7d) nor a time in ISO 8601 with an offset (like 2026-05-01T14:00:00Z).");
            }
        }

        if (service is not null && !policy.IsService(service))
        {
            errors.Add("service", policy.NotAService(service));
        }

        if (tag is not null && !JournalRules.IsTag(tag))
        {
            errors.Add("tag", $"'{tag}' is not a tag: use 1 to {JournalRules.MaxTagLength} letters, digits, '-', '_', '.', ':' or '/'.");
        }

        if (limit is < 1 or > JournalRules.MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {JournalRules.MaxLimit}.");
        }

        return (errors.Count > 0 ? null : new JournalQuery(from, null, service, tag, limit ?? 100), errors);
    }

    /// <summary>A duration back from <paramref name="now"/> (<c>2h</c>) or an ISO 8601 time; null when it is neither.</summary>
    internal static DateTimeOffset? ParseSince(string since, DateTimeOffset now)
    {
        if (Duration.TryParse(since, out var back) && back > TimeSpan.Zero && back <= TimeSpan.FromDays(3660))
        {
            return now - back;
        }

        return DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    internal static async Task<IResult> AddAsync(JournalRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct)
    {
        var policy = policies.Current;
        var errors = new IntakeParsing.Errors();
        var text = body.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > JournalRules.MaxText)
        {
            errors.Add("text", $"Write what happened (1 to {JournalRules.MaxText} characters; this was {text?.Length ?? 0}).");
        }

        var service = string.IsNullOrWhiteSpace(body.Service) ? null : body.Service.Trim();
        if (service is not null && !policy.IsService(service))
        {
            errors.Add("service", policy.NotAService(service));
        }

        var tags = (body.Tags ?? []).Select(t => t?.Trim() ?? "").ToList();
        foreach (var bad in tags.Where(t => !JournalRules.IsTag(t)))
        {
            errors.Add("tags", $"'{bad}' is not a tag: use 1 to {JournalRules.MaxTagLength} letters, digits, '-', '_', '.', ':' or '/'.");
        }

        if (tags.Count > JournalRules.MaxTags)
        {
            errors.Add("tags", $"At most {JournalRules.MaxTags} tags per entry; this had {tags.Count}.");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var entry = await store.WriteAsync(async (s, c) =>
        {
            var e = await s.Journal.AddAsync(new JournalEntry(0, s.Now, actor, text!, service, tags), c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "journal.add", "journal/" + e.Id.ToString(CultureInfo.InvariantCulture), null, null,
                JsonSerializer.Serialize(new { id = e.Id, service = e.Service, tags = e.Tags, text = e.Text })), c);
            return e;
        }, ct);
        return TypedResults.Created($"/api/v1/journal", JournalEntryView.From(entry));
    }
}
