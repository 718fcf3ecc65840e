namespace Vigil.Core.Config;

/// <summary>
/// A label map: at most <see cref="LabelRules.MaxCount"/> labels, keys matching
/// <c>[A-Za-z_][A-Za-z0-9_.-]*</c> of at most <see cref="LabelRules.MaxKeyLength"/> characters and
/// values of at most <see cref="LabelRules.MaxValueLength"/> characters.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class LabelsAttribute : Attribute;
