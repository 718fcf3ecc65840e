namespace Vigil.Probes.Processes;

/// <summary>
/// Finds and stops everything one run started, however it detached. The run's process gets a unique
/// <see cref="TagVariable"/> in its environment, which every descendant inherits, so after a <c>setsid</c>,
/// a double fork or its parent's exit (re-parenting it to init) a descendant is still found by scanning
/// /proc/PID/environ. Besides the tag, a member is: the main process, anything in its session or process
/// group, and any descendant (by parent links) of a member — which covers a child that cleared its
/// environment while its parent still lives. Members once found are remembered by pid and start time, so
/// one that later loses every link is still stopped, and a recycled pid is never signalled. Linux only
/// (/proc); elsewhere nothing is found and the caller's process-group kill is all there is.
/// </summary>
internal sealed class ProcessContainment
{
    /// <summary>The environment variable that marks a run's processes.</summary>
    public const string TagVariable = "VIGIL_PROCESS_TAG";

    /// <summary>Rounds of find-and-SIGKILL at the end, for processes forked while the previous round was killing.</summary>
    private const int KillRounds = 5;

    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How often members are looked for while the main process runs, to remember them before they can lose every link.</summary>
    private static readonly TimeSpan _trackEvery = TimeSpan.FromSeconds(2);

    /// <summary>How long a SIGKILLed process may take to disappear before the next round looks again.</summary>
    private static readonly TimeSpan _afterKill = TimeSpan.FromSeconds(2);

    private readonly byte[] _tagEntry;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, ProcEntry> _known = [];
    private int _mainPid;
    private ulong? _mainStart;

    public ProcessContainment()
    {
        Tag = Guid.NewGuid().ToString("N");
        _tagEntry = ProcTable.EnvironmentEntry(TagVariable, Tag);
    }

    /// <summary>Whether members can be found here (Linux with /proc).</summary>
    public static bool Supported => ProcTable.Available;

    public string Tag { get; }

    /// <summary>Records the main process just after it started. Its start time bounds the scans: a descendant cannot have started before it.</summary>
    public void Attach(int mainPid)
    {
        _mainPid = mainPid;
        _mainStart = ProcTable.StartTime(mainPid);
    }

    /// <summary>
    /// Looks for members every couple of seconds until <paramref name="until"/> completes, so a child that clears its
    /// environment and detaches is remembered while its parent link still shows it. Never throws.
    /// </summary>
    public async Task TrackAsync(Task until)
    {
        if (!Supported)
        {
            return;
        }

        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(_trackEvery));
            if (!until.IsCompleted)
            {
                try
                {
                    _ = Members(includeMain: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // /proc changed under the scan; the next one looks again.
                }
            }
        }
    }

    /// <summary>The run's live processes (zombies left out: they have exited already).</summary>
    public List<ProcEntry> Members(bool includeMain)
    {
        if (!Supported)
        {
            return [];
        }

        // Without the main process's start time every process is looked at: slower, same answer by tag.
        var all = ProcTable.Snapshot(_mainStart ?? 0);
        var self = Environment.ProcessId;

        // The session and group ids equal the main pid. While any process is in that session or group the kernel does
        // not hand the number out again, so they stay ours unless the pid now names another (recycled) process.
        var mainIsOurs = _mainStart is { } start && !all.Exists(p => p.Pid == _mainPid && p.StartTime != start);
        var members = new Dictionary<int, ProcEntry>();
        lock (_lock)
        {
            foreach (var p in all)
            {
                if (p.Pid <= 1 || p.Pid == self || p.IsZombie)
                {
                    continue;
                }

                var ours = (mainIsOurs && (p.Pid == _mainPid || p.SessionId == _mainPid || p.GroupId == _mainPid))
                    || (_known.TryGetValue(p.Pid, out var seen) && seen.StartTime == p.StartTime)
                    || ProcTable.HasEnvironmentEntry(p.Pid, _tagEntry);
                if (ours)
                {
                    members[p.Pid] = p;
                }
            }

            // Descendants of members by parent links, to a fixed point (a child always starts after its parent,
            // so the snapshot's start-time bound never hides one).
            var children = all.Where(p => p.Pid > 1 && p.Pid != self && !p.IsZombie).ToLookup(p => p.ParentPid);
            var queue = new Queue<ProcEntry>(members.Values);
            while (queue.TryDequeue(out var member))
            {
                foreach (var child in children[member.Pid])
                {
                    if (members.TryAdd(child.Pid, child))
                    {
                        queue.Enqueue(child);
                    }
                }
            }

            foreach (var (pid, entry) in members)
            {
                _known[pid] = entry;
            }
        }

        if (!includeMain)
        {
            members.Remove(_mainPid);
        }

        return [.. members.Values];
    }

    /// <summary>
    /// SIGTERM to every member, up to <paramref name="grace"/> for them to go, then SIGKILL to whatever is left,
    /// looking again after each round for processes forked meanwhile. <paramref name="signalMainGroup"/> also
    /// signals the main process's group (only while the main process has not been reaped, so its pid is not
    /// recycled). Returns how many processes were signalled.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace, TimeProvider timeProvider, bool includeMain, Func<bool> signalMainGroup)
    {
        var signalled = new HashSet<(int, ulong)>();
        var members = Members(includeMain);
        Signal(members, Posix.SigTerm);
        if (members.Count > 0 && grace > TimeSpan.Zero)
        {
            await UntilGoneAsync(members, Task.Delay(grace, timeProvider));
        }

        for (var round = 0; round < KillRounds; round++)
        {
            members = Members(includeMain);
            if (members.Count == 0)
            {
                break;
            }

            Signal(members, Posix.SigKill);
            await UntilGoneAsync(members, Task.Delay(_afterKill));
        }

        return signalled.Count;

        void Signal(List<ProcEntry> targets, int signal)
        {
            if (signalMainGroup())
            {
                Posix.SignalGroup(_mainPid, signal);
            }

            foreach (var p in targets)
            {
                if (Posix.SignalExact(p.Pid, p.StartTime, signal))
                {
                    signalled.Add((p.Pid, p.StartTime));
                }
            }
        }
    }

    private static bool IsGone(ProcEntry p) => ProcTable.Read(p.Pid) is not { } now || now.StartTime != p.StartTime || now.IsZombie;

    private static async Task UntilGoneAsync(List<ProcEntry> processes, Task deadline)
    {
        while (!deadline.IsCompleted && !processes.TrueForAll(IsGone))
        {
            await Task.WhenAny(Task.Delay(_poll), deadline);
        }
    }
}
