#!/usr/bin/env bash
# Durable intake measured with wrk, the way issue 12 measured Vigil and Alertmanager: 2 threads x 16
# connections, closed loop, POST /api/v2/alerts with one alert per body over 1,000 alerts (alerts.lua).
# wrk is C and light, so more of the two cores is left to the server than with `Vigil.Bench intake`.
#
#   bench/wrk/intake.sh                          # the Release build's vigil.dll
#   VIGIL=/path/to/vigil.dll bench/wrk/intake.sh  # another build (a before/after pair)
#   WRK_BODY=empty bench/wrk/intake.sh           # "[]": route, auth and JSON reading, nothing stored
#
# Settings: DURATION (default 20s measured after WARMUP 10s), CONNECTIONS (32), THREADS (2).
# Needs wrk (Debian package wrk). Traffic stays on 127.0.0.1; the data folder is a temporary one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vigil="${VIGIL:-$root/src/Vigil.Cli/bin/Release/net10.0/vigil.dll}"
duration="${DURATION:-20s}" warmup="${WARMUP:-10s}" connections="${CONNECTIONS:-32}" threads="${THREADS:-2}"
command -v wrk >/dev/null || { echo "intake.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
[ -f "$vigil" ] || { echo "intake.sh: $vigil not found: run 'dotnet build -c Release src/Vigil.Cli' or set VIGIL" >&2; exit 2; }

dir="$(mktemp -d /tmp/vigil-wrk-XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cp "$here/../intake.yaml" "$dir/vigil.yaml"   # the same server config as Vigil.Bench intake
run=(dotnet "$vigil"); [[ "$vigil" == *.dll ]] || run=("$vigil")
DOTNET_gcServer=0 "${run[@]}" serve -c "$dir/vigil.yaml" --data "$dir/data" --listen http://127.0.0.1:0 > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.5; done
url="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$dir/serve.log" | head -1 | sed 's/listening on //')"
[ -n "$url" ] || { echo "intake.sh: vigil did not start:" >&2; cat "$dir/serve.log" >&2; exit 1; }
admin="$(cat "$dir/data/admin.token")"
VIGIL_TOKEN="$(curl -fsS -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"wrk","role":"intake","reason":"intake benchmark"}' "$url/api/v1/tokens" | sed -E 's/.*"secret":"([^"]+)".*/\1/')"
export VIGIL_TOKEN

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
wrk -t"$threads" -c"$connections" -d"$warmup" -s "$here/alerts.lua" "$url" > /dev/null
before="$(ticks)"
out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/alerts.lua" "$url")"
after="$(ticks)"
echo "$out"
python3 - "$out" "$before" "$after" "$hz" "$pid" <<'PY'
import re, sys
out, before, after, hz, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
seconds = float(re.search(r"requests in ([\d.]+)(m?s)", out).group(1)) * (0.001 if re.search(r"requests in [\d.]+ms", out) else 1)
cpu = (after - before) / hz
rss = next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")) / 1024
errors = "non-2xx or socket errors: see above" if re.search(r"Non-2xx|Socket errors", out) else "no errors"
print(f"vigil: {rate:,.0f} requests/s, {cpu / seconds:.2f} cores, {cpu / (rate * seconds) * 1000:.3f} CPU-s per 1,000 requests, RSS {rss:.0f} MiB, {errors}")
PY
