namespace Vigil.Probes.Processes;

/// <summary>
/// Output of one stream, capped. When more than the cap was written, <see cref="Text"/> holds the
/// beginning and the end with a visible "[… N bytes omitted …]" marker between, never a silent cut.
/// </summary>
/// <param name="Text">The kept output, UTF-8 decoded.</param>
/// <param name="TotalBytes">How many bytes the process wrote in all.</param>
/// <param name="Truncated">Whether bytes were dropped.</param>
public sealed record CapturedOutput(string Text, long TotalBytes, bool Truncated)
{
    public static CapturedOutput Empty { get; } = new(string.Empty, 0, false);
}
