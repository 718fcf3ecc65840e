namespace Vigil.Core.Runbooks;

/// <summary>A secret written literally in some text, found by <see cref="SecretPatterns.Find"/>.</summary>
/// <param name="Kind">What was found, for messages, such as <c>AWS access key</c> or <c>password or token assignment</c>.</param>
/// <param name="Index">Where the secret value itself starts (not its key or prefix such as <c>PASSWORD=</c>).</param>
/// <param name="Length">The length of the secret value.</param>
public sealed record SecretMatch(string Kind, int Index, int Length);
