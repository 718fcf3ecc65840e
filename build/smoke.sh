#!/usr/bin/env bash
# Install and run vigil as a user would, on a clean machine with only the .NET SDK (and Debian's apt):
#
#   1. pack the .NET tool and install it into a temporary tool path;
#   2. from a folder outside the checkout, run `vigil --version` and `vigil demo --help`;
#   3. publish the self-contained single-file binary (build/publish.sh) and `vigil config validate`
#      the demo config with it; verify its SHA256SUMS line; check packaging/vigil.service with
#      systemd-analyze when it is installed;
#   4. build the container image tarball (build/container.sh) and check its manifest and config:
#      entrypoint, command, non-root user, /data volume, HEALTHCHECK, exposed port, environment;
#      as root, also run the image's own file system (chroot, as the image's user) to start the
#      server and pass its own healthcheck.
#
#   build/smoke.sh                 # .ci/run calls it; a few minutes
#
# Any failure prints "smoke: FAILED: what" and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
server_pid=
stop_server() {
    # unshare --fork does not pass SIGTERM on: stop vigil, its child, and unshare follows.
    if [ -n "$server_pid" ]; then
        kill $(pgrep -P "$server_pid") 2>/dev/null || kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
step() { echo; echo "smoke [$((SECONDS - started))s] $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

version=$(dotnet msbuild src/Vigil.Cli -getProperty:Version)
[ -n "$version" ] || fail "could not read <Version> from Directory.Build.props"

step "1/4 pack the .NET tool (vigil $version) and install it into a temporary tool path"
dotnet pack src/Vigil.Cli -c Release -o "$work/packages" -p:GenerateDocumentationFile=false | grep -E 'Successfully created|error' || true
[ -f "$work/packages/vigil.$version.nupkg" ] || fail "dotnet pack wrote no $work/packages/vigil.$version.nupkg"
# Only the package just built: a config whose one source is that folder (no other feed can answer for 'vigil').
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/packages" />
  </packageSources>
</configuration>
EOF
dotnet tool install --tool-path "$work/tools" vigil --version "$version" --configfile "$work/nuget.config" \
    || fail "dotnet tool install vigil from the local package"

step "2/4 the installed tool, run from a folder outside the checkout"
mkdir -p "$work/elsewhere"
cd "$work/elsewhere"
got=$("$work/tools/vigil" --version) || fail "vigil --version exited $?"
echo "    vigil --version: $got"
[[ "$got" == "$version"* ]] || fail "vigil --version printed '$got', expected $version"
"$work/tools/vigil" demo --help > "$work/demo-help.txt" || fail "vigil demo --help exited $?"
grep -q "built-in demo" "$work/demo-help.txt" || { cat "$work/demo-help.txt"; fail "vigil demo --help does not describe the demo"; }
echo "    vigil demo --help: ok ($(wc -l < "$work/demo-help.txt") lines)"
cd "$repo"

step "3/4 the self-contained single-file binary (linux-x64)"
build/publish.sh linux-x64
binary="artifacts/vigil-$version-linux-x64"
[ -x "$binary" ] || fail "build/publish.sh wrote no executable $binary"
(cd artifacts && grep " vigil-$version-linux-x64\$" SHA256SUMS | sha256sum -c -) || fail "SHA256SUMS does not match $binary"
cp "$binary" "$work/elsewhere/vigil"
cd "$work/elsewhere"
# No .NET on PATH for the binary: it must not need one.
env -u DOTNET_ROOT PATH=/usr/bin:/bin ./vigil --version || fail "the single-file binary's --version"
env -u DOTNET_ROOT PATH=/usr/bin:/bin ./vigil config validate -c "$repo/examples/demo/vigil.yaml" \
    || fail "vigil config validate of examples/demo/vigil.yaml with the single-file binary"
cd "$repo"
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify wants ExecStart to exist: point the unit at the binary just published.
    mkdir -p "$work/unit"
    sed "s#/usr/local/bin/vigil#$repo/$binary#g" packaging/vigil.service > "$work/unit/vigil.service"
    systemd-analyze verify "$work/unit/vigil.service" || fail "systemd-analyze verify packaging/vigil.service"
    echo "    systemd-analyze verify packaging/vigil.service: ok"
else
    echo "    (systemd-analyze is not installed: packaging/vigil.service not verified)"
fi

step "4/4 the container image tarball"
build/container.sh
tarball="artifacts/vigil-$version-linux-x64.image.tar.gz"
[ -s "$tarball" ] || fail "build/container.sh wrote no $tarball"
mkdir -p "$work/image"
tar -xzf "$tarball" -C "$work/image"
python3 - "$work/image" "$version" <<'PY' || fail "the image's manifest or config (above)"
import json, os, sys, tarfile
root, version = sys.argv[1], sys.argv[2]
problems = []
def check(ok, what):
    print(("    ok: " if ok else "    WRONG: ") + what)
    if not ok:
        problems.append(what)
manifest = json.load(open(os.path.join(root, "manifest.json")))
check(len(manifest) == 1, "manifest.json names one image")
image = manifest[0]
check(any(t.endswith(":" + version) for t in image.get("RepoTags") or []), f"tagged {version}: {image.get('RepoTags')}")
config = json.load(open(os.path.join(root, image["Config"])))
c = config["config"]
check(config.get("os") == "linux" and config.get("architecture") == "amd64", f"linux/amd64: {config.get('os')}/{config.get('architecture')}")
check(c.get("Entrypoint") == ["/usr/bin/tini", "--", "/app/vigil"], f"entrypoint tini -- /app/vigil: {c.get('Entrypoint')}")
check(c.get("Cmd") == ["serve", "--listen", "http://0.0.0.0:8080"], f"command serve on :8080: {c.get('Cmd')}")
user = str(c.get("User", ""))
check(user not in ("", "0", "root") and not user.startswith("0:"), f"runs as a non-root user: {user!r}")
check("/data" in (c.get("Volumes") or {}), f"/data is a volume: {c.get('Volumes')}")
check("8080/tcp" in (c.get("ExposedPorts") or {}), f"exposes 8080/tcp: {list((c.get('ExposedPorts') or {}).keys())}")
env = dict(e.split("=", 1) for e in c.get("Env") or [])
check(env.get("VIGIL_DATA") == "/data" and env.get("VIGIL_CONFIG") == "/etc/vigil/vigil.yaml", "VIGIL_DATA=/data, VIGIL_CONFIG=/etc/vigil/vigil.yaml")
hc = c.get("Healthcheck") or {}
check(hc.get("Test") == ["CMD", "/app/vigil", "healthcheck"] and hc.get("Interval", 0) > 0, f"HEALTHCHECK vigil healthcheck (GET /healthz): {hc.get('Test')}")
check(len(config["rootfs"]["diff_ids"]) == len(image["Layers"]), "one diff_id per layer")
# The layers, unpacked in order, give the file system the container runs in.
rootfs = os.path.join(root, "rootfs")
os.makedirs(rootfs)
owners = {}
for layer in image["Layers"]:
    with tarfile.open(os.path.join(root, layer)) as t:
        owners.update((m.name.strip("./").rstrip("/"), m.uid) for m in t.getmembers())
        # Python 3.12+ wants the filter said; Debian 12's 3.11.2 has no such argument.
        t.extractall(rootfs, **({"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}))
app = os.path.join(rootfs, "app", "vigil")
check(os.path.isfile(app) and os.access(app, os.X_OK), "/app/vigil is an executable")
check(os.path.isfile(os.path.join(rootfs, "usr", "bin", "tini")), "/usr/bin/tini (PID 1, reaps orphans) is there")
passwd = open(os.path.join(rootfs, "etc", "passwd")).read()
check(any(l.split(":")[2] == user for l in passwd.splitlines() if l.count(":") >= 6), f"uid {user} is a user in /etc/passwd")
check(str(owners.get("data")) == user, f"/data belongs to uid {user}: {owners.get('data')}")
sys.exit(1 if problems else 0)
PY
rootfs="$work/image/rootfs"
if [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 \
    && unshare -m --fork sh -c 'mount -t proc proc "$1"' sh "$work" 2>/dev/null; then
    # The image's own libraries and user, without a container engine: chroot into the unpacked layers, in a
    # private mount namespace with /proc and /dev (the runtime needs both), as uid 1654.
    chown -R 1654:1654 "$rootfs/data"
    mkdir -p "$rootfs/proc" "$rootfs/dev"
    chroot=$(command -v chroot)
    in_image() {
        ${IN_IMAGE_EXEC:-} unshare -m --fork --kill-child=SIGTERM sh -c 'root=$1; shift; mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
            exec env -i PATH=/usr/bin:/bin HOME=/data VIGIL_DATA=/data SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
                "$0" --userspec=1654:1654 "$root" "$@"' "$chroot" "$rootfs" "$@"
    }
    in_image /app/vigil --version || fail "/app/vigil --version inside the image's file system"
    in_image /app/vigil init -c /data/vigil.yaml >/dev/null || fail "vigil init inside the image's file system"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # exec: $! is then unshare itself, whose SIGTERM reaches vigil (--kill-child).
    IN_IMAGE_EXEC=exec in_image /app/vigil serve -c /data/vigil.yaml --listen "http://127.0.0.1:$port" > "$work/serve.log" 2>&1 &
    server_pid=$!
    healthy=
    for _ in $(seq 1 120); do
        if in_image /app/vigil healthcheck --server "http://127.0.0.1:$port" --timeout 2 >/dev/null 2>&1; then healthy=1; break; fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.5
    done
    [ -n "$healthy" ] || { cat "$work/serve.log"; fail "the server in the image's file system never passed vigil healthcheck"; }
    in_image /app/vigil healthcheck --server "http://127.0.0.1:$port"
    stop_server
    echo "    the image's file system runs vigil serve as uid 1654 and passes its HEALTHCHECK command"
else
    echo "    (not root, or no mount namespaces: the image's file system was checked, not run)"
fi

echo
echo "smoke: ok in $((SECONDS - started)) s (tool, single-file binary, container image $tarball)"
