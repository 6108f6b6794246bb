#!/usr/bin/env python3
"""Fault-injecting HTTP proxy between the provider's AWS SDK and moto.

Test support, Python 3.11 standard library only.

    .venv/bin/python tools/aws_proxy.py --upstream http://127.0.0.1:MOTO_PORT \
        --port 0 --port-file /path/to/port

Every request is forwarded verbatim (method, path, query, headers including
Host, body), so SigV4 signatures stay valid, and the upstream response is
returned unchanged unless a fault or a simulated state applies.

Each call is identified as ``service:Action``:
  * service from the SigV4 credential scope (``.../<region>/<service>/aws4_request``);
  * action from ``X-Amz-Target`` (JSON protocols: firehose, logs, kms), from
    ``Action=`` in the form body (query protocols: iam, sts), or for s3 the
    HTTP method, ``Object`` for object-level paths and the first
    sub-resource query key: ``s3:PUT`` (CreateBucket), ``s3:GET?tagging``,
    ``s3:PUT?tagging``, ``s3:GET?list-type``, ``s3:PUTObject``, ``s3:DELETE``.

Control endpoints (never forwarded):
  GET  /__proxy/stats   {"total", "by_action", "faults": {...}, ...}
  GET  /__proxy/timeline  every call since the last reset, in the order
       answered: [start s, end s, "service:Action", subject or null, HTTP
       status, error code or null] (seconds since the reset; the subject is
       the delivery stream, IAM role or log group the call names)
  POST /__proxy/reset   zero the statistics and forget simulated state
  PUT  /__proxy/config  JSON, every key optional (merged into the config):
       seed, throttle_rate, server_error_rate, drop_rate, drop_phase
       ("before" | "after" | "either": close the connection before
       forwarding, or after forwarding so the upstream acted but the answer
       is lost), latency_ms, only_services (list; faults and latency apply
       only to these), only_actions (list of "service:Action", likewise),
       creating_describes, creating_outcome ("ACTIVE" |
       "CREATING_FAILED"), creating_failure_type, deleting_describes,
       deleting_outcome ("GONE" | "DELETING_FAILED"),
       sse_transition_describes, iam_propagation_seconds (for that long
       after CreateRole, PutRolePolicy or UpdateAssumeRolePolicy, a
       CreateDeliveryStream or UpdateDestination naming that role fails with
       "Firehose is unable to assume role"), creating_seconds and
       deleting_seconds (CREATING / DELETING by the clock: ResourceInUse
       meanwhile, a delete while CREATING included), create_rate_per_second
       (CreateDeliveryStream beyond it fails with LimitExceededException),
       real_aws (true: the values of REAL_AWS below at once), kill_at_call
       (K: the K-th call after this config was set), kill_pattern,
       kill_scope ("all": every process whose cmdline contains the pattern;
       "caller": only such a process that owns the connection of that call),
       errors ({"service:Action": ["Code", "message"]}: answer that call
       with that service error, e.g. ExpiredToken, without forwarding it),
       validate_models (default true: every request is checked against
       botocore's API model, tools/api_models.py: awsJson and query requests
       by their action, rest-xml (S3) and rest-json (Lambda) ones by the
       operation their method, path and query string match; one that AWS
       would refuse, or that matches no operation, is answered with a
       validation error and listed under "violations" in the stats),
       aws_shapes (true: DescribeDeliveryStream, the IAM policy reads,
       DescribeLogGroups and DescribeKey answer as AWS does, with its
       server-side defaults, dropped members and re-encoded policies; the
       rules are in tools/aws_shapes.py, their uses counted under "shaped"
       in the stats), delivery_failures ({"<stream>": {"error": ["Code",
       "message"]} | {"withhold": true}}: PutRecord and PutRecordBatch to
       that stream are answered as accepted but not forwarded, so no object
       appears; with "error", the proxy writes the error record Firehose
       documents (deliveryStreamARN, destination, deliveryStreamVersionId,
       message, errorCode) into the stream's log group and log stream, as
       read from its last DescribeDeliveryStream through the proxy; counted
       under "delivery_failed").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape as xml_escape

import aws_shapes
from api_models import Models

FAULT_KINDS = (
    "malformed",
    "error",
    "throttle",
    "server_error",
    "drop",
    "latency",
    "creating",
    "deleting",
    "sse_transition",
    "iam_propagation",
    "kill",
    "emulated",
    "rate_limited",
    "shaped",
    "delivery_failed",
)

DEFAULT_CONFIG = {
    "seed": None,
    "throttle_rate": 0.0,
    "server_error_rate": 0.0,
    "drop_rate": 0.0,
    "drop_phase": "either",
    "latency_ms": 0,
    "only_services": None,
    "only_actions": None,
    "creating_describes": 0,
    "creating_outcome": "ACTIVE",
    "creating_failure_type": "KMS_ACCESS_DENIED",
    "deleting_describes": 0,
    # "DELETING_FAILED": once DELETING is over the stream stays, described
    # as DELETING_FAILED and listed, instead of going.
    "deleting_outcome": "GONE",
    "sse_transition_describes": 0,
    "iam_propagation_seconds": 0,
    "creating_seconds": 0,
    "deleting_seconds": 0,
    "create_rate_per_second": 0,
    "real_aws": False,
    "kill_at_call": None,
    "kill_pattern": None,
    "kill_scope": "all",
    # {"service:Action": "garbage" | "empty" | "unknown_enum"}: answers AWS
    # would never give (cut-off JSON, no payload, an unknown status value).
    "malformed": {},
    # {"service:Action": ["Code", "message"]}: a service error instead of
    # the real answer (expired credentials, denials).
    "errors": {},
    "validate_models": True,
    "aws_shapes": False,
    "delivery_failures": {},
}

# What real AWS does that moto does not, as measured and documented
# (bench/README.md): a round trip per call, a new role usable by Firehose
# seconds later, streams CREATING and DELETING for seconds, and a
# CreateDeliveryStream rate of 5 per second per account.
REAL_AWS = {
    "latency_ms": 30,
    "iam_propagation_seconds": 8,
    "creating_seconds": 5,
    "deleting_seconds": 3,
    "create_rate_per_second": 5,
}

MODELS = Models()

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "expect",
}

S3_SUBRESOURCES = {
    "acl", "cors", "delete", "encryption", "intelligent-tiering", "inventory", "lifecycle",
    "list-type", "location", "logging", "metrics", "notification", "object-lock",
    "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication",
    "requestPayment", "restore", "retention", "legal-hold", "select", "tagging", "torrent",
    "uploadId", "uploads", "versioning", "versions", "website", "accelerate", "analytics",
    "attributes",
}


def log(msg: str) -> None:
    if os.environ.get("AWS_PROXY_DEBUG"):
        print(f"aws_proxy: {msg}", file=sys.stderr, flush=True)


class State:
    """Configuration, statistics and simulated AWS state, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.config = dict(DEFAULT_CONFIG)
        self.rng = random.Random()
        self.reset_all()

    def reset_all(self) -> None:
        self.total = 0
        self.by_action: dict[str, int] = {}
        self.faults = {k: 0 for k in FAULT_KINDS}
        self.forwarded = 0
        self.upstream_errors = 0
        self.kill_base = 0
        self.killed_pids: list[int] = []
        self.violations: list[dict] = []
        # How often each rule of tools/aws_shapes.py changed an answer.
        self.shaped: dict[str, int] = {}
        # Simulated state, by delivery stream name.
        self.streams: dict[str, dict] = {}
        self.last_describe: dict[str, bytes] = {}
        # Destinations as updated by emulated_update, by stream name.
        self.overlays: dict[str, dict] = {}
        # Redshift Serverless workgroups, which moto does not serve, and MSK
        # clusters, which moto names otherwise than AWS.
        self.workgroups: dict[str, dict] = {}
        self.clusters: dict[str, dict] = {}
        # When each role (by name) becomes usable by Firehose.
        self.roles_ready: dict[str, float] = {}
        # Accepted CreateDeliveryStream calls, for the rate limit.
        self.creates: list[float] = []
        self.reset_at = time.monotonic()
        self.timeline: list[list] = []

    def configure(self, update: dict) -> None:
        unknown = set(update) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        self.config.update(update)
        if update.get("real_aws"):
            self.config.update(REAL_AWS)
        if "seed" in update:
            self.rng = random.Random(update["seed"])
        if "kill_at_call" in update:
            self.kill_base = self.total

    def snapshot(self) -> dict:
        return {
            "total": self.total,
            "by_action": dict(sorted(self.by_action.items())),
            "faults": dict(self.faults),
            "forwarded": self.forwarded,
            "upstream_errors": self.upstream_errors,
            "killed_pids": list(self.killed_pids),
            "violations": list(self.violations),
            "shaped": dict(sorted(self.shaped.items())),
            "config": dict(self.config),
        }


