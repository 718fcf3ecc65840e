namespace Vigil.Core.Config;

/// <summary>What an escalation step notifies.</summary>
public enum NotifyTargetKind
{
    /// <summary>Whoever is on call in a schedule (<c>schedule:primary</c>).</summary>
    Schedule,

    /// <summary>One person, through their contact methods (<c>person:lead</c>).</summary>
    Person,

    /// <summary>A notifier directly, such as a team channel (<c>notifier:ops-email</c>).</summary>
    Notifier,
}
