"""GitHub Actions annotations, capped: GitHub shows at most 10 annotations of
each type (error, warning, notice) per step and drops the rest, so iacfix
prints the most urgent ``cap`` of each (files that could not be read first,
then by rule, RT001 first, and the soonest deadline) and says how many it left out.  With
``$GITHUB_STEP_SUMMARY`` set, the full Markdown summary goes there."""

from __future__ import annotations

from .markdown import deadline

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
DEFAULT_CAP = 10


def _gh_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _urgency(f):
    """Rules are numbered most urgent first (RT001 update blocked ... RT005); then the soonest deadline."""
    d = deadline(f)
    return (f.rule, d[0] if d else "9999-99-99", f.path, f.line, f.column)


def github(results, cap: int | None = DEFAULT_CAP) -> tuple[str, int]:
    """(annotation lines, how many were left out)."""
    out, left = [], 0
    errors = [e for r in results for e in r.errors]
    findings = sorted((f for r in results for f in r.findings), key=_urgency)
    shown = {"error": 0, "warning": 0, "notice": 0}

    def room(level: str) -> bool:
        nonlocal left
        if cap is not None and shown[level] >= cap:
            left += 1
            return False
        shown[level] += 1
        return True

    for e in errors:
        if room("error"):
            out.append(f"::error file={_gh_property(e.path)},line={e.line},col={e.column},"
                       f"title=iacfix::{_gh_data(e.message)}")
    for f in findings:
        level = LEVEL[f.severity]
        if room(level):
            out.append(f"::{level} file={_gh_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                       f"endColumn={f.end_column},title={_gh_property('iacfix ' + f.rule)}::{_gh_data(f.message)}")
    return "\n".join(out), left
