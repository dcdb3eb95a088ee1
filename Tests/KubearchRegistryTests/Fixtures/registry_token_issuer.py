#!/usr/bin/env python3
"""A small Docker registry token server (bearer token auth) for tests.

Usage: registry_token_issuer.py --port-file FILE --cert-out PEM --service S --issuer I
                                --user U --password P [--anonymous-pull] [--repositories a,b]
                                [--expires-in SECONDS]

It makes an RSA key and a self-signed certificate at start and writes the certificate to --cert-out;
the registry trusts it through `auth.token.rootcertbundle`. Tokens are RS256 JWTs whose header
carries the certificate in `x5c`, with the claims the registry checks: iss, sub, aud, exp, nbf,
iat, jti and access.

Routes:
  GET  /token?service=S&scope=...&scope=...   docker token flow, Basic credentials optional
  POST /token                                 OAuth2 form (grant_type=password)
  GET  /count[?scope=SCOPE]                   {"count": n}: token requests served, or only those
                                              that asked for exactly SCOPE
  GET  /requests                              JSON list of every token request
Grants: right credentials get every requested repository action; anonymous callers get `pull`
only with --anonymous-pull, else an empty grant (as Docker Hub does for private repositories);
wrong credentials get 401. --repositories limits grants to those repository names.
"""
import argparse
import base64
import datetime
import json
import os
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

LOG = []
LOG_LOCK = threading.Lock()
ARGS = None
KEY = None
CERT_DER = None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_key_and_certificate(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubearch test token issuer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    with open(path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert.public_bytes(serialization.Encoding.DER)


def parse_scopes(values):
    """Each value holds space-separated scopes `type:name:actions`; the name may contain ':'
    (a registry host with a port), so type ends at the first colon and actions start after the last."""
    scopes = []
    for value in values:
        for item in value.split():
            first = item.find(":")
            last = item.rfind(":")
            if first <= 0 or last == first:
                continue
            scopes.append((item[:first], item[first + 1:last], [a for a in item[last + 1:].split(",") if a]))
    return scopes


def grant(scopes, authenticated):
    allowed_repositories = ARGS.repositories.split(",") if ARGS.repositories else None
    access = []
    for kind, name, actions in scopes:
        if kind != "repository":
            continue
        if allowed_repositories is not None and name not in allowed_repositories:
            continue
        if authenticated:
            granted = [a for a in actions if a in ("pull", "push", "delete", "*")]
        elif ARGS.anonymous_pull:
            granted = [a for a in actions if a == "pull"]
        else:
            granted = []
        if granted:
            access.append({"type": kind, "name": name, "actions": granted})
    return access


def make_token(subject, access):
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(CERT_DER).decode()]}
    claims = {
        "iss": ARGS.issuer,
        "sub": subject,
        "aud": ARGS.service,
        "exp": now + ARGS.expires_in,
        "nbf": now - 10,
        "iat": now,
        "jti": secrets.token_hex(16),
        "access": access,
    }
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = KEY.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes headers and body separately; without this each answer waits 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def do_GET(self):
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        if split.path == "/count":
            with LOG_LOCK:
                wanted = query.get("scope", [None])[0]
                count = sum(1 for entry in LOG if wanted is None or wanted in entry["scopes"])
            return self.answer_json(200, {"count": count})
        if split.path == "/requests":
            with LOG_LOCK:
                return self.answer_json(200, list(LOG))
        if split.path != "/token":
            return self.answer_json(404, {"errors": [{"code": "NOT_FOUND"}]})
        credentials = None
        authorization = self.headers.get("Authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode()
                user, _, password = decoded.partition(":")
                credentials = (user, password)
            except Exception:
                credentials = ("", "")
        self.issue("GET", query.get("service", [None])[0], query.get("scope", []), credentials)

    def do_POST(self):
        split = urlsplit(self.path)
        if split.path != "/token":
            return self.answer_json(404, {"errors": [{"code": "NOT_FOUND"}]})
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode()) if length else {}
        if form.get("grant_type", [""])[0] != "password":
            return self.answer_json(400, {"error": "unsupported_grant_type"})
        credentials = (form.get("username", [""])[0], form.get("password", [""])[0])
        self.issue("POST", form.get("service", [None])[0], form.get("scope", []), credentials)

    def issue(self, method, service, scope_values, credentials):
        requested = [s for value in scope_values for s in value.split()]
        authenticated = credentials is not None and credentials == (ARGS.user, ARGS.password)
        entry = {
            "method": method,
            "account": credentials[0] if credentials else None,
            "authenticated": authenticated,
            "scopes": requested,
            "service": service,
        }
        if service is not None and service != ARGS.service:
            entry["outcome"] = "wrong service"
            self.record(entry)
            return self.answer_json(400, {"errors": [{"code": "DENIED", "message": "unknown service"}]})
        if credentials is not None and not authenticated:
            entry["outcome"] = "bad credentials"
            self.record(entry)
            return self.answer_json(
                401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]},
                extra=[("WWW-Authenticate", 'Basic realm="kubearch test token issuer"')],
            )
        access = grant(parse_scopes(scope_values), authenticated)
        entry["outcome"] = "granted"
        entry["granted"] = access
        self.record(entry)
        token = make_token(credentials[0] if authenticated else "", access)
        issued = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.answer_json(200, {"token": token, "access_token": token, "expires_in": ARGS.expires_in, "issued_at": issued})

    def record(self, entry):
        with LOG_LOCK:
            LOG.append(entry)

    def answer_json(self, status, payload, extra=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def main():
    global ARGS, KEY, CERT_DER
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--cert-out", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--anonymous-pull", action="store_true")
    parser.add_argument("--repositories")
    parser.add_argument("--expires-in", type=int, default=300)
    ARGS = parser.parse_args()
    KEY, CERT_DER = make_key_and_certificate(ARGS.cert_out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    temporary = ARGS.port_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(str(server.server_address[1]))
    os.replace(temporary, ARGS.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
