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

from ..baseline import fingerprints

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def gitlab(results) -> str:
    findings = [f for r in results for f in r.findings]
    issues = [{"type": "issue", "check_name": f.rule, "description": f"{f.rule} {f.message}",
               "categories": ["Bug Risk"], "fingerprint": p, "severity": SEVERITY[f.severity],
               "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}}}
              for f, p in zip(findings, fingerprints(findings))]
    issues += [{"type": "issue", "check_name": "iacfix-error", "description": e.message, "categories": ["Bug Risk"],
                "fingerprint": _error_fingerprint(e), "severity": "blocker",
                "location": {"path": e.path, "lines": {"begin": e.line}}}
               for r in results for e in r.errors]
    return json.dumps(issues, indent=1) + "\n"


def _error_fingerprint(e) -> str:
    return hashlib.sha256(json.dumps(["error", e.path, e.message]).encode("utf-8", "surrogatepass")).hexdigest()
