namespace Vigil.Core.Auth;

/// <summary>Parsing and formatting of <see cref="Role"/> names as they appear in the API and CLI.</summary>
public static class Roles
{
    /// <summary>All role names, lowest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["intake", "viewer", "responder", "operator", "admin"];

    public static string ToName(this Role role) => role switch
    {
        Role.Intake => "intake",
        Role.Viewer => "viewer",
        Role.Responder => "responder",
        Role.Operator => "operator",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    public static bool TryParse(string? name, out Role role)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "intake": role = Role.Intake; return true;
            case "viewer": role = Role.Viewer; return true;
            case "responder": role = Role.Responder; return true;
            case "operator": role = Role.Operator; return true;
            case "admin": role = Role.Admin; return true;
            default: role = default; return false;
        }
    }

    /// <summary>
    /// True when <paramref name="held"/> may use a route that requires <paramref name="required"/>.
    /// Intake routes take intake tokens and responder or higher; an intake token satisfies nothing else.
    /// </summary>
    public static bool Satisfies(this Role held, Role required) => required == Role.Intake
        ? held is Role.Intake or >= Role.Responder
        : held != Role.Intake && held >= required;
}
