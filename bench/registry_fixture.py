#!/usr/bin/env python3
"""Fills a loopback docker-registry with distinct images and writes one workload manifest per image,
for benchmarking `kubearch lock` against a `skopeo inspect` loop.

Usage: registry_fixture.py --registry 127.0.0.1:PORT --images 500 --out DIR [--seed S] [--threads T]

Image NNN is `127.0.0.1:PORT/bench/img-NNN:v1`. Even NNN: an OCI index over two single-platform OCI
manifests (linux/amd64, linux/arm64/v8), each with its own config and layer blob. Odd NNN: one
single-platform OCI manifest (amd64 or arm64, alternating) with its config. The registry must be
open (no auth); uploads go over plain HTTP with keep-alive connections and User-Agent
`kubearch-bench-pusher`, so they can be told apart in the registry's access log.

Writes:
  DIR/manifests/img-NNN.yaml  one workload (same generator as generate.py) using only that image
  DIR/images.tsv              `reference<TAB>index|single` per line, for the skopeo loop
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import KINDS, workload  # noqa: E402  (same realistic manifests as the big tree)

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
USER_AGENT = "kubearch-bench-pusher"


class Pusher:
    """One keep-alive HTTP connection per thread."""

    def __init__(self, host):
        self.host = host
        self.local = threading.local()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["User-Agent"] = USER_AGENT
        for attempt in range(2):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection(self.host, timeout=60)
                self.local.connection = connection
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                return response.status, response.getheader("Location"), data
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt == 1:
                    raise

    def blob(self, repository, data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        status, location, body = self.request("POST", f"/v2/{repository}/blobs/uploads/")
        if status != 202 or not location:
            raise RuntimeError(f"blob upload start for {repository}: HTTP {status} {body[:200]!r}")
        split = urlsplit(location)
        path = split.path + "?" + (split.query + "&" if split.query else "") + "digest=" + digest
        status, _, body = self.request("PUT", path, body=data, headers={"Content-Type": "application/octet-stream"})
        if status != 201:
            raise RuntimeError(f"blob upload for {repository}: HTTP {status} {body[:200]!r}")
        return digest

    def manifest(self, repository, reference, data, media_type):
        status, _, body = self.request("PUT", f"/v2/{repository}/manifests/{reference}", body=data,
                                       headers={"Content-Type": media_type})
        if status != 201:
            raise RuntimeError(f"manifest for {repository}:{reference}: HTTP {status} {body[:200]!r}")
        return "sha256:" + hashlib.sha256(data).hexdigest()

    def image(self, repository, platform, reference=None):
        """Pushes a single-platform image; returns (digest, bytes) of its manifest."""
        os_name, architecture, *variant = platform.split("/")
        layer = f"layer of {repository} for {platform}\n".encode() * 8
        layer_digest = self.blob(repository, layer)
        config = {"architecture": architecture, "os": os_name, "config": {},
                  "rootfs": {"type": "layers", "diff_ids": [layer_digest]}}
        if variant:
            config["variant"] = variant[0]
        config_data = json.dumps(config, sort_keys=True).encode()
        config_digest = self.blob(repository, config_data)
        manifest = {
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config_data)},
            "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": len(layer)}],
        }
        data = json.dumps(manifest, sort_keys=True).encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.manifest(repository, reference or digest, data, OCI_MANIFEST)
        return digest, data

    def index(self, repository, platforms, tag):
        entries = []
        for platform in platforms:
            digest, data = self.image(repository, platform)
            os_name, architecture, *variant = platform.split("/")
            description = {"architecture": architecture, "os": os_name}
            if variant:
                description["variant"] = variant[0]
            entries.append({"mediaType": OCI_MANIFEST, "digest": digest, "size": len(data), "platform": description})
        data = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}, sort_keys=True).encode()
        self.manifest(repository, tag, data, OCI_INDEX)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", required=True, help="host:port of an open registry")
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    pusher = Pusher(args.registry)

    def push(number):
        repository = f"bench/img-{number:03d}"
        if number % 2 == 0:
            pusher.index(repository, ["linux/amd64", "linux/arm64/v8"], "v1")
            return "index"
        pusher.image(repository, "linux/amd64" if number % 4 == 1 else "linux/arm64/v8", "v1")
        return "single"

    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        kinds = list(pool.map(push, range(args.images)))

    rng = random.Random(args.seed)
    folder = os.path.join(args.out, "manifests")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(args.out, "images.tsv"), "w") as listing:
        for number, kind in enumerate(kinds):
            reference = f"{args.registry}/bench/img-{number:03d}:v1"
            listing.write(f"{reference}\t{kind}\n")
            text = "\n".join(workload(rng.choice(KINDS), f"img-{number:03d}", rng, [reference])) + "\n"
            with open(os.path.join(folder, f"img-{number:03d}.yaml"), "w") as handle:
                handle.write(text)
    print(f"pushed {len(kinds)} images ({kinds.count('index')} indexes, {kinds.count('single')} single-platform) to {args.registry}")


if __name__ == "__main__":
    main()
