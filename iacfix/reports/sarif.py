"""SARIF 2.1.0 (OASIS): what GitHub code scanning and other viewers read.

One run; ``tool.driver.rules`` holds every rule that a result refers to,
with its summary, its ``iacfix explain`` text and the page its facts come
from; each result carries its fix as SARIF ``fixes`` (one artifact change,
one replacement per edit).  Columns count Unicode code points, as iacfix's
do (``columnKind``).  Suppressed findings are results with an in-source
suppression and its justification; files that could not be read are tool
execution notifications.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

from .. import __version__
from ..baseline import fingerprints
from ..rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def uri(path: str) -> str:
    if os.path.isabs(path):
        return Path(path).as_uri()
    return urllib.parse.quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _region(line, column, end_line, end_column) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _rule(code: str) -> dict:
    r = RULES[code]
    docs = r.docs()
    return {"id": code, "name": r.name, "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.summary}, "help": {"text": docs, "markdown": docs},
            "helpUri": r.url, "defaultConfiguration": {"level": LEVEL[r.severity]},
            "properties": {"tags": list(r.tags)}}


def _result(f, index: dict, fingerprint: str, suppressed: bool) -> dict:
    out = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVEL[f.severity],
           "message": {"text": f.message},
           "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(f.path)},
                                               "region": _region(f.line, f.column, f.end_line, f.end_column)}}],
           "partialFingerprints": {"iacfix/v1": fingerprint},
           "properties": {"runtime": f.runtime, "provider": f.provider, "usedBy": f.users,
                          **({"deadlines": f.deadlines} if f.deadlines else {}),
                          **({"fixUnavailable": f.fix_unavailable} if f.fix_unavailable else {})}}
    if f.where is not None and f.where.name:
        out["locations"][0]["logicalLocations"] = [{"name": f.where.name,
                                                    "kind": "resource" if f.where.kind == "resource" else "variable"}]
    if f.fix is not None:
        out["fixes"] = [{"description": {"text": f.fix.title + ("" if f.fix.applicability == "safe"
                                                                 else " (applied only with --unsafe-fixes)")},
                         "artifactChanges": [{"artifactLocation": {"uri": uri(f.path)}, "replacements": [
                             {"deletedRegion": _region(*lines), "insertedContent": {"text": e.text}}
                             for e, lines in zip(f.fix.edits, f.fix.lines)]}]}]
    if suppressed:
        s = f.data.get("suppression") or {}
        out["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                **({"justification": s["reason"]} if s.get("reason") else {})}]
    return out


def sarif(results) -> str:
    findings = [(f, False) for r in results for f in r.findings] + [(f, True) for r in results for f in r.suppressed]
    codes = sorted({f.rule for f, _ in findings})
    index = {c: i for i, c in enumerate(codes)}
    prints = fingerprints([f for f, _ in findings])
    errors = [e for r in results for e in r.errors]
    run = {
        "tool": {"driver": {"name": "iacfix", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(c) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, p, s) for (f, s), p in zip(findings, prints)],
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": [
            {"level": "error", "message": {"text": e.message},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(e.path)},
                                                 "region": {"startLine": e.line, "startColumn": e.column}}}]}
            for e in errors]}],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2) + "\n"
