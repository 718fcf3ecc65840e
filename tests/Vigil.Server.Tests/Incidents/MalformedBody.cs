namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// One bad request body for an intake route and the status it must get.
/// <paramref name="ContentType"/> null sends no Content-Type header; <paramref name="Chunked"/> sends
/// the body with Transfer-Encoding: chunked instead of a Content-Length.
/// </summary>
internal sealed record MalformedBody(string Kind, byte[] Body, string? ContentType, bool Chunked, int ExpectedStatus)
{
    /// <summary>Send <c>Expect: 100-continue</c> and wait for the server's go-ahead before the body.</summary>
    public bool ExpectContinue { get; init; }

    /// <summary>
    /// The body is over the size limit and sent without waiting: Kestrel answers 413 and closes the
    /// connection with the rest unread, and that close can reset the connection before the client
    /// reads the answer (dotnet/aspnetcore#23840). Then no answer at all is accepted too; any answer
    /// the client does get must still be the 413 problem.
    /// </summary>
    public bool MayReset { get; init; }

    /// <summary>The start of the body, printable, for a failure message.</summary>
    public string Excerpt(int max = 400)
    {
        var text = System.Text.Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, max));
        var printable = new string(text.Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return Body.Length > max ? $"{printable}… ({Body.Length} bytes)" : printable;
    }
}
