#!/usr/bin/env bash
# Self-contained single-file binaries of vigil, with SHA-256 sums (docs/install.md).
#
#   build/publish.sh                      # linux-x64 and linux-arm64
#   build/publish.sh linux-x64            # only the runtimes named
#
# Writes artifacts/vigil-<version>-<rid> (one executable each; no .NET needed on the target) and
# artifacts/SHA256SUMS (sha256sum format: verify with `sha256sum -c --ignore-missing SHA256SUMS`).
# The runtime packs (and crossgen2, for ReadyToRun) come from NuGet like any package. The CLI's own
# assemblies are precompiled (ReadyToRun, not composite: see src/Vigil.Cli/Vigil.Cli.csproj), which halves
# the start-up of a short command such as `vigil --version` (docs/performance.md). Set VIGIL_PUBLISH_ARGS to
# pass more MSBuild properties, e.g. VIGIL_PUBLISH_ARGS=-p:PublishReadyToRun=false to publish without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
out=artifacts
mkdir -p "$out"
version=$(dotnet msbuild src/Vigil.Cli -getProperty:Version)

for rid in "${rids[@]}"; do
    case "$rid" in
        linux-x64|linux-arm64) ;;
        *) echo "publish.sh: unsupported runtime '$rid' (supported: linux-x64, linux-arm64)" >&2; exit 2 ;;
    esac
    echo "==> publish vigil $version for $rid (self-contained, single file)"
    dir="$out/publish/$rid"
    rm -rf "$dir"
    # shellcheck disable=SC2086
    dotnet publish src/Vigil.Cli -c Release -r "$rid" --self-contained \
        -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
        -p:DebugType=none -p:GenerateDocumentationFile=false -p:PublishReadyToRun=true \
        -o "$dir" ${VIGIL_PUBLISH_ARGS:-} | grep -Ev '^\s*$' | tail -n 3
    cp "$dir/vigil" "$out/vigil-$version-$rid"
    chmod 0755 "$out/vigil-$version-$rid"
    echo "    $out/vigil-$version-$rid ($(du -h "$out/vigil-$version-$rid" | cut -f1))"
done

# One sums file for every binary in artifacts/ (earlier runs' other runtimes included), and the
# container tarball's line that build/container.sh keeps there.
(
    cd "$out"
    shopt -s nullglob
    binaries=(vigil-*-linux-x64 vigil-*-linux-arm64)
    sha256sum "${binaries[@]}" > SHA256SUMS.binaries
    { cat SHA256SUMS.binaries; grep -s '\.image\.tar\.gz$' SHA256SUMS || true; } > SHA256SUMS.new
    mv SHA256SUMS.new SHA256SUMS
    # Check what was written here (the image's line is build/container.sh's).
    sha256sum -c --quiet SHA256SUMS.binaries
    rm SHA256SUMS.binaries
)
echo "==> $out/SHA256SUMS"
cat "$out/SHA256SUMS"
