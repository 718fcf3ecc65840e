namespace Vigil.Core.Audit;

/// <summary>
/// The outcome of comparing the local audit chain with what one witness holds.
/// </summary>
/// <param name="Witness">The witness id (or the file name given with <c>--witness-file</c>).</param>
/// <param name="Ok">True when every witnessed checkpoint verifies and matches the chain, and the chain reaches the newest of them.</param>
/// <param name="Witnessed">How many checkpoints the witness holds.</param>
/// <param name="NewestSeq">The newest entry a witnessed checkpoint covers; null when the witness holds none.</param>
/// <param name="Problem">One sentence: the first witnessed checkpoint that does not fit, or why the witness could not be read.</param>
public sealed record WitnessVerification(string Witness, bool Ok, long Witnessed, long? NewestSeq, string? Problem)
{
    /// <summary>The checkpoint (by the entry it covers) that did not fit, when that is the problem.</summary>
    public long? BadCheckpoint { get; init; }

    /// <summary>True for a witness Vigil cannot read back (a webhook): not verified, rather than failed.</summary>
    public bool Unreadable { get; init; }
}
