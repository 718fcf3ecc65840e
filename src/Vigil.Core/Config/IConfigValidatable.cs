namespace Vigil.Core.Config;

/// <summary>
/// An option class with rules that span several of its keys (warn below critical, one-off or
/// recurring, ...). Called after binding, with the key path of the instance.
/// </summary>
internal interface IConfigValidatable
{
    void Validate(ConfigValidationContext context, string path);
}
