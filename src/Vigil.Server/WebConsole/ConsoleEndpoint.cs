namespace Vigil.Server.WebConsole;

/// <summary>
/// Endpoint metadata: a console page. It authenticates by the console session cookie, not a bearer
/// token; a page that is not <see cref="ConsoleAnonymousAttribute"/> needs a signed-in user.
/// </summary>
internal sealed record ConsoleEndpoint;
