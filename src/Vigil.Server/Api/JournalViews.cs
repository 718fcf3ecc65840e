using Vigil.Core.Journal;

namespace Vigil.Server.Api;

/// <summary>A new ops journal entry: text (1 to 4000 characters), optionally about one service, with tags.</summary>
public sealed record JournalRequest(string? Text, string? Service, IReadOnlyList<string>? Tags);

/// <summary>An ops journal entry; <c>Author</c> is the name of the token that wrote it.</summary>
public sealed record JournalEntryView(long Id, DateTimeOffset At, string Author, string Text, string? Service, IReadOnlyList<string> Tags)
{
    public static JournalEntryView From(JournalEntry e) => new(e.Id, e.At, e.Author, e.Text, e.Service, e.Tags);
}