STATE = State()


# ---------------------------------------------------------------- identification


def service_of(headers) -> str:
    auth = headers.get("Authorization", "")
    marker = "Credential="
    i = auth.find(marker)
    if i >= 0:
        cred = auth[i + len(marker):].split(",", 1)[0].strip()
        parts = cred.split("/")
        if len(parts) >= 5:
            return parts[-2]
    target = headers.get("X-Amz-Target", "")
    if target.startswith("Firehose_"):
        return "firehose"
    if target.startswith("Logs_"):
        return "logs"
    if target.startswith("TrentService"):
        return "kms"
    return "unknown"


def action_of(service: str, method: str, path: str, query: str, headers, body: bytes) -> str:
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    ctype = headers.get("Content-Type", "")
    if "x-www-form-urlencoded" in ctype or service in ("iam", "sts"):
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return form["Action"][0]
        q = urllib.parse.parse_qs(query)
        if "Action" in q:
            return q["Action"][0]
    if service == "s3":
        segments = [s for s in path.split("/") if s]
        level = "Object" if len(segments) >= 2 else ""
        keys = [k.split("=", 1)[0] for k in query.split("&") if k]
        sub = next((k for k in keys if k in S3_SUBRESOURCES), None)
        return f"{method}{level}" + (f"?{sub}" if sub else "")
    return method


def protocol_of(service: str, headers) -> str:
    if headers.get("X-Amz-Target"):
        return "json"
    if service in ("iam", "sts") or "x-www-form-urlencoded" in headers.get("Content-Type", ""):
        return "query"
    if service == "s3":
        return "s3"
    return "json"


# ---------------------------------------------------------------- canned replies


