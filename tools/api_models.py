"""Checks requests against AWS's own API models.

The service JSON that botocore ships (botocore/data/<service>/<version>/service-2.json.gz)
is the truth for request shapes: member names, required members, string lengths,
number ranges and enum values. moto checks almost none of this and AWS checks all of
it, so the test proxy (tools/aws_proxy.py) runs every request through `check` and
refuses what AWS would refuse.

Covered: the awsJson protocol (Firehose, CloudWatch Logs, KMS, Kinesis, Glue), the query
protocol (IAM, STS) and the REST protocols, rest-xml (S3) and rest-json (Lambda).

A REST request names no action: `check_rest` finds its operation from the method and
the path and query string, against each operation's `http.requestUri` template
(`/{Bucket}?tagging`, `/{Bucket}/{Key+}`, `/2015-03-31/functions/{FunctionName}/configuration`),
preferring the most specific template (more literal query keys, then more literal
path segments) and, among operations sharing one template, the one the SDK names in
`x-id` or else the one the request fits best. S3 is taken path-style (`/bucket/key`);
a virtual-hosted request (`bucket.s3.<region>.amazonaws.com`, `bucket.localhost`) is
turned into path style first. Its members are then gathered from where the model puts
them (URI labels, headers, header-prefix maps, query string, and the body: the
`payload` member or the body members, as XML for rest-xml and JSON for rest-json) and
checked like the other protocols: required members, enums, lengths, ranges, and for
REST also string patterns. A request no operation matches, a query parameter no member
claims, and an XML element or JSON key no member claims are violations too.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

REST = ("rest-xml", "rest-json")


SIGNING_NAMES = {"monitoring": "cloudwatch", "es": "opensearch", "aoss": "opensearchserverless"}


class Models:
    def __init__(self, data_dir: str | None = None):
        if data_dir is None:
            import botocore  # noqa: PLC0415 - only where the proxy validates

            data_dir = os.path.join(os.path.dirname(botocore.__file__), "data")
        self.data_dir = data_dir
        self.cache: dict[str, dict | None] = {}
        self.templates: dict[str, Template] = {}

    def model(self, service: str) -> dict | None:
        # Requests name their signing name; botocore files some services under another.
        service = SIGNING_NAMES.get(service, service)
        if service not in self.cache:
            files = sorted(glob.glob(os.path.join(self.data_dir, service, "*", "service-2.json.gz")))
            self.cache[service] = json.load(gzip.open(files[-1])) if files else None
        return self.cache[service]

    def protocol(self, service: str) -> str | None:
        m = self.model(service)
        return m["metadata"]["protocol"] if m else None

    def check_http(self, service: str, action: str, method: str, path: str, query: str, headers,
                   body: bytes) -> list[str]:
        """Violations of one HTTP request, whatever the service's protocol: REST requests
        are matched to their operation here, the others carry their action."""
        if self.protocol(service) in REST:
            return self.check_rest(service, method, path, query, headers, body)[1]
        return self.check(service, action, body)

    def check_rest(self, service: str, method: str, path: str, query: str = "", headers=None,
                   body: bytes = b"") -> tuple[str | None, list[str]]:
        """The operation a rest-xml or rest-json request is, and its violations; an
        operation of None (with no violations) when the service is not a REST one."""
        m = self.model(service)
        if m is None or m["metadata"]["protocol"] not in REST:
            return None, []
        hdrs: dict[str, str] = {}
        for k, v in (headers.items() if headers is not None else ()):
            hdrs[k.lower()] = f"{hdrs[k.lower()]},{v}" if k.lower() in hdrs else v
        if service == "s3":
            path = s3_path_style(hdrs.get("host", ""), path)
        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        xid = next((v for k, v in params if k == "x-id"), None)
        found = []
        for index, (name, op) in enumerate(m["operations"].items()):
            http = op.get("http", {})
            if http.get("method", "").upper() != method.upper():
                continue
            t = self.template(service, name, http.get("requestUri", "/"))
            labels = t.match(path, params)
            if labels is None:
                continue
            problems = Rest(m, name, op, t).problems(labels, params, hdrs, body)
            rank = (xid != name, -len(t.query), -t.literals, t.greedy, len(problems), index)
            found.append((rank, name, problems))
        if not found:
            shown = path + (f"?{query}" if query else "")
            return None, [f"no operation of {service} matches {method.upper()} {shown}"]
        _, name, problems = min(found)
        return name, problems

    def template(self, service: str, op: str, uri: str) -> "Template":
        key = f"{service}:{op}"
        if key not in self.templates:
            self.templates[key] = Template(uri)
        return self.templates[key]

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
        # A service may serve several protocols (CloudWatch: CBOR, JSON and
        # query); a form-encoded request is the query one.
        if protocol not in ("json", "query") and "query" in m["metadata"].get("protocols", []) \
                and text.startswith("Action="):
            protocol = "query"
        if protocol == "json":
            try:
                value = json.loads(text) if text.strip() else {}
            except ValueError as e:
                return [f"{action}: body is not JSON ({e})"]
            return Checker(m["shapes"]).value(shape_name, value, action)
        if protocol in ("query", "ec2"):
            params = {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
            params.pop("Action", None)
            params.pop("Version", None)
            value, leftover = from_query(m["shapes"], shape_name, params, "", ec2=protocol == "ec2")
            out = [f"{action}: unknown member {k!r}" for k in sorted(leftover)]
            return out + Checker(m["shapes"]).value(shape_name, value, action)
        return []


def ec2_name(member: str, ref: dict) -> str:
    """A member's name in the EC2 protocol: its queryName, else its locationName
    or its own name with the first letter upper-cased."""
    if "queryName" in ref:
        return ref["queryName"]
    loc = ref.get("locationName", member)
    return loc[:1].upper() + loc[1:]


def from_query(shapes: dict, name: str, params: dict[str, str], prefix: str,
               ec2: bool = False) -> tuple[object, set[str]]:
    """The query protocol's flattened `A.member.1.B=v` parameters as a nested value;
    returns it with the parameter names no member claimed. The EC2 protocol is the
    query protocol with its own member names and every list flattened (`A.1.B=v`)."""
    shape = shapes[name]
    kind = shape["type"]
    if kind == "structure":
        out: dict = {}
        claimed: set[str] = set()
        for member, ref in shape.get("members", {}).items():
            loc = ec2_name(member, ref) if ec2 else ref.get("locationName", member)
            key = f"{prefix}.{loc}" if prefix else loc
            if any(k == key or k.startswith(key + ".") for k in params):
                value, _ = from_query(shapes, ref["shape"], params, key, ec2)
                out[member] = value
                claimed |= {k for k in params if k == key or k.startswith(key + ".")}
        leftover = {k for k in params if k.startswith(prefix) and k not in claimed} if not prefix else set()
        return out, leftover
    if kind == "list":
        flattened = ec2 or shape.get("flattened", False)
        base = prefix + ("." if flattened else ".member.")
        return [from_query(shapes, shape["member"]["shape"], params, f"{base}{i}", ec2)[0]
                for i in indices(params, base)], set()
    if kind == "map":
        base = prefix + ".entry."
        return {params.get(f"{base}{i}.key", ""): from_query(shapes, shape["value"]["shape"], params,
                                                              f"{base}{i}.value", ec2)[0]
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


# ---------------------------------------------------------------- REST protocols


def s3_path_style(host: str, path: str) -> str:
    """`path` as a path-style S3 request: a virtual-hosted request names its bucket in
    the Host header (`bucket.s3.us-east-1.amazonaws.com`, `bucket.localhost:4566`)."""
    h = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    m = re.match(r"^(.+?)\.s3([.-]|$)", h)
    bucket = m.group(1) if m else (h[: -len(".localhost")] if h.endswith(".localhost") else None)
    if not bucket:
        return path
    return "/" + urllib.parse.quote(bucket, safe="") + (path if path.startswith("/") else "/" + path)


class Template:
    """An operation's `http.requestUri`: its path as a pattern with one group per
    label (`{Name}` one segment, `{Name+}` the rest of the path), and the literal query
    keys (`?tagging`) or key=value pairs (`?list-type=2`) a request must carry."""

    def __init__(self, uri: str):
        path, _, q = uri.partition("?")
        self.query: list[tuple[str, str | None]] = []
        for part in filter(None, q.split("&")):
            k, eq, v = part.partition("=")
            self.query.append((k, v if eq else None))
        path = path.rstrip("/")
        regex, self.labels = "", []
        self.greedy = False
        for piece in re.split(r"(\{[^}]+\})", path):
            if piece.startswith("{"):
                name = piece[1:-1]
                greedy = name.endswith("+")
                self.greedy |= greedy
                self.labels.append(name.rstrip("+"))
                regex += "(.+)" if greedy else "([^/]+)"
            else:
                regex += re.escape(piece)
        self.regex = re.compile(regex + "/?")
        self.literals = sum(1 for seg in path.split("/") if seg and "{" not in seg)

    def match(self, path: str, params: list[tuple[str, str]]) -> dict[str, str] | None:
        """The label values (decoded) when the request fits, else None."""
        m = self.regex.fullmatch(path)
        if m is None:
            return None
        for k, v in self.query:
            if not any(pk == k and (v is None or pv == v) for pk, pv in params):
                return None
        return {name: urllib.parse.unquote(value) for name, value in zip(self.labels, m.groups())}


def local(tag: str) -> str:
    """An XML name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def scalar(shapes: dict, name: str, raw: str) -> object:
    """A URI label, header, query or XML text value as the type its shape says; left a
    string when it does not parse, so the checker reports it."""
    kind = shapes[name]["type"]
    if kind in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            return raw
    if kind in ("double", "float"):
        try:
            return float(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "list":
        return [scalar(shapes, shapes[name]["member"]["shape"], part.strip()) for part in raw.split(",")]
    return raw


class Rest:
    """One REST operation's input, gathered from a request and checked."""

    def __init__(self, model: dict, name: str, op: dict, template: Template):
        self.shapes = model["shapes"]
        self.xml = model["metadata"]["protocol"] == "rest-xml"
        self.name = name
        self.op = op
        self.template = template

    def problems(self, labels: dict[str, str], params: list[tuple[str, str]], headers: dict[str, str],
                 body: bytes) -> list[str]:
        shapes, name = self.shapes, self.name
        shape_name = self.op.get("input", {}).get("shape")
        members = shapes[shape_name].get("members", {}) if shape_name else {}
        value: dict = {}
        out: list[str] = []
        # Query keys that are not members: the template's own, the SDK's x-id, and
        # the X-Amz-* of a presigned URL.
        claimed = {k for k, _ in self.template.query} | {"x-id"}
        claimed |= {k for k, _ in params if k.lower().startswith("x-amz-")}
        query_map = None
        body_members = {}
        for member, ref in members.items():
            loc = ref.get("location")
            wire = ref.get("locationName", member)
            kind = shapes[ref["shape"]]["type"]
            if loc == "uri":
                if wire in labels:
                    value[member] = scalar(shapes, ref["shape"], labels[wire])
            elif loc == "querystring":
                if kind == "map":
                    query_map = member
                    continue
                given = [v for k, v in params if k == wire]
                claimed.add(wire)
                if given and kind == "list":
                    value[member] = [scalar(shapes, shapes[ref["shape"]]["member"]["shape"], v) for v in given]
                elif given:
                    value[member] = scalar(shapes, ref["shape"], given[0])
            elif loc == "header":
                if wire.lower() in headers:
                    value[member] = scalar(shapes, ref["shape"], headers[wire.lower()])
            elif loc == "headers":
                prefix = wire.lower()
                found = {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}
                if found:
                    value[member] = found
            elif loc is None:
                body_members[member] = ref
        leftover = [k for k, _ in params if k not in claimed]
        if query_map is not None:
            if leftover:
                value[query_map] = {k: v for k, v in params if k in leftover}
        else:
            out += [f"{name}: unknown query parameter {k!r}" for k in dict.fromkeys(leftover)]
        if shape_name is None:
            if body.strip() and body.strip() != b"{}":
                out.append(f"{name}: the operation takes no input but the request has a body")
            return out
        payload = shapes[shape_name].get("payload")
        if payload:
            ref = members[payload]
            kind = shapes[ref["shape"]]["type"]
            if kind == "blob":
                if body:
                    value[payload] = body
            elif kind == "string":
                if body:
                    value[payload] = body.decode("utf-8", "replace")
            elif body.strip():
                if self.xml:
                    wire = ref.get("locationName", payload)
                    got, problems = self.xml_body(body, wire, {payload: ref}, f"{name}")
                    out += problems
                    if payload in got:
                        value[payload] = got[payload]
                else:
                    got, problems = self.json_body(body, ref["shape"], f"{name}.{payload}")
                    out += problems
                    if got is not None:
                        value[payload] = got
        elif body.strip():
            if self.xml:
                root = self.op.get("input", {}).get("locationName", shape_name)
                if not body_members:
                    out.append(f"{name}: the input has no body members but the request has a body")
                else:
                    got, problems = self.xml_body(body, root, None, name)
                    out += problems
                    value.update(got)
            else:
                got, problems = self.json_object(body, body_members, name)
                out += problems
                value.update(got)
        return out + Checker(shapes, patterns=True).value(shape_name, value, name)

    # ---- XML (rest-xml)

    def xml_body(self, body: bytes, root: str, payload: dict | None, path: str) -> tuple[dict, list[str]]:
        """The members an XML body carries: with `payload` ({member: ref}) the whole
        document is that member; else the root's children are the input's body members."""
        try:
            doc = ET.fromstring(body)
        except ET.ParseError as e:
            return {}, [f"{path}: body is not XML ({e})"]
        if local(doc.tag) != root:
            return {}, [f"{path}: root element {local(doc.tag)!r}, expected {root!r}"]
        if payload is not None:
            (member, ref), = payload.items()
            v, problems = self.from_xml(ref["shape"], doc, f"{path}.{member}")
            return {member: v}, problems
        shape_name = self.op["input"]["shape"]
        return self.from_xml(shape_name, doc, path, body_only=True)

    def from_xml(self, name: str, elem: ET.Element, path: str, body_only: bool = False) -> tuple[object, list[str]]:
        shapes = self.shapes
        shape = shapes[name]
        kind = shape["type"]
        if kind == "structure":
            out: dict = {}
            problems: list[str] = []
            elements, attributes = {}, {}
            for member, ref in shape.get("members", {}).items():
                if body_only and ref.get("location"):
                    continue
                wire = ref.get("locationName", member)
                if ref.get("xmlAttribute"):
                    attributes[wire.rsplit(":", 1)[-1]] = (member, ref)
                else:
                    elements[wire] = (member, ref)
            for k, v in elem.attrib.items():
                if local(k) in attributes:
                    member, ref = attributes[local(k)]
                    out[member] = scalar(shapes, ref["shape"], v)
            for child in elem:
                tag = local(child.tag)
                if tag not in elements:
                    problems.append(f"{path}: unknown element {tag!r}")
                    continue
                member, ref = elements[tag]
                mshape = shapes[ref["shape"]]
                if mshape["type"] == "list" and (ref.get("flattened") or mshape.get("flattened")):
                    items = out.setdefault(member, [])
                    v, p = self.from_xml(mshape["member"]["shape"], child, f"{path}.{member}[{len(items)}]")
                    items.append(v)
                else:
                    v, p = self.from_xml(ref["shape"], child, f"{path}.{member}")
                    out[member] = v
                problems += p
            return out, problems
        if kind == "list":
            item = shape["member"].get("locationName", "member")
            items, problems = [], []
            for child in elem:
                if local(child.tag) != item:
                    problems.append(f"{path}: unknown element {local(child.tag)!r} (items are {item!r})")
                    continue
                v, p = self.from_xml(shape["member"]["shape"], child, f"{path}[{len(items)}]")
                items.append(v)
                problems += p
            return items, problems
        if kind == "map":
            kname = shape["key"].get("locationName", "key")
            vname = shape["value"].get("locationName", "value")
            entries, problems = {}, []
            for entry in elem:
                k = next((c.text or "" for c in entry if local(c.tag) == kname), "")
                vel = next((c for c in entry if local(c.tag) == vname), None)
                if vel is None:
                    problems.append(f"{path}: map entry {k!r} has no {vname!r}")
                    continue
                entries[k], p = self.from_xml(shape["value"]["shape"], vel, f"{path}[{k!r}]")
                problems += p
            return entries, problems
        if len(elem):
            return elem.text or "", [f"{path}: unexpected elements in a {kind} "
                                     f"({', '.join(local(c.tag) for c in elem)})"]
        return scalar(shapes, name, elem.text or ""), []

    # ---- JSON (rest-json)

    def json_body(self, body: bytes, shape_name: str, path: str) -> tuple[object, list[str]]:
        try:
            doc = json.loads(body)
        except ValueError as e:
            return None, [f"{path}: body is not JSON ({e})"]
        return self.from_json(shape_name, doc, path)

    def json_object(self, body: bytes, members: dict, path: str) -> tuple[dict, list[str]]:
        """The input's body members from a JSON object, keyed by their wire names."""
        try:
            doc = json.loads(body)
        except ValueError as e:
            return {}, [f"{path}: body is not JSON ({e})"]
        if not isinstance(doc, dict):
            return {}, [f"{path}: body is not a JSON object"]
        wires = {ref.get("locationName", m): m for m, ref in members.items()}
        out, problems = {}, []
        for k, v in doc.items():
            if k not in wires:
                problems.append(f"{path}: unknown member {k!r}")
                continue
            out[wires[k]], p = self.from_json(members[wires[k]]["shape"], v, f"{path}.{wires[k]}")
            problems += p
        return out, problems

    def from_json(self, name: str, v: object, path: str) -> tuple[object, list[str]]:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure" and isinstance(v, dict):
            members = shape.get("members", {})
            wires = {ref.get("locationName", m): m for m, ref in members.items()}
            out, problems = {}, []
            for k, x in v.items():
                if k not in wires:
                    problems.append(f"{path}: unknown member {k!r}")
                    continue
                out[wires[k]], p = self.from_json(members[wires[k]]["shape"], x, f"{path}.{wires[k]}")
                problems += p
            return out, problems
        if kind == "list" and isinstance(v, list):
            items, problems = [], []
            for i, x in enumerate(v):
                item, p = self.from_json(shape["member"]["shape"], x, f"{path}[{i}]")
                items.append(item)
                problems += p
            return items, problems
        if kind == "map" and isinstance(v, dict):
            entries, problems = {}, []
            for k, x in v.items():
                entries[k], p = self.from_json(shape["value"]["shape"], x, f"{path}[{k!r}]")
                problems += p
            return entries, problems
        return v, []


PATTERNS: dict[str, re.Pattern | None] = {}


def pattern(text: str) -> re.Pattern | None:
    """A model's pattern as a Python regex matched whole; None when Python cannot read
    it (Java-only syntax), which then goes unchecked."""
    if text not in PATTERNS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "possible nested set" and the like
                PATTERNS[text] = re.compile(f"(?:{text})", re.DOTALL)
        except re.error:
            PATTERNS[text] = None
    return PATTERNS[text]


class Checker:
    def __init__(self, shapes: dict, patterns: bool = False):
        self.shapes = shapes
        # Patterns are checked for the REST protocols only, so far.
        self.patterns = patterns

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
            elif self.patterns and "pattern" in shape and out == []:
                p = pattern(shape["pattern"])
                if p is not None and not p.fullmatch(v):
                    out.append(f"{path}: {v!r} does not match the pattern {shape['pattern']!r}")
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


def check_requests(ms: Models, requests: list[dict]) -> list[dict]:
    """`check_http` on requests given as JSON: {"service", "method", "path" (with its
    query string), "headers" (optional), "body" (optional text), "action" (for the
    awsJson and query protocols)}; the operation (REST only) and the violations of each."""
    out = []
    for r in requests:
        path, _, query = r["path"].partition("?")
        body = r.get("body", "").encode()
        headers = r.get("headers", {})
        if ms.protocol(r["service"]) in REST:
            op, problems = ms.check_rest(r["service"], r["method"], path, query, headers, body)
        else:
            op, problems = r.get("action"), ms.check(r["service"], r.get("action", ""), body)
        out.append({"operation": op, "problems": problems})
    return out


def self_check() -> None:
    """Each kind of violation is found, and valid requests pass."""
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
    # CloudWatch by its signing name, in the query protocol it also serves.
    alarm = {"Action": "PutMetricAlarm", "Version": "2010-08-01", "AlarmName": "s-data-freshness",
             "EvaluationPeriods": "1", "ComparisonOperator": "GreaterThanThreshold", "Period": "300",
             "Namespace": "AWS/Firehose", "MetricName": "DeliveryToS3.DataFreshness", "Statistic": "Maximum",
             "Threshold": "360", "Dimensions.member.1.Name": "DeliveryStreamName",
             "Dimensions.member.1.Value": "s", "AlarmActions.member.1": "arn:aws:sns:us-east-1:1:t"}
    q3 = urllib.parse.urlencode(alarm).encode()
    assert ms.check("monitoring", "PutMetricAlarm", q3) == [], ms.check("monitoring", "PutMetricAlarm", q3)
    alarm.update({"Statistic": "Most", "EvaluationPeriods": "0"})
    found = ms.check("monitoring", "PutMetricAlarm", urllib.parse.urlencode(alarm).encode())
    assert any("is not one of" in f for f in found) and any("below the minimum 1" in f for f in found), found
    s3 = {"Host": "127.0.0.1:5000"}
    tagging = (b'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key>'
               b'<Value>v</Value></Tag></TagSet></Tagging>')
    for method, path, query, body, op in [
        ("PUT", "/b", "", b"", "CreateBucket"),
        ("HEAD", "/b", "", b"", "HeadBucket"),
        ("GET", "/b", "tagging", b"", "GetBucketTagging"),
        ("PUT", "/b", "tagging", tagging, "PutBucketTagging"),
        ("GET", "/b", "list-type=2&max-keys=1", b"", "ListObjectsV2"),
        ("GET", "/b", "", b"", "ListObjects"),
        ("GET", "/b/k/x", "x-id=GetObject", b"", "GetObject"),
        ("DELETE", "/b", "", b"", "DeleteBucket"),
    ]:
        assert ms.check_rest("s3", method, path, query, s3, body) == (op, []), (op, ms.check_rest(
            "s3", method, path, query, s3, body))
    # Virtual-hosted style is read as path style.
    assert ms.check_rest("s3", "GET", "/", "tagging", {"Host": "b.s3.us-east-1.amazonaws.com"}) == \
        ("GetBucketTagging", [])
    bad = tagging.replace(b"</TagSet>", b"</TagSet><Bogus/>")
    op, found = ms.check_rest("s3", "PUT", "/b", "tagging", s3, bad)
    assert op == "PutBucketTagging" and any("unknown element 'Bogus'" in f for f in found), found
    cfg = b"<CreateBucketConfiguration><LocationConstraint>moon-1</LocationConstraint></CreateBucketConfiguration>"
    assert any("'moon-1' is not one of" in f for f in ms.check_rest("s3", "PUT", "/b", "", s3, cfg)[1])
    assert any("missing required member 'Tagging'" in f for f in ms.check_rest("s3", "PUT", "/b", "tagging", s3)[1])
    assert any("unknown query parameter 'bogus'" in f for f in ms.check_rest("s3", "GET", "/b", "tagging&bogus")[1])
    assert ms.check_rest("s3", "PATCH", "/b")[1] == ["no operation of s3 matches PATCH /b"]
    fc = "/2015-03-31/functions/{}/configuration"
    assert ms.check_rest("lambda", "GET", fc.format("f")) == ("GetFunctionConfiguration", [])
    arn = urllib.parse.quote("arn:aws:lambda:us-east-1:123456789012:function:f", safe="")
    assert ms.check_rest("lambda", "GET", fc.format(arn), "Qualifier=%24LATEST") == ("GetFunctionConfiguration", [])
    op, found = ms.check_rest("lambda", "GET", fc.format("f" * 257))
    assert op == "GetFunctionConfiguration" and any("more than the maximum 256" in f for f in found), found
    assert any("does not match the pattern" in f for f in ms.check_rest("lambda", "GET", fc.format("a%20b"))[1])
    assert any("unknown member 'Bogus'" in f for f in ms.check_rest(
        "lambda", "PUT", "/2015-03-31/functions/f/configuration", "", {}, b'{"Timeout": 3, "Bogus": 1}')[1])
    # EC2's protocol: query with capitalized names and flattened lists.
    subnets = urllib.parse.urlencode({"Action": "DescribeSubnets", "Version": "2016-11-15",
                                      "Filter.1.Name": "subnet-id", "Filter.1.Value.1": "subnet-1"}).encode()
    assert ms.check("ec2", "DescribeSubnets", subnets) == [], ms.check("ec2", "DescribeSubnets", subnets)
    found = ms.check("ec2", "DescribeSubnets", urllib.parse.urlencode(
        {"Action": "DescribeSubnets", "SubnetIds.member.1": "x", "MaxResults": "2"}).encode())
    assert any("unknown member 'SubnetIds.member.1'" in f for f in found), found
    assert any("below the minimum 5" in f for f in found), found
    # OpenSearch Service and Serverless by their signing names.
    assert ms.check_rest("es", "GET", "/2021-01-01/opensearch/domain/logs") == ("DescribeDomain", [])
    assert any("more than the maximum 28" in f for f in ms.check_rest(
        "es", "GET", "/2021-01-01/opensearch/domain/" + "d" * 29)[1])
    assert ms.check("aoss", "BatchGetCollection", b'{"ids": ["abc123"]}') == []
    assert ms.check("aoss", "BatchGetCollection", b'{"ids": ["x"]}') != []


if __name__ == "__main__":
    import sys  # noqa: PLC0415

    if sys.argv[1:] == ["--requests"]:
        # The tests' way in: a JSON list of requests on stdin, their results on stdout.
        print(json.dumps(check_requests(Models(), json.load(sys.stdin))))
    else:
        self_check()
        print("api_models: self-check passed")
