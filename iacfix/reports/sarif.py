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
from collections import Counter
from pathlib import Path

from .. import __version__
from ..baseline import fingerprint, key
from ..rules import RULES
from ..spool import Occurrences
from .jsonlist import JsonList

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


def _notification(e) -> dict:
    return {"level": "error", "message": {"text": e.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(e.path)},
                                                "region": {"startLine": e.line, "startColumn": e.column}}}]}


_RESULTS, _ERRORS = "\x00results", "\x00errors"  # where the lists go in the document's frame


def _slot(frame: str, name: str) -> tuple[str, str, str]:
    """(text before, the indentation of the line, text after) the list ``name`` in ``frame``."""
    mark = json.dumps(name)
    before, after = frame.split(mark)
    line = before[before.rindex("\n") + 1:]
    return before, line[:len(line) - len(line.lstrip())], after


def sarif(results, write, foreign: frozenset[str] = frozenset()) -> None:
    """The SARIF document, written as ``json.dumps(document, indent=2)`` would
    write it: one pass over ``results`` for the rules they refer to (listed
    before the results) and the findings at ``foreign`` paths (their
    fingerprints count across files), then one that writes the results as
    they come (suppressed ones and errors kept until then).  Findings first,
    then suppressed ones, each numbered by its key's occurrence."""
    codes, totals, errors = set(), Counter(), False
    for r in results:
        for f in r.findings:
            codes.add(f.rule)
            if f.path in foreign:
                totals[key(f)] += 1
        codes.update(f.rule for f in r.suppressed)
        errors = errors or bool(r.errors)
    codes = sorted(codes)
    index = {c: i for i, c in enumerate(codes)}
    run = {
        "tool": {"driver": {"name": "iacfix", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(c) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "results": _RESULTS,
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": _ERRORS}],
    }
    frame = json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
    head, outer, rest = _slot(frame, _RESULTS)
    middle, errors_outer, tail = _slot(rest, _ERRORS)
    write(head)
    found = JsonList(write, 2, outer)
    notes = JsonList(write, 2, errors_outer)
    seen, suppressed = Occurrences(foreign), Counter()  # suppressed findings at foreign paths, so far
    for r in results:
        seen.next_result()
        for f in r.findings:
            k = key(f)
            found.add(_result(f, index, fingerprint(k, seen(k)), False))
        for f in r.suppressed:
            k = key(f)
            if f.path in foreign:  # after every finding of its key, in every file
                suppressed[k] += 1
                n = totals[k] + suppressed[k]
            else:  # after the findings of its key, all in this file
                n = seen(k)
            found.keep(_result(f, index, fingerprint(k, n), True))
        for e in r.errors:
            notes.keep(_notification(e))
    found.close()
    write(middle)
    notes.close()
    write(tail)
