#!/usr/bin/env bash
# Run the linux-arm64 single-file binary on an x86-64 Linux machine, under qemu-user emulation
# (docs/install.md, "Verified on arm64"). No arm64 hardware is involved: qemu-aarch64 translates the
# binary's arm64 code, and an arm64 tree of Debian's libraries (the "sysroot") stands in for the
# libraries an arm64 Debian machine has.
#
#   1. the binary: artifacts/vigil-<version>-linux-arm64 as build/publish.sh writes it; published when it is
#      missing or was built from another commit than the checkout's (VIGIL_ARM64_BINARY=FILE runs that file
#      instead, as it is);
#   2. qemu-aarch64 from Debian's qemu-user (installed with apt-get, as root, when it is missing);
#   3. the sysroot: Debian's arm64 libc6, libgcc-s1, libstdc++6, libicu72 and libssl3, and tzdata,
#      fetched with `apt-get download` through apt's own configuration (this machine's sources, the arm64
#      architecture, package lists in the cache folder: nothing in /etc/apt or the system's lists changes)
#      and unpacked with dpkg-deb, once, into VIGIL_ARM64_CACHE (default ~/.cache/vigil/arm64; delete the
#      folder to fetch the packages anew);
#   4. under qemu: `vigil --version`, `vigil config validate` of examples/demo/vigil.yaml, `vigil init` into a
#      temporary data folder, `vigil serve` on 127.0.0.1 and a free port until /healthz and /readyz answer 200
#      (curl, and the binary's own `vigil healthcheck`), then SIGTERM, which must end it with exit code 0.
#
#   build/arm64-smoke.sh          # a few minutes the first time (apt, publish), about a minute after that
#
# Any failure prints "arm64-smoke: FAILED: what" and exits 1. Not called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cache=${VIGIL_ARM64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/arm64}
sysroot="$cache/sysroot"
# What the binary loads, and nothing else, so that a run here also says what an arm64 machine must have: the C
# and C++ runtimes, ICU (globalization is on: Directory.Build.props; without it the runtime aborts at start),
# OpenSSL 3 (hashing and TLS; without it `vigil serve` aborts with "No usable version of libssl was found"), and
# the time zone database (schedules; the same package on every architecture). Not zlib1g: .NET 10 has zlib-ng
# built in (the server starts and answers without libz.so.1 in the tree).
packages=(libc6 libgcc-s1 libstdc++6 libicu72 libssl3 tzdata)
start_timeout=${VIGIL_ARM64_START_TIMEOUT:-300}

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
step_started=$SECONDS
timings=()
step() {
    echo
    echo "arm64-smoke [$((SECONDS - started))s] $*"
    step_started=$SECONDS
}
took() { timings+=("$(printf '%5ss  %s' "$((SECONDS - step_started))" "$1")"); }
fail() { echo "arm64-smoke: FAILED: $*" >&2; exit 1; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else fail "'$*' needs root, and neither root nor sudo is available"
    fi
}

command -v curl >/dev/null 2>&1 || fail "curl is needed to probe the server (apt-get install curl)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to pick a free port (apt-get install python3)"
[ "$(uname -m)" = x86_64 ] || echo "arm64-smoke: note: this machine is $(uname -m), not x86_64; qemu is used all the same"

version=$(dotnet msbuild src/Vigil.Cli -getProperty:Version)
[ -n "$version" ] || fail "could not read <Version> from Directory.Build.props"
head=$(git rev-parse HEAD 2>/dev/null || true)

step "1/7 qemu-aarch64 (Debian's qemu-user)"
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
    echo "    not installed: apt-get install qemu-user"
    # Without recommends: no binfmt registration, so arm64 programs run only when this script asks qemu to.
    as_root apt-get update -q >/dev/null || fail "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-user >/dev/null \
        || fail "apt-get install qemu-user"
fi
qemu=$(command -v qemu-aarch64) || fail "qemu-aarch64 is not on PATH after installing qemu-user"
echo "    $($qemu --version | head -n 1)"
took "qemu-aarch64"

step "2/7 the arm64 sysroot in $sysroot"
stamp="$sysroot/.vigil-packages"
if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "${packages[*]}" ]; then
    echo "    cached: $(tail -n +2 "$stamp" | paste -sd, | sed 's/,/, /g')"
