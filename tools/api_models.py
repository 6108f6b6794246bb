"""Checks requests against AWS's own API models.

The service JSON that botocore ships (botocore/data/<service>/<version>/service-2.json.gz)
is the truth for request shapes: member names, required members, string lengths,
number ranges and enum values. moto checks almost none of this and AWS checks all of
it, so the test proxy (tools/aws_proxy.py) runs every request through `check` and
refuses what AWS would refuse.

Covered: the awsJson protocol (Firehose, CloudWatch Logs, KMS, Kinesis) and the query
protocol (IAM, STS). Not covered: rest-json and rest-xml services (Lambda, S3), whose
members travel in the URI and headers.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import urllib.parse


class Models:
    def __init__(self, data_dir: str | None = None):
        if data_dir is None:
            import botocore  # noqa: PLC0415 - only where the proxy validates

            data_dir = os.path.join(os.path.dirname(botocore.__file__), "data")
        self.data_dir = data_dir
        self.cache: dict[str, dict | None] = {}

    def model(self, service: str) -> dict | None:
        if service not in self.cache:
            files = sorted(glob.glob(os.path.join(self.data_dir, service, "*", "service-2.json.gz")))
            self.cache[service] = json.load(gzip.open(files[-1])) if files else None
        return self.cache[service]

    def check(self, service: str, action: str, body: bytes) -> list[str]:
        """Violations of the operation's input shape; empty when valid or not covered."""
        m = self.model(service)
        if m is None or action not in m.get("operations", {}):
            return []
        shape_name = m["operations"][action].get("input", {}).get("shape")
        if shape_name is None:
            return []
        protocol = m["metadata"]["protocol"]
        text = body.decode("utf-8", "replace")
        if protocol == "json":
            try:
                value = json.loads(text) if text.strip() else {}
            except ValueError as e:
                return [f"{action}: body is not JSON ({e})"]
            return Checker(m["shapes"]).value(shape_name, value, action)
        if protocol == "query":
            params = {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
            params.pop("Action", None)
            params.pop("Version", None)
            value, leftover = from_query(m["shapes"], shape_name, params, "")
            out = [f"{action}: unknown member {k!r}" for k in sorted(leftover)]
            return out + Checker(m["shapes"]).value(shape_name, value, action)
        return []


def from_query(shapes: dict, name: str, params: dict[str, str], prefix: str) -> tuple[object, set[str]]:
    """The query protocol's flattened `A.member.1.B=v` parameters as a nested value;
    returns it with the parameter names no member claimed."""
    shape = shapes[name]
    kind = shape["type"]
    if kind == "structure":
        out: dict = {}
        claimed: set[str] = set()
        for member, ref in shape.get("members", {}).items():
            loc = ref.get("locationName", member)
            key = f"{prefix}.{loc}" if prefix else loc
            if any(k == key or k.startswith(key + ".") for k in params):
                value, _ = from_query(shapes, ref["shape"], params, key)
                out[member] = value
                claimed |= {k for k in params if k == key or k.startswith(key + ".")}
        leftover = {k for k in params if k.startswith(prefix) and k not in claimed} if not prefix else set()
        return out, leftover
    if kind == "list":
        flattened = shape.get("flattened", False)
        base = prefix + ("." if flattened else ".member.")
        return [from_query(shapes, shape["member"]["shape"], params, f"{base}{i}")[0]
                for i in indices(params, base)], set()
    if kind == "map":
        base = prefix + ".entry."
        return {params.get(f"{base}{i}.key", ""): from_query(shapes, shape["value"]["shape"], params,
                                                              f"{base}{i}.value")[0]
                for i in indices(params, base)}, set()
    raw = params.get(prefix, "")
    if kind in ("integer", "long"):
        try:
            return int(raw), set()
        except ValueError:
            return raw, set()
    if kind in ("double", "float"):
        try:
            return float(raw), set()
        except ValueError:
            return raw, set()
    if kind == "boolean":
        return raw == "true" if raw in ("true", "false") else raw, set()
    return raw, set()


def indices(params: dict[str, str], base: str) -> list[int]:
    """The N of every `<base>N...` parameter, in order: list and map entries."""
    found = set()
    for k in params:
        head = k[len(base):].split(".", 1)[0] if k.startswith(base) else ""
        if head.isdigit():
            found.add(int(head))
    return sorted(found)


class Checker:
    def __init__(self, shapes: dict):
        self.shapes = shapes

    def value(self, name: str, v: object, path: str) -> list[str]:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            if not isinstance(v, dict):
                return [f"{path}: expected an object"]
            out = []
            members = shape.get("members", {})
            for req in shape.get("required", []):
                if req not in v:
                    out.append(f"{path}: missing required member {req!r}")
            for k, mv in v.items():
                if k not in members:
                    out.append(f"{path}: unknown member {k!r}")
                elif mv is not None:
                    out += self.value(members[k]["shape"], mv, f"{path}.{k}")
            return out
        if kind == "list":
            if not isinstance(v, list):
                return [f"{path}: expected a list"]
            out = self.bounds(shape, len(v), path, "items")
            for i, item in enumerate(v):
                out += self.value(shape["member"]["shape"], item, f"{path}[{i}]")
            return out
        if kind == "map":
            if not isinstance(v, dict):
                return [f"{path}: expected a map"]
            out = self.bounds(shape, len(v), path, "entries")
            for k, mv in v.items():
                out += self.value(shape["key"]["shape"], k, f"{path} key")
                out += self.value(shape["value"]["shape"], mv, f"{path}[{k!r}]")
            return out
        if kind == "string":
            if not isinstance(v, str):
                return [f"{path}: expected a string"]
            out = self.bounds(shape, len(v), path, "characters")
            if "enum" in shape and v not in shape["enum"]:
                out.append(f"{path}: {v!r} is not one of {shape['enum']}")
            return out
        if kind in ("integer", "long", "double", "float"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return [f"{path}: expected a number, got {v!r}"]
            out = []
            if "min" in shape and v < shape["min"]:
                out.append(f"{path}: {v} is below the minimum {shape['min']}")
            if "max" in shape and v > shape["max"]:
                out.append(f"{path}: {v} is above the maximum {shape['max']}")
            return out
        if kind == "boolean":
            return [] if isinstance(v, bool) else [f"{path}: expected a boolean, got {v!r}"]
        return []

    @staticmethod
    def bounds(shape: dict, n: int, path: str, unit: str) -> list[str]:
        out = []
        if "min" in shape and n < shape["min"]:
            out.append(f"{path}: {n} {unit}, fewer than the minimum {shape['min']}")
        if "max" in shape and n > shape["max"]:
            out.append(f"{path}: {n} {unit}, more than the maximum {shape['max']}")
        return out


if __name__ == "__main__":
    # Self-check: each kind of violation is found, and valid requests pass.
    ms = Models()
    ok = json.dumps({"DeliveryStreamName": "s"}).encode()
    assert ms.check("firehose", "DescribeDeliveryStream", ok) == [], ms.check("firehose", "DescribeDeliveryStream", ok)
    bad = json.dumps({"DeliveryStreamName": "x" * 65, "Limit": 0, "Bogus": 1}).encode()
    found = ms.check("firehose", "DescribeDeliveryStream", bad)
    assert any("more than the maximum 64" in f for f in found), found
    assert any("below the minimum 1" in f for f in found), found
    assert any("unknown member 'Bogus'" in f for f in found), found
    assert any("missing required member" in f for f in ms.check("firehose", "DeleteDeliveryStream", b"{}"))
    enum = json.dumps({"DeliveryStreamName": "s", "DeliveryStreamType": "Nope"}).encode()
    assert any("is not one of" in f for f in ms.check("firehose", "CreateDeliveryStream", enum))
    q = urllib.parse.urlencode({"Action": "CreateRole", "Version": "2010-05-08", "RoleName": "r",
                                "AssumeRolePolicyDocument": "{}", "Tags.member.1.Key": "k",
                                "Tags.member.1.Value": "v"}).encode()
    assert ms.check("iam", "CreateRole", q) == [], ms.check("iam", "CreateRole", q)
    q2 = urllib.parse.urlencode({"Action": "CreateRole", "RoleName": "r" * 65, "Nope": "1"}).encode()
    found = ms.check("iam", "CreateRole", q2)
    assert any("unknown member 'Nope'" in f for f in found), found
    assert any("missing required member 'AssumeRolePolicyDocument'" in f for f in found), found
    assert any("more than the maximum 64" in f for f in found), found
    print("api_models: self-check passed")
