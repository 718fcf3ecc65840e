namespace Vigil.Core.Journal;

/// <summary>One line of the ops journal: what someone did or saw, when, and on which service.</summary>
/// <param name="Author">The name of the token that wrote it.</param>
public sealed record JournalEntry(long Id, DateTimeOffset At, string Author, string Text, string? Service, IReadOnlyList<string> Tags);

/// <summary>Which journal entries to list: all filters are optional and combine with AND; newest first, at most <paramref name="Limit"/>.</summary>
/// <param name="Since">Entries at or after this time.</param>
/// <param name="Until">Entries at or before this time.</param>
public sealed record JournalQuery(DateTimeOffset? Since = null, DateTimeOffset? Until = null, string? Service = null, string? Tag = null, int Limit = 100);

/// <summary>The rules for a journal entry's fields, shared by the API and its tests.</summary>
public static class JournalRules
{
    public const int MaxText = 4000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;
    public const int MaxLimit = 1000;

    /// <summary>Whether <paramref name="tag"/> is a usable tag: 1 to 64 of letters, digits, '-', '_', '.', ':' or '/'.</summary>
    public static bool IsTag(string? tag) =>
        !string.IsNullOrEmpty(tag) && tag.Length <= MaxTagLength && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/');
}
