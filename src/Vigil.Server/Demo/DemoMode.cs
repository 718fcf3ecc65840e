namespace Vigil.Server.Demo;

/// <summary>How a demo fleet target behaves.</summary>
public enum DemoMode
{
    /// <summary>Answers 200 with a small JSON body.</summary>
    Healthy,

    /// <summary>Answers 200 after two seconds.</summary>
    Slow,

    /// <summary>Answers 500.</summary>
    Failing,

    /// <summary>Refuses connections (the listener is closed).</summary>
    Down,
}
