using System.Text;

namespace Vigil.Server.StatusPage;

/// <summary>
/// The status page's one stylesheet, served from this server (<c>{path}/status.css</c>) so the page
/// needs neither inline style nor assets from another origin. Light and dark follow <c>prefers-color-scheme</c>.
/// </summary>
internal static class StatusPageCss
{
    public const string Text = """
        :root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#57606a;--card:#fff;--line:#d0d7de;--ok:#1a7f37;--minor:#9a6700;--major:#cf222e;--mnt:#0969da;--none:#c9ced4;--unk:#6e7781}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--line:#30363d;--ok:#3fb950;--minor:#d29922;--major:#f85149;--mnt:#58a6ff;--none:#3d444d;--unk:#9198a1}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{max-width:52rem;margin:0 auto;padding:1rem}
        header{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
        h1{font-size:1.6rem;margin:.5rem 0}
        h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        h3{font-size:1rem;margin:0}
        a{color:var(--mnt)}
        .logo{max-height:40px;width:auto}
        .msg{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--mnt);padding:.75rem 1rem;border-radius:6px;white-space:pre-line}
        .overall{margin:1rem 0;padding:1rem;border-radius:6px;color:#fff;font-weight:600;font-size:1.1rem;background:var(--ok)}
        .overall.s-degraded{background:var(--minor)}.overall.s-outage{background:var(--major)}.overall.s-maintenance{background:var(--mnt)}.overall.s-unknown{background:var(--unk)}
        @media (prefers-color-scheme:dark){.overall{color:#0d1117}}
        .svcs{list-style:none;margin:0;padding:0;background:var(--card);border:1px solid var(--line);border-radius:6px}
        .svcs li{padding:.75rem 1rem;border-top:1px solid var(--line)}
        .svcs li:first-child{border-top:0}
        .row{display:flex;justify-content:space-between;align-items:baseline;gap:.5rem;flex-wrap:wrap}
        .desc{margin:.1rem 0 .25rem;color:var(--muted);font-size:.9rem}
        .st{font-size:.9rem;font-weight:600;color:var(--ok)}
        .st.s-degraded{color:var(--minor)}.st.s-outage{color:var(--major)}.st.s-maintenance{color:var(--mnt)}.st.s-unknown{color:var(--unk)}
        .bars{display:block;width:100%;height:2rem;margin-top:.4rem}
        .bars path{stroke-width:.72;fill:none}
        .bn{stroke:var(--none)}.bo{stroke:var(--ok)}.bm{stroke:var(--minor)}.bx{stroke:var(--major)}
        .axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem}
        .svcs .slos{list-style:none;margin:.3rem 0 0;padding:0;color:var(--muted);font-size:.85rem}.svcs .slos li{padding:0;border-top:0}
        .inc,.mw{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
        .meta{color:var(--muted);font-size:.85rem;margin:.25rem 0}
        .is{font-size:.85rem;font-weight:600;color:var(--major)}
        .is-identified,.is-monitoring{color:var(--minor)}.is-resolved{color:var(--ok)}
        .updates{list-style:none;margin:.5rem 0 0;padding:0}
        .updates li{border-left:2px solid var(--line);padding-left:.75rem;margin:.5rem 0}
        .updates time{color:var(--muted);font-size:.85rem}
        .updates p{margin:.1rem 0;white-space:pre-line;overflow-wrap:anywhere}
        .none{color:var(--muted)}
        footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
        @media (max-width:30rem){main{padding:.75rem}h1{font-size:1.3rem}.bars{height:1.6rem}}
        """;

    public static RenderedResource Resource { get; } = RenderedResource.Of(Encoding.UTF8.GetBytes(Text), "text/css; charset=utf-8");

    /// <summary>Changes with the stylesheet, so the page's link busts caches after an upgrade.</summary>
    public static string Version { get; } = Resource.ETag.Trim('"')[..8];
}
