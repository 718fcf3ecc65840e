namespace Vigil.Server.Api;

/// <summary>The kind of a run's server-sent event; on the wire in snake_case (<c>status</c> … <c>step_end</c>, <c>end</c>).</summary>
public enum RunEventType
{
    /// <summary>The run's status changed (with a message for people, sometimes).</summary>
    Status,

    /// <summary>A step starts.</summary>
    Step,

    /// <summary>One line of a step's output.</summary>
    Output,

    /// <summary>The run waits for an answer before a step.</summary>
    Confirm,

    /// <summary>A step ended.</summary>
    StepEnd,

    /// <summary>The run ended; the last event.</summary>
    End,
}
