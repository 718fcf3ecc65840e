using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Vigil.Core.Storage;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Telemetry;

/// <summary>OTLP over HTTP/protobuf to a loopback receiver: one incident's trace from intake to the page, and its traceparent on the webhook.</summary>
public sealed class OtlpTraceTests
{
    [Fact]
    public async Task Otlp_OneIncident_SpanChainFromIntakeToDelivery_AndTraceparentOnTheWebhook()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = (int)HttpStatusCode.OK;
            return Task.CompletedTask;
        });
        await using var server = await TestServer.StartAsync($$"""
            vigil: { name: otlp-test }
            services:
              - { id: api }
            people:
              - { id: alice, name: Alice, notify_via: [hook] }
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", members: [alice] }
            escalation_policies:
              - id: default
                steps:
                  - { after: 0m, notify: [schedule:primary] }
            notifiers:
              - id: hook
                webhook: { url: "{{receiver.Url("/hook")}}" }
            telemetry:
              otlp: { endpoint: "{{receiver.BaseAddress.ToString().TrimEnd('/')}}", protocol: http-protobuf, metrics: false }
            """);
        const string DedupKey = "otlp-chain-7781";
        using (var admin = server.Admin())
        {
            (await admin.PostJsonAsync(Intake.Events, new System.Text.Json.Nodes.JsonObject
            {
                ["event_action"] = "trigger",
                ["dedup_key"] = DedupKey,
                ["payload"] = new System.Text.Json.Nodes.JsonObject { ["summary"] = "api down", ["source"] = "test", ["severity"] = "critical", ["component"] = "api" },
            })).EnsureSuccessStatusCode();
        }

        var store = server.App.Services.GetRequiredService<IVigilStore>();
        var hook = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.FirstOrDefault(r => r.PathAndQuery == "/hook")),
            store.NextCommitAsync, TimeSpan.FromSeconds(60), "the webhook page");
        // Spans are exported in batches on a timer; a flush exports what has ended. The delivery span ends when the
        // webhook answers, just before the attempt is written to the ledger: read after each commit until it is there.
        var tracer = server.App.Services.GetRequiredService<TracerProvider>();
        var spans = await Eventually.UntilAsync(() =>
        {
            Assert.True(tracer.ForceFlush(10_000), "the trace export flushed");
            return Task.FromResult(receiver.Requests.Where(r => r.PathAndQuery == "/v1/traces").SelectMany(r => OtlpSpans.Decode(r.Body)).ToList());
        }, found => found.Any(s => s.Name == "vigil.notification.deliver"), store.NextCommitAsync, TimeSpan.FromSeconds(60), "the delivery span exported");

        Assert.All(receiver.Requests.Where(r => r.PathAndQuery == "/v1/traces"), r => Assert.Equal("application/x-protobuf", r.Header("Content-Type")));
        var write = Assert.Single(spans, s => s.Name == "vigil.incident.write" && s.Attributes.GetValueOrDefault("vigil.signal.dedup_key") == DedupKey);
        var trace = spans.Where(s => s.TraceId == write.TraceId).ToList();
        var intake = Assert.Single(trace, s => s.Name == "vigil.intake");
        var step = Assert.Single(trace, s => s.Name == "vigil.escalation.step");
        var deliver = Assert.Single(trace, s => s.Name == "vigil.notification.deliver");

        Assert.Equal(intake.SpanId, write.ParentSpanId);
        Assert.Equal(write.SpanId, step.ParentSpanId);
        Assert.Equal(step.SpanId, deliver.ParentSpanId);
        Assert.Equal("events", write.Attributes["vigil.signal.source"]);
        Assert.Equal(write.Attributes["vigil.incident.id"], step.Attributes["vigil.incident.id"]);
        Assert.Equal("webhook", deliver.Attributes["vigil.notifier.channel"]);
        // The HTTP request's own server span is the root: intake is its child.
        var request = Assert.Single(trace, s => s.SpanId == intake.ParentSpanId);
        Assert.Equal("", request.ParentSpanId);

        var traceparent = hook.Header("traceparent");
        Assert.NotNull(traceparent);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(traceparent, $"^00-{write.TraceId}-[0-9a-f]{{16}}-[0-9a-f]{{2}}$"), traceparent);
        Assert.Equal(deliver.SpanId, traceparent.Split('-')[2]);
    }
}