def error_reply(protocol: str, kind: str, rng: random.Random) -> tuple[int, dict, bytes]:
    """A throttling or server error as the SDK sees it for the protocol."""
    rid = f"proxy-{rng.getrandbits(48):012x}"
    if kind == "throttle":
        if protocol == "json":
            body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
            return 400, {"Content-Type": "application/x-amz-json-1.1",
                         "x-amzn-ErrorType": "ThrottlingException", "x-amzn-RequestId": rid}, body
        if protocol == "query":
            body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                    f"<Message>Rate exceeded</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
            return 400, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}, body
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                f"<Message>Please reduce your request rate.</Message><RequestId>{rid}</RequestId></Error>").encode()
        return 503, {"Content-Type": "application/xml", "x-amz-request-id": rid}, body
    status = rng.choice((500, 503))
    if protocol == "json":
        code = "InternalFailure" if status == 500 else "ServiceUnavailableException"
        body = json.dumps({"__type": code, "message": "Simulated server error"}).encode()
        return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code,
                        "x-amzn-RequestId": rid}, body
    if protocol == "query":
        code = "InternalFailure" if status == 500 else "ServiceUnavailable"
        body = (f"<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code>"
                f"<Message>Simulated server error</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        return status, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}, body
    code = "InternalError" if status == 500 else "ServiceUnavailable"
    body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>"
            f"<Message>Simulated server error</Message><RequestId>{rid}</RequestId></Error>").encode()
    return status, {"Content-Type": "application/xml", "x-amz-request-id": rid}, body


def coded_error(protocol: str, code: str, message: str) -> tuple[int, dict, bytes]:
    """A 4xx service error with `code` as the SDK sees it for the protocol."""
    rid = "proxy-coded-error"
    if protocol != "json":
        message = xml_escape(message)
    status = 403 if code.startswith("AccessDenied") or code in ("ExpiredToken", "InvalidClientTokenId") else 400
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code,
                        "x-amzn-RequestId": rid}, body
    if protocol == "query":
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                f"</Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        return status, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}, body
    body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message>"
            f"<RequestId>{rid}</RequestId></Error>").encode()
    return status, {"Content-Type": "application/xml", "x-amz-request-id": rid}, body


def json_error(status: int, code: str, message: str) -> tuple[int, dict, bytes]:
    body = json.dumps({"__type": code, "message": message}).encode()
    return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}, body


# ---------------------------------------------------------------- killing


