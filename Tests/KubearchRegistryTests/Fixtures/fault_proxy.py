#!/usr/bin/env python3
"""A loopback HTTP(S) proxy in front of a real registry that injects faults per repository.

Usage: fault_proxy.py --port-file FILE --upstream http://127.0.0.1:PORT [--tls-cert PEM --tls-key PEM]

Requests under /v2/<repository>/(manifests|blobs)/<reference> are forwarded to the upstream registry
(headers and body as received, Host rewritten) unless a fault is set for that repository. Faults are
keyed by repository name so tests sharing one proxy never see each other's faults.

Control routes (never recorded):
  POST /_faults           JSON {"repository": R, "fault": F}: set (or with "fault": null clear) R's fault
  GET  /_log?repository=R JSON list of R's recorded requests, oldest first
Storage route: /_storage/v2/... is forwarded to the upstream with the fault's "storageAuthorization"
(if any) instead of the client's headers: it plays the storage backend a registry redirects blobs to.

A fault F: {"kind": K, "target": "manifests"|"blobs"|"any" (default manifests), "times": N or null
(how many matching requests it hits; null = all), ...}. Kinds:
  delay         sleep "seconds" before answering (then forward)
  stall         send the headers and half the upstream body, then sleep "seconds" and close
  reset         send the headers and half the upstream body, then reset the connection (RST)
  status        answer "status" with a registry error body; "retryAfter" adds a Retry-After header
  flipByte      forward, but flip one bit in the middle of the body (Docker-Content-Digest kept)
  huge          answer 200 with a "bytes"-long manifest-looking body, streamed; "chunked": true
                sends no Content-Length
  invalidJSON   answer a truncated JSON body whose Docker-Content-Digest matches it
  redirectLoop  answer 302 with Location: the same path, forever
  redirect      answer 307 with Location: "to" + "/_storage" + the path ("to" is scheme://host:port)
Each record: {"method", "path", "host", "authorization" (value or null), "fault" (kind or null),
"status", "bytesSent", "complete", "time" (monotonic seconds)}.
"""
import argparse
import hashlib
import http.client
import json
import os
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FAULTS = {}
LOG = []
LOCK = threading.Lock()
UPSTREAM = None
HOP_BY_HOP = {"connection", "keep-alive", "server", "date", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
              "content-length", "host"}


