using Google.Protobuf;

namespace Vigil.Server.Tests.Telemetry;

/// <summary>One span as an OTLP <c>ExportTraceServiceRequest</c> carried it.</summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Decodes the spans of an OTLP/HTTP protobuf trace export with Google.Protobuf's wire reader, following
/// opentelemetry-proto's field numbers (ExportTraceServiceRequest.resource_spans = 1, ResourceSpans.scope_spans = 2,
/// ScopeSpans.spans = 2; Span: trace_id 1, span_id 2, parent_span_id 4, name 5, attributes 9; KeyValue: key 1,
/// value 2; AnyValue: string 1, bool 2, int 3, double 4). Unknown fields are skipped, as protobuf readers do.
/// </summary>
internal static class OtlpSpans
{
    public static IReadOnlyList<OtlpSpan> Decode(byte[] exportTraceServiceRequest)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(exportTraceServiceRequest, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    spans.Add(Span(span));
                }
            }
        }

        return spans;
    }

    private static OtlpSpan Span(byte[] bytes)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 9:
                    var (key, value) = KeyValue(input.ReadBytes().ToByteArray());
                    attributes[key] = value;
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, attributes);
    }

    private static (string Key, string Value) KeyValue(byte[] bytes)
    {
        string key = "", value = "";
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = AnyValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        return (key, value);
    }

    private static string AnyValue(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        var value = "";
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: value = input.ReadString(); break;
                case 2: value = input.ReadBool() ? "true" : "false"; break;
                case 3: value = input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                case 4: value = input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                default: input.SkipLastField(); break;
            }
        }

        return value;
    }

    /// <summary>The length-delimited values of one field number, in order.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}
