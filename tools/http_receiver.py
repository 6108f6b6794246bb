#!/usr/bin/env python3
"""A local HTTPS endpoint that records every request it receives.

Test support: the destination of a Firehose HTTP endpoint delivery stream
(moto POSTs the records of PutRecord/PutRecordBatch to its URL).

    .venv/bin/python tools/http_receiver.py CERT_PEM REQUESTS_JSONL

At start it makes a throwaway certificate authority and a server
certificate it signs for 127.0.0.1 and localhost (with the `cryptography`
package, a moto dependency), writes the authority's certificate, PEM, to
CERT_PEM (point REQUESTS_CA_BUNDLE, or any client's trust store, at it),
listens on a free port of 127.0.0.1 and prints one line ``READY <port>``.

Every request, whatever its method and path, is appended to REQUESTS_JSONL
as one JSON line ``{"method", "path", "headers": {name: value}, "body"}``
(the body parsed as JSON when it is JSON, else as text) before it is
answered 200 with ``{"requestId": <the body's requestId or "">,
"timestamp": <milliseconds>}``, as Firehose HTTP endpoints answer.

It exits when its standard input reaches end of file (the process that
started it closed the pipe or died) or on SIGTERM/SIGINT.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import signal
import ssl
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def make_certificates() -> tuple[bytes, bytes, bytes]:
    """(CA certificate PEM, server certificate PEM, server key PEM)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    not_before = now - datetime.timedelta(days=1)
    not_after = now + datetime.timedelta(days=30)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "http_receiver test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca_cert.public_bytes(pem), cert.public_bytes(pem), key_pem


def write_atomically(path: str, data: bytes) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".http_receiver.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "http_receiver"
    log_path: str = ""
    log_lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else ""
        except ValueError:
            body = text
        entry = {
            "method": self.command,
            "path": self.path,
            "headers": {k: v for k, v in self.headers.items()},
            "body": body,
        }
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode("utf-8")
        with self.log_lock:
            with open(self.log_path, "ab") as f:
                f.write(line)
                f.flush()

        request_id = ""
        if isinstance(body, dict) and isinstance(body.get("requestId"), str):
            request_id = body["requestId"]
        else:
            request_id = self.headers.get("X-Amz-Firehose-Request-Id", "")
        reply = json.dumps({"requestId": request_id, "timestamp": int(time.time() * 1000)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


class TlsServer(ThreadingHTTPServer):
    def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        request.settimeout(30)
        try:
            request.do_handshake()
        except (OSError, ValueError):
            return
        super().finish_request(request, client_address)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: http_receiver.py CERT_PEM REQUESTS_JSONL")
    cert_out, log_path = sys.argv[1], sys.argv[2]

    ca_pem, cert_pem, key_pem = make_certificates()
    # The server's own chain and key live in a private directory removed
    # once loaded; only the CA certificate is handed out.
    with tempfile.TemporaryDirectory(prefix="http_receiver.") as tmp:
        chain = os.path.join(tmp, "chain.pem")
        key = os.path.join(tmp, "key.pem")
        with open(chain, "wb") as f:
            f.write(cert_pem + ca_pem)
        with open(key, "wb") as f:
            f.write(key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(chain, key)
    write_atomically(cert_out, ca_pem)
    open(log_path, "ab").close()

    Handler.log_path = log_path
    server = TlsServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # The handshake runs in the request's thread (TlsServer.finish_request),
    # so a client that never completes one cannot hold up the others.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_stdin() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop()

    threading.Thread(target=watch_stdin, daemon=True).start()

    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
