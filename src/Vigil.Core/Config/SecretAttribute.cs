namespace Vigil.Core.Config;

/// <summary>
/// Marks a config property that holds a secret (a webhook URL with a token in it, a password, an
/// HMAC key). <see cref="ConfigRenderer"/> masks it and the digest never contains its clear text.
/// Write such values as <c>${ENV_VAR}</c> references rather than literally.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SecretAttribute : Attribute;
