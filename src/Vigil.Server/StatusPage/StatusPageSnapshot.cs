using Vigil.Core.StatusPage;

namespace Vigil.Server.StatusPage;

/// <summary>
/// The status page as served: the model and every representation rendered from it once, so a
/// request costs a dictionary lookup and a copy of bytes, whatever the history or the number of checks.
/// </summary>
/// <param name="ChangedAt">When the content last changed (the Atom feed's <c>updated</c>).</param>
/// <param name="Badges">Service id → its state badge and its uptime badge.</param>
public sealed record StatusPageSnapshot(
    StatusPageModel Model,
    DateTimeOffset ChangedAt,
    RenderedResource Html,
    RenderedResource Json,
    RenderedResource Atom,
    IReadOnlyDictionary<string, (RenderedResource State, RenderedResource Uptime)> Badges);
