using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vigil.Core.Config;

/// <summary>
/// Passes parser events through and fails with a <see cref="YamlException"/> once mappings and
/// lists nest deeper than <see cref="MaxDepth"/>: the representation model loads recursively, and
/// a file of a hundred thousand <c>[</c> would otherwise overflow the stack and kill the process.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner) : IParser
{
    /// <summary>Far deeper than any sensible config (the schema itself is under ten levels).</summary>
    public const int MaxDepth = 64;

    private readonly IParser _inner = inner;
    private int _depth;

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        switch (_inner.Current)
        {
            case SequenceStart or MappingStart:
                if (++_depth > MaxDepth)
                {
                    throw new YamlException(_inner.Current.Start, _inner.Current.End, $"mappings and lists nest more than {MaxDepth} levels deep");
                }

                break;
            case SequenceEnd or MappingEnd:
                _depth--;
                break;
        }

        return true;
    }
}
