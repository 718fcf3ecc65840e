namespace Vigil.Core.Config;

/// <summary>Collects errors and warnings during one load.</summary>
internal sealed class ConfigDiagnostics
{
    /// <summary>Past this many errors the rest are dropped: a config this broken is better fixed in rounds.</summary>
    public const int MaxErrors = 500;

    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigError> _warnings = [];
    private bool _truncated;

    public IReadOnlyList<ConfigError> Errors => _errors;

    public IReadOnlyList<ConfigError> Warnings => _warnings;

    public void Error(SourceLocation at, string path, string message)
    {
        if (_errors.Count >= MaxErrors)
        {
            if (!_truncated)
            {
                _truncated = true;
                _errors.Add(new ConfigError(at.File, at.Line, at.Column, string.Empty, $"more than {MaxErrors} errors; fix these and validate again to see the rest"));
            }

            return;
        }

        _errors.Add(new ConfigError(at.File, at.Line, at.Column, ConfigText.Path(path), ConfigText.Message(message)));
    }

    public void Warning(SourceLocation at, string path, string message) =>
        _warnings.Add(new ConfigError(at.File, at.Line, at.Column, ConfigText.Path(path), ConfigText.Message(message)));

    /// <summary>Errors in file read order, then line and column; the order found breaks ties.</summary>
    public static IReadOnlyList<ConfigError> Sorted(IReadOnlyList<ConfigError> errors, IReadOnlyList<string> fileOrder)
    {
        int FileRank(string file)
        {
            for (var i = 0; i < fileOrder.Count; i++)
            {
                if (string.Equals(fileOrder[i], file, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        return errors
            .Select((e, i) => (e, i))
            .OrderBy(x => FileRank(x.e.File))
            .ThenBy(x => x.e.Line)
            .ThenBy(x => x.e.Column)
            .ThenBy(x => x.i)
            .Select(x => x.e)
            .ToList();
    }
}
