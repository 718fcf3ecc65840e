#!/usr/bin/env bash
# Start-up time of a vigil executable: runs `BINARY --version` N times (default 20) after 3 warm-up runs
# and prints the median and the spread in milliseconds (docs/performance.md).
#
#   build/startup.sh artifacts/vigil-0.1.0-linux-x64 [N]
set -euo pipefail
bin=${1:?usage: build/startup.sh BINARY [RUNS]}
runs=${2:-20}
[ -x "$bin" ] || { echo "startup.sh: $bin is not an executable" >&2; exit 2; }
for _ in 1 2 3; do "$bin" --version >/dev/null; done
times=()
for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N)
    "$bin" --version >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
median=$(( n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2 ))
echo "$bin --version: median ${median} ms over $n runs (min ${sorted[0]}, max ${sorted[n - 1]})"