else
    echo "    building it from Debian's arm64 packages: ${packages[*]}"
    command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || fail "apt-get and dpkg-deb are needed to build the sysroot (a Debian or Ubuntu machine)"
    apt_dir="$cache/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$cache/debs"
    : > "$apt_dir/status"
    # The machine's own sources, read for arm64 into lists of our own: /etc/apt, the system's package lists
    # and dpkg's architectures stay as they are. Downloads run as this user (no _apt sandbox: the folders are ours).
    apt_arm64=(apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64
        -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o Dir::State::Status="$apt_dir/status"
        -o APT::Sandbox::User="$(id -un)" -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false)
    "${apt_arm64[@]}" update > "$work/apt-update.log" 2>&1 || { cat "$work/apt-update.log"; fail "apt-get update of the arm64 package lists (above)"; }
    rm -f "$cache"/debs/*.deb
    (cd "$cache/debs" && "${apt_arm64[@]}" download "${packages[@]}") > "$work/apt-download.log" 2>&1 \
        || { cat "$work/apt-download.log"; fail "apt-get download of the arm64 packages (above)"; }
    # Unpack into a new folder and swap it in whole: an interrupted run leaves no half-made sysroot behind.
    rm -rf "$sysroot.new"
    mkdir -p "$sysroot.new"
    for deb in "$cache"/debs/*.deb; do
        dpkg-deb -x "$deb" "$sysroot.new" || fail "dpkg-deb -x $deb"
    done
    [ -e "$sysroot.new/lib/ld-linux-aarch64.so.1" ] || fail "the sysroot has no lib/ld-linux-aarch64.so.1 (libc6:arm64 did not unpack)"
    { echo "${packages[*]}"; for deb in "$cache"/debs/*.deb; do dpkg-deb -f "$deb" Package Version | awk '{print $2}' | paste -sd' '; done; } > "$sysroot.new/.vigil-packages"
    rm -rf "$sysroot"
    mv "$sysroot.new" "$sysroot"
    rm -rf "$cache/debs" "$apt_dir"
    echo "    $(du -sh "$sysroot" | cut -f1): $(tail -n +2 "$stamp" | paste -sd, | sed 's/,/, /g')"
fi
took "sysroot"

# The environment the binary runs in under qemu: the arm64 loader and libraries from the sysroot (qemu looks
# up absolute paths there first, then on the host), no .NET from the host, and the bundle's native
# library (SQLite) unpacked into the temporary folder rather than ~/.net.
arm64() {
    env -u DOTNET_ROOT PATH=/usr/bin:/bin HOME="$work/home" DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" \
        "$qemu" -L "$sysroot" "$@"
}
mkdir -p "$work/home" "$work/extract"

step "3/7 the linux-arm64 single-file binary"
publish() {
    build/publish.sh linux-arm64 || fail "build/publish.sh linux-arm64"
}
if [ -n "${VIGIL_ARM64_BINARY:-}" ]; then
    binary=$VIGIL_ARM64_BINARY
    [ -f "$binary" ] || fail "VIGIL_ARM64_BINARY=$binary: no such file"
    echo "    VIGIL_ARM64_BINARY: $binary"
else
    binary="artifacts/vigil-$version-linux-arm64"
    # The commit is in the binary's informational version (0.1.0+<commit>): a binary of another commit is stale.
    if [ ! -f "$binary" ]; then
        echo "    no $binary yet: build/publish.sh linux-arm64"
        publish
    elif [ -n "$head" ] && ! grep -qaF "$version+$head" "$binary"; then
        echo "    $binary was built from another commit than $head: build/publish.sh linux-arm64"
        publish
    else
        echo "    $binary is of this commit: reused (delete it to publish anew)"
    fi
    [ -f "$binary" ] || fail "build/publish.sh wrote no $binary"
    (cd artifacts && grep " vigil-$version-linux-arm64\$" SHA256SUMS | sha256sum -c --quiet -) \
        || fail "artifacts/SHA256SUMS does not match $binary"
fi
binary=$(realpath "$binary")
file_type=$(file -b "$binary" 2>/dev/null || true)
[ -z "$file_type" ] || [[ "$file_type" == *"ARM aarch64"* ]] || fail "$binary is not an arm64 executable: $file_type"
size=$(stat -c %s "$binary")
sha=$(sha256sum "$binary" | cut -d' ' -f1)
echo "    $binary"
echo "    $size bytes ($(numfmt --to=iec-i --suffix=B "$size")), sha256 $sha"
took "binary (publish only when needed)"

step "4/7 vigil --version (under qemu)"
got=$(cd "$work" && arm64 "$binary" --version) || fail "vigil --version under qemu-aarch64 exited $?"
echo "    $got"
[[ "$got" == "$version"* ]] || fail "vigil --version printed '$got', expected $version"
took "vigil --version"

step "5/7 vigil config validate examples/demo/vigil.yaml (under qemu)"
(cd "$work" && arm64 "$binary" config validate -c "$repo/examples/demo/vigil.yaml") | sed 's/^/    /' \
    || fail "vigil config validate of examples/demo/vigil.yaml under qemu-aarch64"
took "vigil config validate (demo config)"

step "6/7 vigil init into a temporary data folder (under qemu)"
data="$work/data"
(cd "$work" && arm64 "$binary" init -c "$data/vigil.yaml") | sed 's/^/    /' || fail "vigil init -c $data/vigil.yaml under qemu-aarch64"
[ -s "$data/vigil.yaml" ] || fail "vigil init wrote no $data/vigil.yaml"
took "vigil init"

step "7/7 vigil serve on 127.0.0.1 until /healthz and /readyz answer 200, then SIGTERM (under qemu)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
# qemu-aarch64 itself is the process: the signal it is sent goes to the emulated program.
(cd "$work" && exec env -u DOTNET_ROOT PATH=/usr/bin:/bin HOME="$work/home" DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" \
    "$qemu" -L "$sysroot" "$binary" serve -c "$data/vigil.yaml" --data "$data" --listen "$url") > "$work/serve.log" 2>&1 &
server_pid=$!
answers() { curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null; }
up=
for _ in $(seq 1 $((start_timeout * 2))); do
    if answers "$url/healthz"; then up=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
if [ -z "$up" ]; then
    cat "$work/serve.log" >&2
    kill -0 "$server_pid" 2>/dev/null || { wait "$server_pid" && code=0 || code=$?; server_pid=; fail "vigil serve under qemu-aarch64 exited ($code) before answering $url/healthz (its output above)"; }
    fail "vigil serve under qemu-aarch64 did not answer $url/healthz in ${start_timeout} s (its output above; VIGIL_ARM64_START_TIMEOUT=seconds)"
fi
echo "    up after $((SECONDS - step_started)) s: $(grep -m1 'listening on' "$work/serve.log" || echo '(no listening line)')"
took "vigil serve: start until /healthz answers"
step_started=$SECONDS
for path in healthz readyz; do
    status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$url/$path") || true
    echo "    curl $url/$path: $status"
    [ "$status" = 200 ] || { cat "$work/serve.log" >&2; fail "$url/$path answered '$status', expected 200"; }
done
# The binary's own probe (the container HEALTHCHECK's), also arm64 code under qemu.
(cd "$work" && arm64 "$binary" healthcheck --server "$url" --timeout 30) | sed 's/^/    vigil healthcheck: /' || fail "vigil healthcheck (/healthz) under qemu-aarch64 exited $?"
(cd "$work" && arm64 "$binary" healthcheck --ready --server "$url" --timeout 30) | sed 's/^/    vigil healthcheck --ready: /' || fail "vigil healthcheck --ready (/readyz) under qemu-aarch64 exited $?"
took "/healthz + /readyz: curl, and vigil healthcheck twice"
step_started=$SECONDS
kill -TERM "$server_pid"
stopped=
for _ in $(seq 1 120); do
    if ! kill -0 "$server_pid" 2>/dev/null; then stopped=1; break; fi
    sleep 0.5
done
[ -n "$stopped" ] || { cat "$work/serve.log" >&2; fail "vigil serve did not stop within 60 s of SIGTERM (its output above)"; }
code=0
wait "$server_pid" || code=$?
server_pid=
echo "    SIGTERM: stopped in $((SECONDS - step_started)) s with exit code $code"
[ "$code" -eq 0 ] || { cat "$work/serve.log" >&2; fail "vigil serve exited $code after SIGTERM, expected 0 (its output above)"; }
took "vigil serve: SIGTERM until it exits"

echo
echo "arm64-smoke: ok in $((SECONDS - started)) s: vigil $version linux-arm64 under $($qemu --version | head -n 1 | sed 's/ (Debian.*//')"
echo "    binary: $(basename "$binary"), $size bytes, sha256 $sha"
printf '    %s\n' "${timings[@]}"
# Wall-clock seconds depend on what else the machine runs; the CPU time of this script's children less so.
times > "$work/times"   # here, not in $( ): a subshell would report its own children, none
cpu=$(tail -n 1 "$work/times" | awk '{ for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); printf "%ds %s", t[1] * 60 + t[2], (i == 1 ? "user, " : "system") } }')
echo "    CPU time of all it ran: $cpu; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