def repository_and_kind(path):
    """(repository, "manifests"|"blobs") of a /v2/ path, else (None, None)."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if len(parts) < 4 or parts[0] != "v2":
        return None, None
    for index in range(len(parts) - 2, 0, -1):
        if parts[index] in ("manifests", "blobs"):
            return "/".join(parts[1:index]), parts[index]
    return None, None


def take_fault(repository, kind):
    """The fault to apply to this request, consuming one of its `times`."""
    with LOCK:
        fault = FAULTS.get(repository)
        if not fault:
            return None
        target = fault.get("target", "manifests")
        if target != "any" and target != kind:
            return None
        times = fault.get("times")
        if times is not None:
            if times <= 0:
                return None
            fault["times"] = times - 1
        return dict(fault)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes headers and body separately; without this each answer waits 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        if split.path == "/_faults":
            request = json.loads(body or b"{}")
            with LOCK:
                if request.get("fault") is None:
                    FAULTS.pop(request["repository"], None)
                else:
                    FAULTS[request["repository"]] = request["fault"]
            return self.send_simple(200, b"{}", "application/json")
        if split.path == "/_log":
            wanted = parse_qs(split.query).get("repository", [None])[0]
            with LOCK:
                records = [dict(r) for r in LOG if wanted is None or r["repository"] == wanted]
            return self.send_simple(200, json.dumps(records).encode(), "application/json")

        storage = split.path.startswith("/_storage/")
        upstream_path = self.path[len("/_storage"):] if storage else self.path
        repository, kind = repository_and_kind(upstream_path)
        record = {
            "method": self.command, "path": self.path, "host": self.headers.get("Host", ""),
            "repository": repository, "authorization": self.headers.get("Authorization"),
            "fault": None, "status": None, "bytesSent": 0, "complete": False, "time": time.monotonic(),
        }
        with LOCK:
            LOG.append(record)
        try:
            if storage:
                with LOCK:
                    stored = FAULTS.get(repository) or {}
                extra = stored.get("storageAuthorization")
                headers = [("Authorization", extra)] if extra else []
                self.forward(upstream_path, b"", headers, record)
            else:
                fault = take_fault(repository, kind) if repository else None
                record["fault"] = fault and fault["kind"]
                self.apply(fault, body, record)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
        finally:
            with LOCK:
                record["complete"] = True

    # MARK: faults

    def apply(self, fault, body, record):
        client_headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        if fault is None:
            return self.forward(self.path, body, client_headers, record)
        kind = fault["kind"]
        if kind == "delay":
            time.sleep(float(fault.get("seconds", 5)))
            return self.forward(self.path, body, client_headers, record)
        if kind == "status":
            status = int(fault["status"])
            payload = json.dumps({"errors": [{"code": "UNAVAILABLE", "message": "injected %d" % status}]}).encode()
            extra = [("Retry-After", str(fault["retryAfter"]))] if fault.get("retryAfter") is not None else []
            return self.send_simple(status, payload, "application/json", extra, record)
        if kind == "redirectLoop":
            return self.send_simple(302, b"", "text/plain", [("Location", urlsplit(self.path).path)], record)
        if kind == "redirect":
            return self.send_simple(307, b"", "text/plain", [("Location", fault["to"] + "/_storage" + self.path)], record)
        if kind == "huge":
            return self.send_huge(int(fault["bytes"]), bool(fault.get("chunked")), record)

        status, headers, upstream_body = self.fetch(self.path, body, client_headers)
        if status != 200:
            return self.send_simple(status, upstream_body, None, headers, record)
        if kind == "flipByte":
            changed = bytearray(upstream_body)
            changed[len(changed) // 2] ^= 0x01
            return self.send_simple(200, bytes(changed), None, headers, record)
        if kind == "invalidJSON":
            broken = upstream_body[: len(upstream_body) // 2]
            digest = "sha256:" + hashlib.sha256(broken).hexdigest()
            headers = [(k, v) for k, v in headers if k.lower() != "docker-content-digest"]
            headers.append(("Docker-Content-Digest", digest))
            return self.send_simple(200, broken, None, headers, record)
        if kind in ("stall", "reset"):
            self.send_response(200)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(upstream_body)))
            self.end_headers()
            record["status"] = 200
            half = upstream_body[: len(upstream_body) // 2]
            self.wfile.write(half)
            record["bytesSent"] = len(half)
            if kind == "stall":
                time.sleep(float(fault.get("seconds", 5)))
            else:
                # Linger 0: close() sends RST instead of FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.rfile.close()
            self.connection.close()
            return
        raise ValueError("unknown fault kind %s" % kind)

    # MARK: plumbing

    def fetch(self, path, body, headers):
        connection = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        try:
            connection.request(self.command, path, body=body or None, headers=dict(headers))
            response = connection.getresponse()
            payload = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            return response.status, kept, payload
        finally:
            connection.close()

    def forward(self, path, body, headers, record):
        status, kept, payload = self.fetch(path, body, headers)
        self.send_simple(status, payload, None, kept, record)

    def send_simple(self, status, payload, content_type, extra=(), record=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if record is not None:
            record["status"] = status
        if self.command != "HEAD":
            self.wfile.write(payload)
            if record is not None:
                record["bytesSent"] = len(payload)

    def send_huge(self, size, chunked, record):
        """A manifest-looking body of `size` bytes: a JSON prefix, then spaces, streamed in 64 KiB writes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        record["status"] = 200
        prefix = b'{"schemaVersion": 2, "annotations": {"padding": "'
        block = b" " * 65536
        sent = 0
        while sent < size:
            piece = prefix if sent == 0 else block[: min(len(block), size - sent)]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
            with LOCK:
                record["bytesSent"] = sent
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    UPSTREAM = urlsplit(args.upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(str(server.server_address[1]))
    os.replace(temporary, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
