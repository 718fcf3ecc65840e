using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Config;

/// <summary>
/// Renders a config as normalized YAML for people (<c>vigil config show</c>, <c>GET /api/v1/config</c>):
/// every key with its effective value, defaults filled in, in declaration order. Values of
/// <see cref="SecretAttribute"/> properties and every value that came from <c>${VAR}</c> expansion are
/// shown as <c>***</c>, and so is every credential <see cref="CredentialMask"/> recognises: URL
/// passwords and credential-like query values, credential-like <c>headers</c> values, and all
/// <c>env</c> values. A rendering without masked values loads back to a config with the same digest.
/// </summary>
public static partial class ConfigRenderer
{
    /// <summary>The text shown instead of a secret or env-expanded value.</summary>
    public const string Mask = "***";

    public static string ToYaml(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = ToYamlNode(ConfigNormalizer.Build(config), Context.None);
        var stream = new YamlStream(new YamlDocument(root));
        var sb = new StringBuilder();
        sb.Append("# Normalized Vigil config: defaults filled in, secrets and ${VAR} values masked.\n");
        if (config.Digest.Length > 0)
        {
            sb.Append("# digest: ").Append(config.Digest).Append('\n');
        }

        using (var writer = new StringWriter(sb))
        {
            stream.Save(writer, assignAnchors: false);
        }

        var text = sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text;
    }

    /// <summary>What the mapping a value sits in is, for masking: headers and env values are judged by their key.</summary>
    private enum Context
    {
        None,
        Headers,
        Env,
    }

    private static YamlNode ToYamlNode(NormalNode node, Context context, string? key = null)
    {
        switch (node)
        {
            case NormalNode.Map map:
                var mapping = new YamlMappingNode();
                foreach (var (childKey, value) in map.Entries)
                {
                    var inner = context != Context.None ? context
                        : value is NormalNode.Map && childKey == "headers" ? Context.Headers
                        : value is NormalNode.Map && childKey == "env" ? Context.Env
                        : Context.None;
                    mapping.Add(new YamlScalarNode(childKey), ToYamlNode(value, inner, childKey));
                }

                return mapping;
            case NormalNode.List list:
                var sequence = new YamlSequenceNode();
                foreach (var item in list.Items)
                {
                    sequence.Add(ToYamlNode(item, Context.None));
                }

                return sequence;
            case NormalNode.Scalar scalar:
                var text = scalar.Secret || scalar.FromEnv || context == Context.Env ? Mask
                    : !scalar.IsString ? scalar.Text
                    : context == Context.Headers ? CredentialMask.Header(key ?? string.Empty, scalar.Text)
                    : CredentialMask.Url(scalar.Text);
                var quote = (scalar.IsString && NeedsQuotes(text)) || text == Mask;
                return new YamlScalarNode(text) { Style = quote ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
            default:
                throw new InvalidOperationException("unknown node");
        }
    }

    /// <summary>Strings that a reader would take for null, a boolean or a number get quotes, for clarity.</summary>
    private static bool NeedsQuotes(string text) => text.Length == 0 || text.Trim() != text || LooksTyped().IsMatch(text);

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+)$")]
    private static partial Regex LooksTyped();
}
