namespace Vigil.Storage;

/// <summary>The database cannot be used by this version of Vigil; the message says why and what to do.</summary>
public sealed class StoreSchemaException(string message) : Exception(message);
