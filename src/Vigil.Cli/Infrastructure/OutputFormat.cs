namespace Vigil.Cli;

public enum OutputFormat
{
    Table,
    Json,
}
