namespace Vigil.Core.Results;

/// <summary>
/// The result of an operation that can be refused for expected reasons (not found, wrong state): either a
/// value or a <see cref="Refused"/>. Exceptions stay for bugs and infrastructure failures.
/// </summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refused? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    /// <summary>The value; default when <see cref="IsRefused"/>.</summary>
    public T? Value { get; }

    /// <summary>Why it was refused, or null when it succeeded.</summary>
    public Refused? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Refuse(Refused refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(default, refusal);
    }

    public static implicit operator Outcome<T>(T value) => Ok(value);

    public static implicit operator Outcome<T>(Refused refusal) => Refuse(refusal);

    /// <summary>Maps the value (or passes the refusal on) to one result.</summary>
    public TResult Match<TResult>(Func<T, TResult> ok, Func<Refused, TResult> refused)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(refused);
        return Refusal is { } r ? refused(r) : ok(Value!);
    }
}
