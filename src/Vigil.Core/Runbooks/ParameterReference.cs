namespace Vigil.Core.Runbooks;

/// <summary>
/// One place step code refers to a parameter: a <c>&lt;placeholder&gt;</c>, or a <c>$VAR</c> / <c>${VAR…</c> that bash
/// expands there and the code does not set itself (see <see cref="RunbookParser.FindReferences"/>).
/// </summary>
/// <param name="Start">The index in the code of the <c>&lt;</c> or <c>$</c>.</param>
/// <param name="Length">The length of <c>&lt;name&gt;</c>, <c>$NAME</c> or <c>${NAME</c> (a <c>${</c> expansion's operators and <c>}</c> are not included).</param>
/// <param name="CodeLine">The 0-based line of the code.</param>
/// <param name="Context">The quoting at <paramref name="Start"/>.</param>
internal readonly record struct ParameterReference(int Start, int Length, int CodeLine, string Name, RunbookParameterKind Kind, ShellContext Context);
