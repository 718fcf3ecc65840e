namespace Vigil.Server.WebConsole;

/// <summary>A console page that needs no session: the sign-in page.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ConsoleAnonymousAttribute : Attribute;
