"""GitLab Code Quality: a JSON array of issues (a subset of Code Climate's
format) that GitLab shows in merge requests.  Keys as GitLab documents them:
``description``, ``check_name``, ``fingerprint``, ``severity``,
``location.path`` and ``location.lines.begin``
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
Fingerprints are hashes of the baseline key (path, rule, runtime, logical
location), so an issue keeps its identity when lines move."""

from __future__ import annotations

import hashlib
import json

from ..baseline import fingerprint, key
from ..spool import Occurrences
from .jsonlist import JsonList

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def gitlab(results, write, foreign: frozenset[str] = frozenset()) -> None:
    """The report as ``json.dumps(issues, indent=1)`` writes it, issue by issue
    as results come: findings, then the files that could not be read (kept
    until then)."""
    issues = JsonList(write, 1, "")
    seen = Occurrences(foreign)
    for r in results:
        seen.next_result()
        for f in r.findings:
            k = key(f)
            issues.add({"type": "issue", "check_name": f.rule, "description": f"{f.rule} {f.message}",
                        "categories": ["Bug Risk"], "fingerprint": fingerprint(k, seen(k)),
                        "severity": SEVERITY[f.severity],
                        "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}}})
        for e in r.errors:
            issues.keep({"type": "issue", "check_name": "iacfix-error", "description": e.message,
                         "categories": ["Bug Risk"], "fingerprint": _error_fingerprint(e), "severity": "blocker",
                         "location": {"path": e.path, "lines": {"begin": e.line}}})
    issues.close()
    write("\n")


def _error_fingerprint(e) -> str:
    return hashlib.sha256(json.dumps(["error", e.path, e.message]).encode("utf-8", "surrogatepass")).hexdigest()
