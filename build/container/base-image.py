#!/usr/bin/env python3
"""Vigil's container base image, made from Debian packages, served from a loopback registry.

The SDK's container support (dotnet publish /t:PublishContainer) pulls its base image from a
registry. Where mcr.microsoft.com is out of reach, this script stands in for it:

  base-image.py build ROOTFS OUT     layer ROOTFS (already unpacked from .debs by container.sh)
                                     into OUT/ as a Docker v2 image: one layer, a config that runs as
                                     the non-root user vigil (uid 1654) with /data a volume.
  base-image.py serve OUT PORTFILE   serve OUT/ as the repository vigil-base, tag bookworm, on
                                     127.0.0.1 (a free port, written to PORTFILE) until killed.
  base-image.py healthcheck TARBALL  add a HEALTHCHECK to the image config inside the SDK's tarball
                                     (the SDK keeps only Volumes and StopSignal from a base image and
                                     has no property for it), fixing the digests it names.

Only the Python standard library; loopback only; read-only registry (GET/HEAD).
"""
import gzip
import hashlib
import http.server
import io
import json
import os
import sys
import tarfile

REPO = "vigil-base"
TAG = "bookworm"
MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_TYPE = "application/vnd.docker.container.image.v1+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"
EPOCH = 1700000000  # fixed mtime: the same packages give the same layer digest
UID = 1654


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build(rootfs, out):
    os.makedirs(os.path.join(out, "blobs"), exist_ok=True)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                full = os.path.join(dirpath, name)
                arc = os.path.relpath(full, rootfs)
                info = tar.gettarinfo(full, arcname=arc)
                info.mtime = EPOCH
                info.uname = info.gname = ""
                # Everything belongs to root except the data folder, which the vigil user owns.
                owned = arc == "data" or arc.startswith("data/")
                info.uid = info.gid = UID if owned else 0
                if info.isreg():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    layer_tar = raw.getvalue()
    layer_gz = gzip.compress(layer_tar, compresslevel=6, mtime=0)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": str(UID),
            "Env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                "HOME=/data",
            ],
            "Volumes": {"/data": {}},
            "StopSignal": "SIGTERM",
        },
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer_tar)]},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "build/container/base-image.py: Debian bookworm packages"}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "size": len(config_bytes), "digest": sha256(config_bytes)},
        "layers": [{"mediaType": LAYER_TYPE, "size": len(layer_gz), "digest": sha256(layer_gz)}],
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, indent=2).encode()
    for data in (layer_gz, config_bytes):
        with open(os.path.join(out, "blobs", sha256(data).replace(":", "-")), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "manifest.json"), "wb") as f:
        f.write(manifest_bytes)
    print(f"base image: {sha256(manifest_bytes)}, layer {len(layer_gz) // 1024} KiB compressed")


def serve(out, portfile):
    with open(os.path.join(out, "manifest.json"), "rb") as f:
        manifest = f.read()
    digest = sha256(manifest)

    class Registry(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet: the build prints its own progress
            pass

        def answer(self, body, content_type, extra=None):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Docker-Distribution-API-Version", "registry/2.0")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def missing(self, why):
            body = json.dumps({"errors": [{"code": "NOT_FOUND", "message": why}]}).encode()
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path in ("/v2/", "/v2"):
                return self.answer(b"{}", "application/json")
            prefix = f"/v2/{REPO}/"
            if not path.startswith(prefix):
                return self.missing(f"only {REPO} is served here")
            kind, _, ref = path[len(prefix):].partition("/")
            if kind == "manifests" and ref in (TAG, digest):
                return self.answer(manifest, MANIFEST_TYPE, {"Docker-Content-Digest": digest})
            if kind == "blobs" and ref.startswith("sha256:") and all(c in "0123456789abcdef" for c in ref[7:]):
                blob = os.path.join(out, "blobs", ref.replace(":", "-"))
                if os.path.isfile(blob):
                    with open(blob, "rb") as f:
                        return self.answer(f.read(), "application/octet-stream", {"Docker-Content-Digest": ref})
            return self.missing(f"no {kind} {ref}")

        do_HEAD = do_GET

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(portfile + ".tmp", portfile)
    server.serve_forever()


def add_healthcheck(tarball):
    """Adds Healthcheck to the image config in a `docker save`-style tarball written by the SDK."""
    with tarfile.open(tarball, "r:*") as tar:
        members = [(m, tar.extractfile(m).read() if m.isreg() else None) for m in tar.getmembers()]
    files = {m.name: data for m, data in members}
    manifest = json.loads(files["manifest.json"])
    if len(manifest) != 1:
        sys.exit(f"healthcheck: expected one image in {tarball}, found {len(manifest)}")
    old_name = manifest[0]["Config"]
    config = json.loads(files[old_name])
    config["config"]["Healthcheck"] = {
        "Test": ["CMD", "/app/vigil", "healthcheck"],
        "Interval": 30_000_000_000,
        "Timeout": 5_000_000_000,
        "StartPeriod": 20_000_000_000,
        "Retries": 3,
    }
    new_bytes = json.dumps(config, separators=(",", ":")).encode()
    new_name = hashlib.sha256(new_bytes).hexdigest() + ".json"
    manifest[0]["Config"] = new_name
    replaced = {old_name: (new_name, new_bytes), "manifest.json": ("manifest.json", json.dumps(manifest).encode())}
    tmp = tarball + ".tmp"
    with tarfile.open(tmp, "w:gz" if tarball.endswith("gz") else "w") as out:
        for m, data in members:
            if m.name in replaced:
                m.name, data = replaced[m.name]
                m.size = len(data)
                m.pax_headers.pop("path", None)  # a PAX path would win over the new name
            out.addfile(m, io.BytesIO(data) if data is not None else None)
    os.replace(tmp, tarball)
    print(f"healthcheck: added to {new_name[:19]}… in {tarball}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "healthcheck":
        add_healthcheck(sys.argv[2])
    else:
        sys.exit(__doc__)
