"""Output: ruff-like text, a stable JSON contract, GitHub annotations."""

from __future__ import annotations

import json

import click

from .engine import FileResult
from .pool import RunStats

COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(results: list[FileResult]):
    findings = [f for r in results for f in r.findings]
    errors = [e for r in results for e in r.errors]
    return findings, errors


def text(results: list[FileResult], stats: RunStats, *, fix: bool, write: bool, target: str | None, colour: bool) -> str:
    lines = []
    style = (lambda s, **kw: click.style(s, **kw)) if colour else (lambda s, **kw: s)
    for r in results:
        if r.diff:
            lines.append(r.diff.rstrip("\n"))
    for r in results:
        for e in r.errors:
            lines.append(f"{style(e.path, bold=True)}:{e.line}:{e.column}: {style('error', fg='red', bold=True)}: {e.message}")
        for f in r.findings:
            code = style(f.rule, fg=COLOURS[f.severity], bold=True)
            lines.append(f"{style(f.path, bold=True)}:{f.line}:{f.column}: {code} [{f.severity}] {f.message}")
        if r.refused:
            lines.append(f"{style(r.path, bold=True)}: {style('warning', fg='yellow')}: {r.refused}")
        lines.extend(r.notes)
    findings, errors = _counts(results)
    by = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    files = len({f.path for f in findings})
    detail = ", ".join(f"{n} {s}" if s == "info" else _plural(n, s) for s, n in by.items() if n)
    if fix:
        fixed = sum(len(r.fixed) for r in results)
        fixed_files = sum(1 for r in results if r.fixed)
        verb = "Fixed" if write else "Would fix"
        summary = f"{verb} {_plural(fixed, 'site')} in {_plural(fixed_files, 'file')}" + (f" (target {target})" if fixed else "")
        summary += f"; {_plural(len(findings), 'finding')} remain{'s' if len(findings) == 1 else ''}"
        summary += (f" ({detail})" if detail else "") + "."
        hidden = sum(1 for f in findings if f.fix is not None and not f.fixable)
        if hidden:
            summary += f" {hidden} more fixable with `--unsafe-fixes`."
    elif findings:
        fixable = sum(1 for f in findings if f.fixable)
        hidden = sum(1 for f in findings if f.fix is not None and not f.fixable)
        summary = f"Found {_plural(len(findings), 'finding')} ({detail}) in {_plural(files, 'file')}"
        if fixable:
            summary += f"; {fixable} fixable with `iacfix fix`" + (f" ({hidden} more with `--unsafe-fixes`)" if hidden else "")
        elif hidden:
            summary += f"; {hidden} fixable with `iacfix fix --unsafe-fixes`"
        summary += "."
    else:
        summary = f"No findings in {_plural(stats.templates, 'file')} with runtimes ({_plural(stats.files, 'file')} read)."
    if errors:
        summary += f" {_plural(len({e.path for e in errors}), 'file')} could not be read{', parsed or written' if write else ' or parsed'}."
    lines.append(summary)
    return "\n".join(lines)


def as_json(results: list[FileResult], *, as_of: str, fix: bool, write: bool, target: str | None) -> str:
    findings, errors = _counts(results)
    doc = {
        "version": 1,
        "as_of": as_of,
        "findings": [f.to_json() for f in findings],
        "errors": [e.to_json() for e in errors],
    }
    if fix:
        doc["target"] = target
        doc["written"] = write  # v1: whether this run writes files at all
        doc["files_written"] = sum(1 for r in results if r.written)
        doc["fixed"] = [dict(f.to_json(), fixed=True) for r in results for f in r.fixed]
        doc["not_fixed"] = [{"path": r.path, "message": r.refused} for r in results if r.refused]
        doc["notes"] = [n for r in results for n in r.notes]
        if any(r.diff for r in results):
            doc["diffs"] = [{"path": r.path, "diff": r.diff} for r in results if r.diff]
    # One list item per line, each encoded by json's C encoder (``indent``
    # would switch to the pure-Python one, which costs more than the check).
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  "{key}": [\n    {items}\n  ]')
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github(results: list[FileResult], **_) -> str:
    """GitHub Actions workflow commands: annotations on the pull request."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for r in results:
        for e in r.errors:
            out.append(f"::error file={_gh_property(e.path)},line={e.line},col={e.column},"
                       f"title=iacfix::{_gh_data(e.message)}")
        for f in r.findings:
            out.append(
                f"::{level[f.severity]} file={_gh_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                f"endColumn={f.end_column},title={_gh_property('iacfix ' + f.rule)}::{_gh_data(f.message)}"
            )
    return "\n".join(out)
