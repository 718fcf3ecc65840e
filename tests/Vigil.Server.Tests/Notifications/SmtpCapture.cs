namespace Vigil.Server.Tests.Notifications;

/// <summary>One message the server accepted: the envelope and the DATA as received (dot-unstuffed, CRLF line ends).</summary>
internal sealed record SmtpCapture(string MailFrom, IReadOnlyList<string> RcptTo, string Data, string? AuthUser, string? AuthPassword);
