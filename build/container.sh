#!/usr/bin/env bash
# The OCI image of vigil as a tarball, built by the SDK's container support without Docker (docs/install.md).
#
#   build/container.sh                    # artifacts/vigil-<version>-linux-x64.image.tar.gz
#
# By default the base image is made here from Debian packages (apt-get download: glibc, libstdc++, tini,
# OpenSSL, ICU, CA certificates, tzdata) and served to the SDK from a registry on 127.0.0.1 for the
# length of the build, so no container registry needs to be reachable. With network access to
# mcr.microsoft.com, VIGIL_BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0 uses Microsoft's
# image instead (it has the same uid 1654 'app' user; /data is then not declared a volume by the base, and
# there is no tini: run the image with `docker run --init`).
#
# The SDK has no property for HEALTHCHECK and keeps only Volumes and StopSignal from a base image, so
# after it writes the tarball, base-image.py adds the Healthcheck (`/app/vigil healthcheck`, GET /healthz)
# to the image config and fixes the names that depend on its digest.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=$PWD/artifacts
mkdir -p "$out"
version=$(dotnet msbuild src/Vigil.Cli -getProperty:Version)
tarball="$out/vigil-$version-linux-x64.image.tar.gz"
work=$(mktemp -d)
registry_pid=
cleanup() {
    [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

base=${VIGIL_BASE_IMAGE:-}
extra=()
if [ -n "$base" ]; then
    # Another base has no tini: the entrypoint is /app/vigil itself; run it with `docker run --init`.
    extra+=(-p:VigilContainerTini=false)
else
    echo "==> base image from Debian packages"
    debs="$out/base-debs"
    mkdir -p "$debs"
    packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libicu72 ca-certificates tzdata tini)
    if ! (cd "$debs" && apt-get download "${packages[@]}" >/dev/null 2>"$work/apt.err"); then
        # A fresh machine may have no package lists yet.
        if [ "$(id -u)" -eq 0 ]; then apt-get update >/dev/null; else sudo apt-get update >/dev/null; fi
        (cd "$debs" && apt-get download "${packages[@]}" >/dev/null) || {
            echo "container.sh: apt-get download ${packages[*]} failed; see $work/apt.err" >&2; cat "$work/apt.err" >&2; exit 1; }
    fi
    rootfs="$work/rootfs"
    mkdir -p "$rootfs"
    # Newest download of each package only (the cache may hold older ones).
    for p in "${packages[@]}"; do
        deb=$(ls -t "$debs"/"${p}"_*.deb | head -n 1)
        dpkg-deb -x "$deb" "$rootfs"
    done
    # What the packages' maintainer scripts would have done, and a non-root user.
    mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/lib/ssl" "$rootfs/tmp" "$rootfs/data" "$rootfs/etc/vigil"
    find "$rootfs/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat > "$rootfs/etc/ssl/certs/ca-certificates.crt"
    ln -sfn /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
    ln -sfn /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"
    ln -sfn /usr/share/zoneinfo/Etc/UTC "$rootfs/etc/localtime"
    chmod 1777 "$rootfs/tmp"
    chmod 0750 "$rootfs/data"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nvigil:x:1654:1654:vigil:/data:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\nvigil:x:1654:\n' > "$rootfs/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
    rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/lintian" "$rootfs/usr/share/info"
    python3 build/container/base-image.py build "$rootfs" "$work/image"

    python3 build/container/base-image.py serve "$work/image" "$work/port" &
    registry_pid=$!
    for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    [ -s "$work/port" ] || { echo "container.sh: the loopback registry did not start" >&2; exit 1; }
    port=$(cat "$work/port")
    base="127.0.0.1:$port/vigil-base:bookworm"
    # The SDK talks plain HTTP only to registries listed here.
    export DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port"
    echo "    serving it as $base"
fi

echo "==> dotnet publish /t:PublishContainer (base $base)"
rm -f "$tarball"
dotnet publish src/Vigil.Cli -c Release -r linux-x64 --self-contained /t:PublishContainer \
    -p:ContainerBaseImage="$base" -p:ContainerArchiveOutputPath="$tarball" \
    -p:ContainerImageTag="$version" -p:GenerateDocumentationFile=false -p:DebugType=none ${extra[@]+"${extra[@]}"} \
    | grep -Ev '^\s*$' | tail -n 4
[ -s "$tarball" ] || { echo "container.sh: the SDK wrote no tarball at $tarball" >&2; exit 1; }

echo "==> HEALTHCHECK"
python3 build/container/base-image.py healthcheck "$tarball"
name=$(basename "$tarball")
(cd "$out" && { grep -sv " $name\$" SHA256SUMS || true; sha256sum "$name"; } > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
echo "    $tarball ($(du -h "$tarball" | cut -f1)), its sum in $out/SHA256SUMS"
