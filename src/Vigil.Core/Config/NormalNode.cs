namespace Vigil.Core.Config;

/// <summary>
/// The normalized config as a tree: mappings keep property declaration order, lists keep their
/// order, scalars hold canonical text. Shared by <see cref="ConfigDigest"/> and <see cref="ConfigRenderer"/>.
/// </summary>
internal abstract class NormalNode
{
    public sealed class Map : NormalNode
    {
        public List<KeyValuePair<string, NormalNode>> Entries { get; } = [];
    }

    public sealed class List : NormalNode
    {
        public List<NormalNode> Items { get; } = [];
    }

    /// <summary>
    /// A scalar. <see cref="Text"/> is the canonical value as written: an env template's canonical
    /// spelling when <see cref="FromEnv"/>, else the value with <c>$</c> escaped as <c>$$</c> when it is a string.
    /// </summary>
    public sealed class Scalar(string text, bool isString, bool secret, bool fromEnv) : NormalNode
    {
        public string Text { get; } = text;

        public bool IsString { get; } = isString;

        public bool Secret { get; } = secret;

        public bool FromEnv { get; } = fromEnv;
    }
}
