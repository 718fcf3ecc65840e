namespace Vigil.Server.Api;

/// <summary>Answer to token creation: the only time the secret is shown.</summary>
public sealed record CreatedTokenView(TokenView Token, string Secret);
