#!/usr/bin/env python3
"""A loopback HTTP(S) server for transport tests that records every request it gets.

Usage: recording_server.py --port-file FILE [--tls-cert PEM --tls-key PEM]

Routes (all methods):
  /_requests            JSON list of recorded requests (this route itself is not recorded)
  /redirect?to=URL[&status=302]
                        answers `status` with `Location: URL`
  /hops/N               redirects (302, relative Location) to /hops/N-1; /hops/0 answers 200
  /status/CODE          answers CODE with a short body
  /bytes/N              answers 200 with N bytes and a Content-Length
  /chunked-bytes/N      answers 200 with N bytes, chunked (no Content-Length)
  anything else         answers 200 "ok"
A proxy-style request (absolute URL in the request line) is recorded with its full target as path.
Each record: {"method", "path", "host", "headers": [[name, value], ...], "body" (as latin-1),
"clientPort" (the client's TCP port: equal ports mean a reused connection)}.
"""
import argparse
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RECORDS = []
RECORDS_LOCK = threading.Lock()


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
        if split.path == "/_requests":
            with RECORDS_LOCK:
                payload = json.dumps(RECORDS).encode()
            return self.answer(200, payload, "application/json")
        with RECORDS_LOCK:
            RECORDS.append({
                "method": self.command,
                "path": self.path,
                "host": self.headers.get("Host", ""),
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("latin-1"),
                "clientPort": self.client_address[1],
            })
        query = parse_qs(split.query)
        parts = [p for p in split.path.split("/") if p]
        if parts[:1] == ["redirect"] and "to" in query:
            status = int(query.get("status", ["302"])[0])
            return self.answer(status, b"", extra=[("Location", query["to"][0])])
        if len(parts) == 2 and parts[0] == "hops" and parts[1].isdigit():
            remaining = int(parts[1])
            if remaining == 0:
                return self.answer(200, b"arrived")
            return self.answer(302, b"", extra=[("Location", "../hops/%d" % (remaining - 1))])
        if len(parts) == 2 and parts[0] == "status" and parts[1].isdigit():
            return self.answer(int(parts[1]), b"status %s" % parts[1].encode())
        if len(parts) == 2 and parts[0] == "bytes" and parts[1].isdigit():
            return self.answer(200, b"x" * int(parts[1]))
        if len(parts) == 2 and parts[0] == "chunked-bytes" and parts[1].isdigit():
            return self.answer_chunked(b"y" * int(parts[1]))
        return self.answer(200, b"ok")

    def answer(self, status, body, content_type="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def answer_chunked(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        for start in range(0, len(body), 4096):
            chunk = body[start:start + 4096]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
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
