namespace Vigil.Cli;

public enum OutputFormat
{
    Table,
    Json,

    /// <summary>SARIF 2.1.0, for <c>vigil runbook lint</c> only.</summary>
    Sarif,
}
