using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Config;

/// <summary>
/// One load: reads the root file and its includes (depth first), merges their top-level sections
/// (lists concatenate, mappings may appear once), binds, validates, and computes the digest.
/// </summary>
internal sealed class ConfigLoadSession
{
    /// <summary>The top-level key that lists included files.</summary>
    public const string IncludeKey = "include";

    /// <summary>The top-level key of the root file that allows includes from outside the config folder.</summary>
    public const string IncludeOutsideKey = "include_outside";

    /// <summary>Config files are text written by people; anything bigger is a mistake.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    private readonly string _rootDisplay;
    private readonly string _rootFull;
    private readonly string _rootDirectory;
    private readonly string _rootDisplayDirectory;
    private readonly string? _rootText;
    private readonly EnvExpander _env;
    private readonly ConfigDiagnostics _diagnostics = new();
    private readonly Dictionary<YamlNode, string> _nodeFiles = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Display, YamlMappingNode Root)> _documents = [];
    private readonly List<string> _sourceFiles = [];
    private readonly List<string> _fileOrder = [];
    private readonly Dictionary<string, string> _loadedFrom = new(StringComparer.Ordinal);
    private readonly string? _rootPathError;
    private bool _includeOutside;

    public ConfigLoadSession(string path, string? text, Func<string, string?> environment)
    {
        _rootDisplay = path;
        try
        {
            _rootFull = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // Reported by Run(): the path cannot name a file, so there is nothing to read.
            _rootFull = string.Empty;
            _rootPathError = $"`{path}` is not a valid file path: {ex.Message}";
        }

        _rootDirectory = _rootFull.Length == 0 ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(_rootFull) ?? Directory.GetCurrentDirectory();
        _rootDisplayDirectory = _rootFull.Length == 0 ? string.Empty : Path.GetDirectoryName(path) ?? string.Empty;
        _rootText = text;
        _env = new EnvExpander(environment);
    }

    public ConfigLoadResult Run()
    {
        if (_rootPathError is not null)
        {
            var at = new SourceLocation(_rootDisplay, 1, 1);
            return new ConfigLoadResult(null, [new ConfigError(at.File, at.Line, at.Column, string.Empty, _rootPathError)], [], []);
        }

        LoadFile(_rootFull, _rootDisplay, _rootText, [], null);
        var rootLocation = new SourceLocation(_rootDisplay, 1, 1);
        // The loaded config keeps this namer for its lifetime: it must not capture the session,
        // which holds every parsed YAML node (20+ MB with 10,000 checks, measured in docs/performance.md).
        var sources = new ConfigSourceInfo(rootLocation, ShortNamer(_rootDisplay, _rootFull, _rootDirectory));
        var config = new VigilConfig();
        if (_documents.Count > 0 || _diagnostics.Errors.Count == 0)
        {
            var binder = new ConfigBinder(_diagnostics, _env, FileOf, sources);
            binder.BindRoot(config, MergeSections(), new HashSet<string>(StringComparer.Ordinal) { IncludeKey, IncludeOutsideKey });
            ConfigValidator.Validate(config, sources, _diagnostics);
        }

        var errors = ConfigDiagnostics.Sorted(_diagnostics.Errors, _fileOrder);
        var warnings = ConfigDiagnostics.Sorted(_diagnostics.Warnings, _fileOrder);
        if (errors.Count > 0)
        {
            return new ConfigLoadResult(null, errors, warnings, _sourceFiles);
        }

        config.BaseDirectory = _rootDirectory;
        sources.Seal();
        config.Source = sources;
        config.Warnings = warnings;
        config.Digest = ConfigDigest.Compute(config);
        return new ConfigLoadResult(config, errors, warnings, _sourceFiles);
    }

    private string FileOf(YamlNode node) => _nodeFiles.TryGetValue(node, out var file) ? file : _rootDisplay;

    private void LoadFile(string full, string display, string? text, IReadOnlyList<(string Full, string Display)> chain, (SourceLocation At, string Path)? includedAt)
    {
        void Fail(string message)
        {
            var at = includedAt?.At ?? new SourceLocation(display, 1, 1);
            _diagnostics.Error(at, includedAt?.Path ?? string.Empty, message);
        }

        var name = Short(full);
        var via = chain.Count == 0 ? string.Empty : $" (include chain: {string.Join(" → ", chain.Select(c => Short(c.Full)).Append(name))})";
        if (chain.Any(c => string.Equals(c.Full, full, StringComparison.Ordinal)))
        {
            Fail($"include cycle: {string.Join(" → ", chain.SkipWhile(c => !string.Equals(c.Full, full, StringComparison.Ordinal)).Select(c => Short(c.Full)).Append(name))}; remove one of these includes");
            return;
        }

        if (_loadedFrom.TryGetValue(full, out var firstFrom))
        {
            Fail($"`{name}` is already included (from {firstFrom}); include each file only once");
            return;
        }

        _loadedFrom[full] = chain.Count == 0 ? "the command line" : Short(chain[^1].Full);
        if (text is null)
        {
            // Regular files only, and never more than the cap: a FIFO would block the load (and the
            // watcher) forever, a device such as /dev/zero would fill memory.
            if (!RegularFile.TryReadText(full, MaxFileBytes, out var read, out var problem, out var kind))
            {
                Fail(kind == RegularFile.Kind.Missing
                    ? chain.Count == 0
                        ? $"config file `{display}` not found (looked for {full})"
                        : $"included file `{name}` not found (looked for {full}){via}"
                    : $"{(chain.Count == 0 ? "config file" : "included file")} `{name}` {problem}{via}");
                return;
            }

            text = read;
            _sourceFiles.Add(full);
        }

        _fileOrder.Add(display);
        if (Parse(text, display) is not { } root)
        {
            return;
        }

        _documents.Add((display, root));
        ReadIncludeOutside(root, isRoot: chain.Count == 0);
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: IncludeKey })
            {
                LoadIncludes(full, display, value, chain.Append((full, display)).ToList());
            }
        }
    }

    /// <summary>
    /// <c>include_outside: true</c> in the root file lets includes reach outside the config folder;
    /// an included file cannot widen what the root file allows.
    /// </summary>
    private void ReadIncludeOutside(YamlMappingNode root, bool isRoot)
    {
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: IncludeOutsideKey })
            {
                continue;
            }

            if (!isRoot)
            {
                _diagnostics.Error(Locate(key), IncludeOutsideKey,
                    $"`{IncludeOutsideKey}` may be set only in the root config file ({Path.GetFileName(_rootFull)}); move it there");
            }
            else if (value is YamlScalarNode { Value: "true" or "True" or "TRUE" })
            {
                _includeOutside = true;
            }
            else if (value is not YamlScalarNode { Value: "false" or "False" or "FALSE" })
            {
                _diagnostics.Error(Locate(value), IncludeOutsideKey, $"`{IncludeOutsideKey}` takes true or false");
            }
        }
    }

    private YamlMappingNode? Parse(string text, string display)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text))));
        }
        catch (YamlException ex)
        {
            ReportSyntaxError(text, display, ex);
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            _diagnostics.Error(new SourceLocation(display, (int)second.Start.Line, (int)second.Start.Column), string.Empty,
                "a config file holds one YAML document; remove the `---` separator, or move the rest into a file listed under `include:`");
            return null;
        }

        var rootNode = stream.Documents[0].RootNode;
        Register(rootNode, display);
        if (ConfigBinder.IsNull(rootNode))
        {
            return new YamlMappingNode();
        }

        if (rootNode is not YamlMappingNode mapping)
        {
            _diagnostics.Error(new SourceLocation(display, (int)rootNode.Start.Line, (int)rootNode.Start.Column), string.Empty,
                "the top level of a config file must be a mapping of sections, like `vigil:` and `services:`");
            return null;
        }

        return mapping;
    }

    /// <summary>Records which file every node came from (each node object once, so aliases stay cheap).</summary>
    private void Register(YamlNode rootNode, string display)
    {
        var pending = new Stack<YamlNode>();
        pending.Push(rootNode);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!_nodeFiles.TryAdd(node, display))
            {
                continue;
            }

            switch (node)
            {
                case YamlMappingNode m:
                    foreach (var (k, v) in m.Children)
                    {
                        pending.Push(k);
                        pending.Push(v);
                    }

                    break;
                case YamlSequenceNode s:
                    foreach (var child in s.Children)
                    {
                        pending.Push(child);
                    }

                    break;
            }
        }
    }

    private void ReportSyntaxError(string text, string display, YamlException ex)
    {
        var errorLine = (int)ex.Start.Line;
        var lines = text.Split('\n');
        (int Line, int Column)? tab = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tabAt = lines[i].IndexOf('\t', 0, indent);
            if (tabAt >= 0 && lines[i].Trim().Length > 0)
            {
                tab = (i + 1, tabAt + 1);
                if (i + 1 >= errorLine - 1)
                {
                    break;
                }
            }
        }

        // Tabs are legal inside block scalars, so blame one only when the parser complains about
        // tabs or fails right next to the tab-indented line.
        if (tab is { } t && (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) || Math.Abs(t.Line - errorLine) <= 1))
        {
            _diagnostics.Error(new SourceLocation(display, t.Line, t.Column), string.Empty,
                "tab character in indentation; YAML indents with spaces only (set your editor to insert spaces)");
            return;
        }

        var message = ex.Message;
        if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            var key = ConfigText.Token(message["Duplicate key".Length..].Trim());
            _diagnostics.Error(new SourceLocation(display, errorLine, (int)ex.Start.Column), string.Empty,
                $"duplicate key `{key}`: a key may appear only once in a mapping; remove or merge the repeated one");
            return;
        }

        _diagnostics.Error(new SourceLocation(display, Math.Max(1, errorLine), Math.Max(1, (int)ex.Start.Column)), string.Empty,
            $"YAML syntax error: {message.TrimEnd('.')}. Check the indentation here, and quote values that contain `: `, `#` or start with `{{`, `[`, `*`, `&`, `!`, `%` or `@`");
    }

    private void LoadIncludes(string full, string display, YamlNode value, List<(string Full, string Display)> chain)
    {
        if (ConfigBinder.IsNull(value))
        {
            return;
        }

        var entries = value switch
        {
            YamlSequenceNode seq => seq.Children.Select((n, i) => (Node: n, Path: ConfigPath.Index(IncludeKey, i))).ToList(),
            YamlScalarNode => [(value, IncludeKey)],
            _ => null,
        };
        if (entries is null)
        {
            _diagnostics.Error(Locate(value), IncludeKey, "`include` takes a list of file paths, like `include: [services/*.yaml, people.yaml]`");
            return;
        }

        var directory = Path.GetDirectoryName(full) ?? _rootDirectory;
        foreach (var (node, path) in entries)
        {
            var at = Locate(node);
            if (node is not YamlScalarNode { Value: { Length: > 0 } raw })
            {
                _diagnostics.Error(at, path, "each `include` entry is a file path (relative to this file)");
                continue;
            }

            var entry = _env.Expand(raw, out _, out var envErrors);
            foreach (var envError in envErrors)
            {
                _diagnostics.Error(at, path, envError);
            }

            if (envErrors.Count > 0)
            {
                continue;
            }

            foreach (var target in Resolve(directory, entry, at, path))
            {
                if (!_includeOutside && !InsideConfigFolder(target))
                {
                    _diagnostics.Error(at, path,
                        $"include `{entry}` resolves to {RegularFile.RealPath(target)}, outside the config folder {RegularFile.RealPath(_rootDirectory)}; " +
                        $"move the file into that folder, or set `{IncludeOutsideKey}: true` at the top level of {Path.GetFileName(_rootFull)} to allow includes from anywhere");
                    continue;
                }

                LoadFile(target, DisplayFor(target), null, chain, (at, path));
            }
        }
    }

    private List<string> Resolve(string directory, string entry, SourceLocation at, string path)
    {
        string combined;
        try
        {
            combined = Path.GetFullPath(Path.Combine(directory, entry));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            _diagnostics.Error(at, path, $"`{entry}` is not a valid file path: {ex.Message}");
            return [];
        }

        var fileName = Path.GetFileName(combined);
        var folder = Path.GetDirectoryName(combined) ?? directory;
        if (folder.IndexOfAny(['*', '?']) >= 0)
        {
            _diagnostics.Error(at, path, $"`{entry}`: wildcards are allowed only in the file name, like `services/*.yaml`");
            return [];
        }

        if (fileName.IndexOfAny(['*', '?']) < 0)
        {
            return [combined];
        }

        if (!Directory.Exists(folder))
        {
            _diagnostics.Error(at, path, $"`{entry}`: folder {folder} not found");
            return [];
        }

        List<string> matches;
        try
        {
            matches = Directory
                .EnumerateFiles(folder, fileName, new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false, MatchCasing = MatchCasing.PlatformDefault })
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _diagnostics.Error(at, path, $"cannot list {folder} for `{entry}`: {ex.Message}");
            return [];
        }

        if (matches.Count == 0)
        {
            _diagnostics.Warning(at, path, $"`{entry}` matched no files");
        }

        return matches;
    }

    /// <summary>Whether a file is inside the root config's folder once symlinks and <c>..</c> are resolved.</summary>
    private bool InsideConfigFolder(string full)
    {
        var folder = RegularFile.RealPath(_rootDirectory);
        var real = RegularFile.RealPath(full);
        var relative = Path.GetRelativePath(folder, real);
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private string DisplayFor(string full)
    {
        var relative = Path.GetRelativePath(_rootDirectory, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return full;
        }

        return Path.Combine(_rootDisplayDirectory, relative).Replace('\\', '/');
    }

    /// <summary>A file's name for messages: relative to the root config's folder when under it, else the full path.</summary>
    private string Short(string full) => Short(_rootDirectory, full);

    private static string Short(string rootDirectory, string full)
    {
        var relative = Path.GetRelativePath(rootDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative.Replace('\\', '/');
    }

    private string ShortDisplay(string display) => ShortDisplay(_rootDisplay, _rootFull, _rootDirectory, display);

    private static string ShortDisplay(string rootDisplay, string rootFull, string rootDirectory, string display) =>
        string.Equals(display, rootDisplay, StringComparison.Ordinal) ? Path.GetFileName(rootFull) : Short(rootDirectory, Path.GetFullPath(display));

    private static Func<string, string> ShortNamer(string rootDisplay, string rootFull, string rootDirectory) =>
        display => ShortDisplay(rootDisplay, rootFull, rootDirectory, display);

    private SourceLocation Locate(YamlNode node) => new(FileOf(node), (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>
    /// Top-level pairs of all files in read order. List sections (services, people, ...) are joined
    /// into the first file's list; mapping sections (vigil, runbooks, ...) may appear in one file only.
    /// </summary>
    private List<KeyValuePair<YamlNode, YamlNode>> MergeSections()
    {
        var info = ConfigTypeInfo.Get(typeof(VigilConfig));
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        var lists = new Dictionary<string, YamlSequenceNode>(StringComparer.Ordinal);
        var owners = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (_, root) in _documents)
        {
            foreach (var pair in root.Children)
            {
                if (pair.Key is not YamlScalarNode { Value: { } name } || !info.ByKey.TryGetValue(name, out var prop))
                {
                    merged.Add(pair);
                    continue;
                }

                if (prop.ValueType.Kind == ValueKind.List && pair.Value is YamlSequenceNode items)
                {
                    if (lists.TryGetValue(name, out var first))
                    {
                        foreach (var item in items.Children)
                        {
                            first.Children.Add(item);
                        }
                    }
                    else
                    {
                        lists[name] = items;
                        merged.Add(pair);
                    }

                    continue;
                }

                if (prop.ValueType.Kind == ValueKind.List && ConfigBinder.IsNull(pair.Value))
                {
                    continue;
                }

                if (prop.ValueType.Kind != ValueKind.List)
                {
                    if (owners.TryGetValue(name, out var firstKey))
                    {
                        var at = Locate(firstKey);
                        _diagnostics.Error(Locate(pair.Key), name,
                            $"section `{name}` is already defined at {ShortDisplay(at.File)}:{at.Line}:{at.Column}; a mapping section may be defined in only one file");
                        continue;
                    }

                    owners[name] = pair.Key;
                }

                merged.Add(pair);
            }
        }

        return merged;
    }
}
