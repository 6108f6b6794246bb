#!/usr/bin/env python3
"""A provider registry and network mirror on loopback HTTPS, serving dist/.

Test support: what `terraform init` talks to when a configuration names
`localhost:PORT/seedworks/firehose`, with no Rust toolchain involved.

    .venv/bin/python tools/registry.py --dist DIR --state DIR --port-file FILE

It makes a throwaway CA and a certificate for localhost / 127.0.0.1 in
--state (ca.pem: pass it to Terraform as SSL_CERT_FILE), then serves, from
the artifact set scripts/release wrote to --dist:

  /.well-known/terraform.json                 service discovery (providers.v1)
  /v1/providers/seedworks/firehose/versions   the provider registry protocol
  /v1/providers/seedworks/firehose/V/download/OS/ARCH
                                              the archive, shasums_url,
                                              shasums_signature_url, signing key
  /mirror/HOST/seedworks/firehose/index.json  the provider network mirror
  /mirror/HOST/seedworks/firehose/V.json      protocol, with h1: hashes
  /files/NAME                                 the files of --dist
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import io
import ipaddress
import json
import os
import re
import ssl
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAMESPACE, TYPE = "seedworks", "firehose"


def make_certificates(state: str) -> tuple[str, str]:
    """A CA and a localhost certificate it signed; returns (cert+key file, CA file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "terraform-provider-firehose test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    os.makedirs(state, exist_ok=True)
    ca_path, server_path = os.path.join(state, "ca.pem"), os.path.join(state, "server.pem")
    with open(ca_path, "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(server_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return server_path, ca_path


def h1(zip_bytes: bytes) -> str:
    """Terraform's h1: hash of a provider package: SHA-256 over the sorted
    lines "<sha256 hex>  <name>" of the files the archive holds."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        for name in sorted(z.namelist()):
            lines.append(f"{hashlib.sha256(z.read(name)).hexdigest()}  {name}\n")
    return "h1:" + base64.b64encode(hashlib.sha256("".join(lines).encode()).digest()).decode()


class Release:
    """What --dist holds: one version, its archives by platform, the key."""

    def __init__(self, dist: str) -> None:
        self.dist = dist
        sums = next(n for n in os.listdir(dist) if n.endswith("_SHA256SUMS"))
        self.version = re.fullmatch(r"terraform-provider-firehose_(.+)_SHA256SUMS", sums).group(1)
        self.sums = sums
        self.archives: dict[str, tuple[str, str]] = {}  # "os_arch" -> (file, sha256 from SHA256SUMS)
        for line in open(os.path.join(dist, sums)):
            digest, name = line.split()
            m = re.fullmatch(rf"terraform-provider-firehose_{re.escape(self.version)}_(\w+)_(\w+)\.zip", name)
            if m:
                self.archives[f"{m.group(1)}_{m.group(2)}"] = (name, digest)
        self.key_id = json.load(open(os.path.join(dist, "signing-key.json")))["key_id"]
        self.armor = open(os.path.join(dist, "signing-key.asc")).read()


def handler(release: Release):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
            pass

        def base(self) -> str:
            return f"https://{self.headers.get('Host')}"

        def send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def json(self, doc: dict) -> None:
            self.send(200, json.dumps(doc).encode())

        def do_GET(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler's naming
            path = self.path.split("?")[0]
            r = release
            provider = f"/v1/providers/{NAMESPACE}/{TYPE}"
            if path == "/.well-known/terraform.json":
                return self.json({"providers.v1": "/v1/providers/"})
            if path == f"{provider}/versions":
                platforms = [dict(zip(("os", "arch"), p.split("_"))) for p in sorted(r.archives)]
                return self.json({"versions": [{"version": r.version, "protocols": ["6.0"], "platforms": platforms}]})
            m = re.fullmatch(rf"{provider}/([^/]+)/download/(\w+)/(\w+)", path)
            if m and m.group(1) == r.version and f"{m.group(2)}_{m.group(3)}" in r.archives:
                name, digest = r.archives[f"{m.group(2)}_{m.group(3)}"]
                return self.json({
                    "protocols": ["6.0"], "os": m.group(2), "arch": m.group(3), "filename": name,
                    "download_url": f"{self.base()}/files/{name}", "shasum": digest,
                    "shasums_url": f"{self.base()}/files/{r.sums}",
                    "shasums_signature_url": f"{self.base()}/files/{r.sums}.sig",
                    "signing_keys": {"gpg_public_keys": [{"key_id": r.key_id, "ascii_armor": r.armor}]},
                })
            m = re.fullmatch(rf"/mirror/[^/]+/{NAMESPACE}/{TYPE}/(index|[^/]+)\.json", path)
            if m and m.group(1) == "index":
                return self.json({"versions": {r.version: {}}})
            if m and m.group(1) == r.version:
                archives = {}
                for platform, (name, _) in r.archives.items():
                    data = open(os.path.join(r.dist, name), "rb").read()
                    archives[platform] = {"url": f"{self.base()}/files/{name}", "hashes": [h1(data)]}
                return self.json({"archives": archives})
            m = re.fullmatch(r"/files/([\w.\-]+)", path)
            if m and os.path.isfile(os.path.join(r.dist, m.group(1))):
                return self.send(200, open(os.path.join(r.dist, m.group(1)), "rb").read(), "application/octet-stream")
            self.send(404, b'{"errors":["not found"]}')

    return Handler


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    args = ap.parse_args()
    server_pem, _ = make_certificates(args.state)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler(Release(args.dist)))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server_pem)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(httpd.server_address[1]))
        os.replace(tmp, args.port_file)
    httpd.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
