namespace Vigil.Cli;

/// <summary>Named exit codes, stable for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check, verification or gate failed, or the server refused the request.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or an invalid config.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>No token, an invalid token, or a token without the needed role.</summary>
    public const int Auth = 4;

    /// <summary>A bug in Vigil (an unexpected exception); the message asks for a report.</summary>
    public const int Internal = 70;
}