def socket_inode(local_port: int, peer_port: int) -> str | None:
    """The inode of the client socket 127.0.0.1:local_port -> :peer_port."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    local, remote, inode = cols[1], cols[2], cols[9]
                    if int(local.rsplit(":", 1)[1], 16) == local_port and int(remote.rsplit(":", 1)[1], 16) == peer_port:
                        return inode
        except OSError:
            continue
    return None


def socket_owners(inode: str) -> set[int]:
    owners = set()
    needle = f"socket:[{inode}]"
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == needle:
                        owners.add(int(pid))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return owners


def matching_pids(pattern: str) -> list[int]:
    pids = []
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if pattern in cmdline:
            pids.append(int(pid))
    return pids


def kill_matching(pattern: str, scope: str, client_port: int, server_port: int) -> list[int]:
    pids = matching_pids(pattern)
    if scope == "caller":
        inode = socket_inode(client_port, server_port)
        owners = socket_owners(inode) if inode else set()
        pids = [p for p in pids if p in owners]
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    return pids


# ---------------------------------------------------------------- simulated firehose state


def stream_name(body: bytes) -> str | None:
    try:
        return json.loads(body or b"{}").get("DeliveryStreamName")
    except (ValueError, AttributeError):
        return None


# What moto cannot do, the proxy emulates, after checking the request
# against AWS's API model: destinations and sources moto does not know are
# created in moto as an S3 destination (or a direct-put stream) and
# described as AWS would describe what was asked for; updates moto cannot
# apply are applied to that description. Secrets are never described.
EMULATED_CREATES = {
    "AmazonopensearchserviceDestinationConfiguration": "AmazonopensearchserviceDestinationDescription",
    "AmazonOpenSearchServerlessDestinationConfiguration": "AmazonOpenSearchServerlessDestinationDescription",
}
EMULATED_UPDATES = {
    "SnowflakeDestinationUpdate": ("SnowflakeDestinationDescription", ("PrivateKey", "KeyPassphrase")),
    "AmazonopensearchserviceDestinationUpdate": ("AmazonopensearchserviceDestinationDescription", ()),
    "AmazonOpenSearchServerlessDestinationUpdate": ("AmazonOpenSearchServerlessDestinationDescription", ()),
}
EMULATED_VPC_ID = "vpc-0e0e0e0e0e0e0e0e0"


def described(conf: dict) -> dict:
    """A destination configuration as DescribeDeliveryStream reports it."""
    out = {k: v for k, v in conf.items() if k not in ("S3Configuration", "VpcConfiguration")}
    if "S3Configuration" in conf:
        out["S3DestinationDescription"] = conf["S3Configuration"]
    if "VpcConfiguration" in conf:
        out["VpcConfigurationDescription"] = {**conf["VpcConfiguration"], "VpcId": EMULATED_VPC_ID}
    return out


def emulated_create(body: bytes) -> tuple[bytes, dict | None]:
    """The request moto can take, and what to describe instead (or None)."""
    try:
        req = json.loads(body)
    except ValueError:
        return body, None
    ov: dict = {}
    for key, desc_key in EMULATED_CREATES.items():
        if key in req:
            conf = req.pop(key)
            req["ExtendedS3DestinationConfiguration"] = dict(conf.get("S3Configuration") or {})
            ov["key"], ov["dest"] = desc_key, described(conf)
    if "DirectPutSourceConfiguration" in req:
        # moto drops the hint; AWS describes it under Source.
        ov["type"] = "DirectPut"
        ov["source"] = {"DirectPutSourceDescription": req.pop("DirectPutSourceConfiguration")}
    if "MSKSourceConfiguration" in req:
        msk = req.pop("MSKSourceConfiguration")
        req["DeliveryStreamType"] = "DirectPut"
        ov["type"] = "MSKAsSource"
        ov["source"] = {"MSKSourceDescription": {**msk, "DeliveryStartTimestamp": time.time()}}
    return (json.dumps(req).encode(), ov) if ov else (body, None)


def emulated_kafka(method: str, path: str, body: bytes) -> tuple[int, dict, bytes]:
    """Amazon MSK's cluster calls, as AWS answers them (lock held). moto serves
    MSK, but names clusters `cluster/<uuid>`, where AWS names them
    `cluster/<name>/<uuid>-<n>`, the form the provider checks; so the proxy keeps the
    clusters. The UUID is derived from the name, so a test can name its ARN."""
    ok = lambda doc: (200, {"Content-Type": "application/json"}, json.dumps(doc).encode())  # noqa: E731
    if method == "POST" and path.rstrip("/") == "/api/v2/clusters":
        req = json.loads(body or b"{}")
        name = req.get("clusterName", "")
        serverless = "serverless" in req
        kind = "serverless-cluster" if serverless else "cluster"
        arn = f"arn:aws:kafka:us-east-1:123456789012:{kind}/{name}/{uuid.uuid5(uuid.NAMESPACE_URL, 'msk/' + name)}-2"
        info = {"clusterArn": arn, "clusterName": name, "state": "ACTIVE",
                "clusterType": "SERVERLESS" if serverless else "PROVISIONED"}
        if serverless:
            info["serverless"] = req["serverless"]
        else:
            info["provisioned"] = req.get("provisioned", {})
        STATE.clusters[arn] = info
        return ok({"clusterArn": arn, "clusterName": name, "clusterType": info["clusterType"], "state": "CREATING"})
    prefix = "/api/v2/clusters/"
    if method == "GET" and path.startswith(prefix):
        arn = urllib.parse.unquote(path[len(prefix):])
        if arn in STATE.clusters:
            return ok({"clusterInfo": STATE.clusters[arn]})
        code = "NotFoundException"
        return 404, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, json.dumps(
            {"message": f"The specified cluster {arn} was not found (aws_proxy)."}).encode()
    return json_error(400, "BadRequestException", f"aws_proxy does not emulate kafka {method} {path}.")


def emulated_redshift_serverless(action: str, body: bytes) -> tuple[int, dict, bytes]:
    """Redshift Serverless, which moto does not serve: CreateWorkgroup keeps a
    workgroup with the endpoint AWS gives it, GetWorkgroup answers for it or with
    ResourceNotFoundException (lock held)."""
    try:
        req = json.loads(body or b"{}")
    except ValueError:
        req = {}
    name = req.get("workgroupName", "")
    ok = lambda doc: (200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(doc).encode())  # noqa: E731
    if action == "CreateWorkgroup":
        wg = {"workgroupName": name, "namespaceName": req.get("namespaceName", ""), "status": "AVAILABLE",
              "workgroupArn": f"arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/{name}",
              "endpoint": {"address": f"{name}.123456789012.us-east-1.redshift-serverless.amazonaws.com",
                           "port": req.get("port", 5439)}}
        STATE.workgroups[name] = wg
        return ok({"workgroup": wg})
    if action == "GetWorkgroup" and name in STATE.workgroups:
        return ok({"workgroup": STATE.workgroups[name]})
    if action == "GetWorkgroup":
        return json_error(400, "ResourceNotFoundException", f"Workgroup {name} not found (aws_proxy).")
    return json_error(400, "UnknownOperationException", f"aws_proxy does not emulate redshift-serverless {action}.")


def emulated_update(name: str | None, body: bytes) -> tuple[int, dict, bytes] | None:
    """UpdateDestination of a kind in EMULATED_UPDATES, answered here (lock held)."""
    try:
        req = json.loads(body)
    except ValueError:
        return None
    kind = next((k for k in EMULATED_UPDATES if k in req), None)
    if kind is None or not name:
        return None
    desc_key, secrets = EMULATED_UPDATES[kind]
    last = STATE.last_describe.get(name)
    if last is None:
        return json_error(400, "ResourceNotFoundException", f"Firehose {name} not found (aws_proxy).")
    d = json.loads(last)["DeliveryStreamDescription"]
    ov = STATE.overlays.setdefault(name, {})
    version = ov.get("version") or d["VersionId"]
    if req.get("CurrentDeliveryStreamVersionId") != version:
        return json_error(400, "ConcurrentModificationException",
                          f"Cannot update firehose: {name}: version {req.get('CurrentDeliveryStreamVersionId')} "
                          f"is not the current {version} (aws_proxy).")
    current = ov["dest"] if ov.get("key") == desc_key else d["Destinations"][0].get(desc_key, {})
    dest = {k: v for k, v in current.items() if k not in secrets}
    for k, v in req[kind].items():
        if k in secrets:
            continue
        if k == "S3Update":
            dest["S3DestinationDescription"] = {**dest.get("S3DestinationDescription", {}), **v}
        else:
            dest[k] = v
    ov.update({"version": str(int(version) + 1), "key": desc_key, "dest": dest})
    STATE.faults["emulated"] += 1
    return 200, {"Content-Type": "application/x-amz-json-1.1"}, b"{}"


def overlay(name: str, desc: dict) -> bool:
    """Describes what the proxy emulates for stream `name`; whether it did."""
    ov = STATE.overlays.get(name)
    if not ov:
        return False
    if ov.get("version"):
        desc["VersionId"] = ov["version"]
    if ov.get("dest") is not None:
        dest_id = desc["Destinations"][0].get("DestinationId", "destinationId-000000000001")
        desc["Destinations"][0] = {"DestinationId": dest_id, ov["key"]: ov["dest"]}
    if ov.get("source") is not None:
        desc["Source"] = ov["source"]
        desc["DeliveryStreamType"] = ov["type"]
    return True


def roles_named(body: bytes) -> list[str]:
    """Role names in every RoleARN of a Firehose request."""
    out: list[str] = []

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "RoleARN" and isinstance(x, str):
                    out.append(x.rsplit("/", 1)[-1])
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    try:
        walk(json.loads(body))
    except ValueError:
        pass
    return out


def creating(st: dict, cfg: dict) -> bool:
    """Whether a stream made through the proxy still reads as CREATING."""
    if st.get("phase") != "creating":
        return False
    if cfg["creating_seconds"]:
        return time.monotonic() - st["at"] < cfg["creating_seconds"]
    return st["describes"] < cfg["creating_describes"]


def before_firehose(action: str, name: str | None, body: bytes) -> tuple[int, dict, bytes] | None:
    """Answers Firehose would give without the call reaching it (lock held)."""
    cfg = STATE.config
    now = time.monotonic()
    if action in ("CreateDeliveryStream", "UpdateDestination"):
        waiting = [r for r in roles_named(body) if STATE.roles_ready.get(r, 0) > now]
        if waiting:
            STATE.faults["iam_propagation"] += 1
            return json_error(400, "InvalidArgumentException",
                              f"Firehose is unable to assume role arn:aws:iam::123456789012:role/{waiting[0]}. "
                              "Please check the role provided.")
    if action == "CreateDeliveryStream" and cfg["create_rate_per_second"]:
        STATE.creates = [t for t in STATE.creates if now - t < 1.0]
        if len(STATE.creates) >= cfg["create_rate_per_second"]:
            STATE.faults["rate_limited"] += 1
            return json_error(400, "LimitExceededException", "Rate exceeded for CreateDeliveryStream (aws_proxy).")
        STATE.creates.append(now)
    st = STATE.streams.get(name or "")
    if st is None:
        return None
    if creating(st, cfg) and action in ("DeleteDeliveryStream", "UpdateDestination",
                                         "StartDeliveryStreamEncryption", "StopDeliveryStreamEncryption"):
        return json_error(400, "ResourceInUseException",
                          f"Firehose {name} is in CREATING state; it must be ACTIVE (simulated by aws_proxy).")
    if action == "DescribeDeliveryStream" and st.get("phase") == "deleting":
        if cfg["deleting_outcome"] == "DELETING_FAILED" and name in STATE.last_describe \
                and not deleting(st, cfg, now):
            doc = json.loads(STATE.last_describe[name])
            desc = doc["DeliveryStreamDescription"]
            desc["DeliveryStreamStatus"] = "DELETING_FAILED"
            desc["FailureDescription"] = {"Type": "KMS_ACCESS_DENIED",
                                          "Details": f"Simulated by aws_proxy: Firehose could not delete {name}."}
            return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(doc).encode()
        if deleting(st, cfg, now) and name in STATE.last_describe:
            st["describes"] += 1
            STATE.faults["deleting"] += 1
            doc = json.loads(STATE.last_describe[name])
            doc["DeliveryStreamDescription"]["DeliveryStreamStatus"] = "DELETING"
            return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(doc).encode()
        STATE.streams.pop(name, None)
    return None


def deleting(st: dict, cfg: dict, now: float) -> bool:
    """Whether a stream deleted through the proxy still reads as DELETING."""
    if st.get("phase") != "deleting":
        return False
    if cfg["deleting_seconds"]:
        return now - st["at"] < cfg["deleting_seconds"]
    return st["describes"] < cfg["deleting_describes"]


def listed_with_deleting(request: bytes, body: bytes) -> bytes:
    """ListDeliveryStreams as AWS answers it: a stream is listed until it is
    gone, DELETING included (moto forgets it at once). Names stay sorted and
    within the request's start name and limit. Only DELETING by the clock
    is listed: one counted in describes would never end for a caller that
    watches the list."""
    if not STATE.config["deleting_seconds"]:
        return body
    try:
        req = json.loads(request or b"{}")
        doc = json.loads(body)
        names = set(doc["DeliveryStreamNames"])
    except (ValueError, KeyError, TypeError):
        return body
    now = time.monotonic()
    start = req.get("ExclusiveStartDeliveryStreamName") or ""
    stuck = STATE.config["deleting_outcome"] == "DELETING_FAILED"
    extra = {n for n, st in STATE.streams.items()
             if (deleting(st, STATE.config, now) or (stuck and st.get("phase") == "deleting")) and n > start}
    if not extra - names:
        return body
    merged = sorted(names | extra)
    limit = int(req.get("Limit") or 10)
    doc["DeliveryStreamNames"] = merged[:limit]
    doc["HasMoreDeliveryStreams"] = bool(doc.get("HasMoreDeliveryStreams")) or len(merged) > limit
    return json.dumps(doc).encode()


def after_firehose(action: str, name: str | None, status: int, body: bytes, request: bytes = b"") -> bytes:
    """Bookkeeping on a forwarded Firehose answer; may rewrite Describe and
    List (lock held)."""
    cfg = STATE.config
    if action == "ListDeliveryStreams" and status == 200:
        return listed_with_deleting(request, body)
    if status != 200 or not name:
        return body
    if action == "CreateDeliveryStream":
        STATE.streams[name] = {"phase": "creating", "describes": 0, "at": time.monotonic()}
    elif action == "DeleteDeliveryStream":
        STATE.streams[name] = {"phase": "deleting", "describes": 0, "at": time.monotonic()}
        STATE.overlays.pop(name, None)
    elif action in ("StartDeliveryStreamEncryption", "StopDeliveryStreamEncryption"):
        st = STATE.streams.setdefault(name, {"phase": "active", "describes": 0})
        st["sse"] = "ENABLING" if action.startswith("Start") else "DISABLING"
        st["sse_describes"] = 0
    elif action == "DescribeDeliveryStream":
        try:
            doc = json.loads(body)
            desc = doc["DeliveryStreamDescription"]
        except (ValueError, KeyError, TypeError):
            return body
        STATE.last_describe[name] = body
        ov = overlay(name, desc)
        st = STATE.streams.get(name)
        if st is None:
            return json.dumps(doc).encode() if ov else body
        changed = bool(ov)
        if st.get("phase") == "creating":
            if creating(st, cfg):
                st["describes"] += 1
                STATE.faults["creating"] += 1
                desc["DeliveryStreamStatus"] = "CREATING"
                changed = True
            elif cfg["creating_outcome"] == "CREATING_FAILED":
                desc["DeliveryStreamStatus"] = "CREATING_FAILED"
                desc["FailureDescription"] = {
                    "Type": cfg["creating_failure_type"],
                    "Details": f"Simulated by aws_proxy: Firehose could not create {name} "
                               f"({cfg['creating_failure_type']}).",
                }
                changed = True
            else:
                st["phase"] = "active"
        sse = st.get("sse")
        if sse and st.get("phase") != "creating":
            if st["sse_describes"] < cfg["sse_transition_describes"]:
                st["sse_describes"] += 1
                STATE.faults["sse_transition"] += 1
                enc = desc.setdefault("DeliveryStreamEncryptionConfiguration", {})
                enc["Status"] = sse
                changed = True
            else:
                st.pop("sse", None)
        if changed:
            return json.dumps(doc).encode()
    return body


# ---------------------------------------------------------------- the server


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # A reply goes out as two writes (head, then body). With Nagle's
    # algorithm on, the body waits for the client to acknowledge the head,
    # which a client that is waiting for the body delays by up to 40 ms.
    disable_nagle_algorithm = True
    upstream: urllib.parse.SplitResult
    local = threading.local()

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        log(format % args)

    # One handler per request method.
    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, headers: dict, body: bytes) -> None:
        self.record(status, error_code_of(body) if status >= 400 else None)
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        if self.command == "HEAD" and "content-length" in {k.lower() for k in headers}:
            self.send_header("Content-Length", next(v for k, v in headers.items() if k.lower() == "content-length"))
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def record(self, status: int, code: str | None) -> None:
        """Adds the call being answered to the timeline, once."""
        call = getattr(self.local, "call", None)
        if call is None:
            return
        self.local.call = None
        with STATE.lock:
            STATE.timeline.append([round(call[0] - STATE.reset_at, 3), round(time.monotonic() - STATE.reset_at, 3),
                                   call[1], call[2], status, code])

    def drop(self) -> None:
        self.record(0, "dropped")
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def control(self, path: str, body: bytes) -> None:
        try:
            with STATE.lock:
                if path == "/__proxy/stats" and self.command == "GET":
                    out = STATE.snapshot()
                elif path == "/__proxy/timeline" and self.command == "GET":
                    out = list(STATE.timeline)
                elif path == "/__proxy/reset" and self.command == "POST":
                    STATE.reset_all()
                    out = {"ok": True}
                elif path == "/__proxy/config" and self.command in ("PUT", "POST"):
                    STATE.configure(json.loads(body or b"{}"))
                    out = {"ok": True, "config": dict(STATE.config)}
                elif path == "/__proxy/config" and self.command == "GET":
                    out = dict(STATE.config)
                else:
                    self.reply(404, {"Content-Type": "application/json"}, b'{"error":"no such control endpoint"}')
                    return
            self.reply(200, {"Content-Type": "application/json"}, json.dumps(out).encode())
        except (ValueError, TypeError) as e:
            self.reply(400, {"Content-Type": "application/json"}, json.dumps({"error": str(e)}).encode())

    def upstream_conn(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port or 80, timeout=120)
            self.local.conn = conn
        return conn

    def forward(self, body: bytes) -> tuple[int, list, bytes]:
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        for attempt in range(2):
            conn = self.upstream_conn()
            try:
                conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for k, v in headers:
                    conn.putheader(k, v)
                conn.endheaders(body if body else None)
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, resp.getheaders(), data
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")

    def failed_delivery(self, name: str, action: str, body: bytes, failure: dict) -> tuple[int, dict, bytes]:
        """Accepts records that will never arrive, and logs why if asked."""
        with STATE.lock:
            STATE.faults["delivery_failed"] += 1
            described = STATE.last_describe.get(name)
        error = failure.get("error")
        if error and described:
            self.log_delivery_error(name, json.loads(described), error[0], error[1])
        try:
            records = json.loads(body or b"{}").get("Records") or []
        except ValueError:
            records = []
        if action == "PutRecord":
            answer = {"RecordId": uuid.uuid4().hex, "Encrypted": False}
        else:
            answer = {"FailedPutCount": 0, "Encrypted": False,
                      "RequestResponses": [{"RecordId": uuid.uuid4().hex} for _ in records]}
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(answer).encode()

    def log_delivery_error(self, name: str, described: dict, code: str, message: str) -> None:
        desc = described.get("DeliveryStreamDescription") or {}
        group = stream = destination = None
        for dest in desc.get("Destinations") or []:
            for value in dest.values():
                if not isinstance(value, dict):
                    continue
                opts = value.get("CloudWatchLoggingOptions") or {}
                if opts.get("Enabled") and group is None:
                    group, stream = opts.get("LogGroupName"), opts.get("LogStreamName")
                    destination = value.get("BucketARN") or value.get("EndpointConfiguration", {}).get("Url")
        if not group or not stream:
            log(f"{name}: no log group to write the delivery error to")
            return
        record = {"deliveryStreamARN": desc.get("DeliveryStreamARN"), "destination": destination,
                  "deliveryStreamVersionId": int(desc.get("VersionId") or 1), "message": message,
                  "errorCode": code}
        auth = self.headers.get("Authorization", "").replace("/firehose/aws4_request", "/logs/aws4_request")
        headers = {"Content-Type": "application/x-amz-json-1.1", "Authorization": auth,
                   "X-Amz-Date": self.headers.get("X-Amz-Date", "")}
        calls = [("CreateLogStream", {"logGroupName": group, "logStreamName": stream}),
                 ("PutLogEvents", {"logGroupName": group, "logStreamName": stream,
                                   "logEvents": [{"timestamp": int(time.time() * 1000),
                                                  "message": json.dumps(record)}]})]
        for target, doc in calls:
            conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port or 80, timeout=30)
            try:
                conn.request("POST", "/", json.dumps(doc).encode(),
                             {**headers, "X-Amz-Target": f"Logs_20140328.{target}"})
                resp = conn.getresponse()
                text = resp.read()
                if resp.status != 200 and target == "PutLogEvents":
                    log(f"{name}: PutLogEvents failed: {resp.status} {text[:200]!r}")
            finally:
                conn.close()

    def handle_any(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        body = self.read_body()
        if parsed.path.startswith("/__proxy/"):
            self.control(parsed.path, body)
            return
        service = service_of(self.headers)
        action = action_of(service, self.command, parsed.path, parsed.query, self.headers, body)
        protocol = protocol_of(service, self.headers)
        key = f"{service}:{action}"
        name = stream_name(body) if service == "firehose" else None
        self.local.call = (time.monotonic(), key, name or subject_of(service, body))

        with STATE.lock:
            cfg = STATE.config
            STATE.total += 1
            STATE.by_action[key] = STATE.by_action.get(key, 0) + 1
            call_no = STATE.total - STATE.kill_base
            kill = cfg["kill_at_call"] is not None and cfg["kill_pattern"] and call_no == cfg["kill_at_call"]
            if kill:
                cfg["kill_at_call"] = None
            faulty = (cfg["only_services"] is None or service in cfg["only_services"]) and (
                cfg["only_actions"] is None or key in cfg["only_actions"])
            fault = None
            drop_after = False
            if faulty and not kill:
                r = STATE.rng.random()
                if r < cfg["throttle_rate"]:
                    fault = "throttle"
                elif r < cfg["throttle_rate"] + cfg["server_error_rate"]:
                    fault = "server_error"
                elif r < cfg["throttle_rate"] + cfg["server_error_rate"] + cfg["drop_rate"]:
                    fault = "drop"
                    phase = cfg["drop_phase"]
                    drop_after = phase == "after" or (phase == "either" and STATE.rng.random() < 0.5)
                if fault:
                    STATE.faults[fault] += 1
            latency = cfg["latency_ms"] if faulty else 0
            if latency:
                STATE.faults["latency"] += 1
            canned = error_reply(protocol, fault, STATE.rng) if fault in ("throttle", "server_error") else None
            coded = (cfg.get("errors") or {}).get(key)
            if coded and not kill:
                canned = coded_error(protocol, coded[0], coded[1])
                STATE.faults["error"] += 1

        if cfg.get("validate_models") and not kill:
            problems = MODELS.check_http(service, action, self.command, parsed.path, parsed.query,
                                         self.headers, body)
            if problems:
                with STATE.lock:
                    STATE.violations.append({"call": key, "problems": problems})
                log(f"{key}: refused by the API model: {problems}")
                code = "ValidationException" if protocol == "json" else "ValidationError"
                self.reply(*coded_error(protocol, code, "; ".join(problems)))
                return
        if kill:
            pids = kill_matching(cfg["kill_pattern"], cfg.get("kill_scope") or "all",
                                 self.client_address[1], self.server.server_address[1])
            with STATE.lock:
                STATE.faults["kill"] += 1
                STATE.killed_pids.extend(pids)
            log(f"call {call_no} {key}: killed {pids}")
            self.drop()
            return
        if latency:
            time.sleep(latency / 1000.0)
        if fault == "drop" and not drop_after:
            log(f"{key}: dropped before forwarding")
            self.drop()
            return
        if canned:
            log(f"{key}: {fault}")
            self.reply(*canned)
            return

        failure = (cfg.get("delivery_failures") or {}).get(name or "")
        if service == "firehose" and action in ("PutRecord", "PutRecordBatch") and failure is not None:
            self.reply(*self.failed_delivery(name, action, body, failure))
            return
        if service == "firehose":
            with STATE.lock:
                early = before_firehose(action, name, body)
                if early is None and action == "UpdateDestination":
                    early = emulated_update(name, body)
            if early:
                self.reply(*early)
                return
        if service in ("kafka", "redshift-serverless"):
            # Answered here; the reply goes out after the lock is released
            # (replying records the call, which takes the lock).
            with STATE.lock:
                if service == "kafka":
                    answer = emulated_kafka(self.command, parsed.path, body)
                else:
                    answer = emulated_redshift_serverless(action, body)
            self.reply(*answer)
            return
        created = None
        if service == "firehose" and action == "CreateDeliveryStream":
            body, created = emulated_create(body)

        try:
            status, headers, data = self.forward(body)
        except Exception as e:  # noqa: BLE001 - any upstream failure is a 502
            with STATE.lock:
                STATE.upstream_errors += 1
            self.reply(502, {"Content-Type": "text/plain"}, f"aws_proxy: upstream failed: {e}".encode())
            return

        with STATE.lock:
            STATE.forwarded += 1
            if service == "firehose" and action == "CreateDeliveryStream" and status == 200 and name:
                STATE.overlays.pop(name, None)
                if created is not None:
                    STATE.overlays[name] = created
                    STATE.faults["emulated"] += 1
            if service == "iam" and status == 200 and action in ("CreateRole", "PutRolePolicy",
                                                                  "UpdateAssumeRolePolicy"):
                seconds = float(STATE.config["iam_propagation_seconds"] or 0)
                if seconds > 0:
                    role = subject_of(service, body) or "unknown"
                    STATE.roles_ready[role] = time.monotonic() + seconds
            if service == "firehose":
                encoded = any(k.lower() == "content-encoding" for k, _ in headers)
                if not encoded:
                    data = after_firehose(action, name, status, data, body)

        if STATE.config.get("aws_shapes") and status == 200 and not any(
                k.lower() == "content-encoding" for k, _ in headers):
            data, rules = aws_shapes.shape(MODELS, service, action, data)
            if rules:
                with STATE.lock:
                    STATE.faults["shaped"] += 1
                    for rule in rules:
                        STATE.shaped[rule] = STATE.shaped.get(rule, 0) + 1
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]

        mode = (STATE.config.get("malformed") or {}).get(key)
        if mode and status == 200:
            data = malform(mode, data)
            with STATE.lock:
                STATE.faults["malformed"] += 1
            log(f"{key}: answer malformed ({mode})")

        if drop_after:
            log(f"{key}: answer dropped after forwarding")
            self.drop()
            return
        self.reply(status, dict(headers), data)


def subject_of(service: str, body: bytes) -> str | None:
    """The IAM role or log group a call names, for the timeline."""
    if service == "iam":
        return urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("RoleName", [None])[0]
    if service == "logs":
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            return None
        return doc.get("logGroupName") if isinstance(doc, dict) else None
    return None


def error_code_of(body: bytes) -> str | None:
    """The error code of a JSON (``__type``) or XML (``<Code>``) error answer."""
    text = body[:2000].decode("utf-8", "replace")
    try:
        kind = json.loads(text).get("__type")
        return kind.rsplit("#", 1)[-1] if isinstance(kind, str) else None
    except (ValueError, AttributeError):
        pass
    start = text.find("<Code>")
    end = text.find("</Code>", start)
    return text[start + 6:end] if start >= 0 and end > start else None


def malform(mode: str, data: bytes) -> bytes:
    if mode == "garbage":
        return data[: max(1, len(data) // 2)]
    if mode == "empty":
        return b"{}"
    if mode == "unknown_enum":
        try:
            doc = json.loads(data)
        except ValueError:
            return data
        desc = doc.get("DeliveryStreamDescription")
        if isinstance(desc, dict):
            desc["DeliveryStreamStatus"] = "EXPLODING"
        return json.dumps(doc).encode()
    return data


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", required=True, help="e.g. http://127.0.0.1:5000")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the port to this file once listening")
    ap.add_argument("--config", help="initial JSON configuration")
    args = ap.parse_args()

    Handler.upstream = urllib.parse.urlsplit(args.upstream)
    if args.config:
        STATE.configure(json.loads(args.config))
    server = Server((args.host, args.port), Handler)
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    log(f"listening on {args.host}:{port}, upstream {args.upstream}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
