namespace Vigil.Core.Config;

/// <summary>How a CLR type is written in config.</summary>
internal enum ValueKind
{
    Object,
    List,
    Map,
    String,
    Bool,
    Int,
    Long,
    Double,
    Duration,
    Enum,
    Scalar,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    DayOfWeek,
}
