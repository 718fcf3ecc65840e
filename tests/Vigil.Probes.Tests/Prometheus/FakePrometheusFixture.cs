using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Prometheus;

/// <summary>A Kestrel serving the documented shapes of Prometheus' <c>/api/v1/query</c>, chosen by the query text.</summary>
public sealed class FakePrometheusFixture : IAsyncLifetime
{
    private TestWebServer? _server;

    public string BaseUrl => _server!.BaseUrl;

    public async Task InitializeAsync()
    {
        _server = await TestWebServer.StartAsync(app =>
        {
            app.MapGet("/api/v1/query", Answer);
            app.MapGet("/prom/api/v1/query", Answer);
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static IResult Answer(HttpContext ctx)
    {
        var query = ctx.Request.Query["query"].ToString();
        return query switch
        {
            "up" => Vector("""{"metric":{"__name__":"up","job":"api"},"value":[1700000000.123,"1"]}"""),
            "latency" => Vector("""{"metric":{},"value":[1700000000.123,"0.7"]}"""),
            "two" => Vector("""{"metric":{"job":"a"},"value":[1700000000,"3"]}""", """{"metric":{"job":"b"},"value":[1700000000,"9"]}"""),
            "empty" => Vector(),
            "nan" => Vector("""{"metric":{},"value":[1700000000,"NaN"]}"""),
            "inf" => Vector("""{"metric":{},"value":[1700000000,"+Inf"]}"""),
            "scalar(5)" => Json("""{"status":"success","data":{"resultType":"scalar","result":[1700000000,"5"]}}"""),
            "up[5m]" => Json("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"1"]]}]}}"""),
            "bad(" => Results.Text("""{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}""", "application/json", statusCode: 400),
            "html" => Results.Text("<html>login</html>", "text/html"),
            "secret" => ctx.Request.Headers.Authorization == "Bearer s3cret" && ctx.Request.Headers["X-Scope-OrgID"] == "tenant-1"
                ? Vector("""{"metric":{},"value":[1700000000,"1"]}""")
                : Results.Text("""{"status":"error","errorType":"unauthorized","error":"missing token"}""", "application/json", statusCode: 401),
            _ => Results.Text($$"""{"status":"error","errorType":"bad_data","error":"unknown test query {{query}}"}""", "application/json", statusCode: 400),
        };
    }

    private static IResult Vector(params string[] samples) =>
        Json($$$"""{"status":"success","data":{"resultType":"vector","result":[{{{string.Join(",", samples)}}}]}}""");

    private static IResult Json(string body) => Results.Text(body, "application/json");
}
