"""Output: ruff-like text and a stable JSON contract (the CI formats are in ``iacfix.reports``)."""

from __future__ import annotations

import json
import re

import click

from .engine import FileResult
from .pool import RunStats

COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


# What a terminal would act on (C0 and C1 controls, DEL) and what cannot be
# printed as UTF-8 (a lone surrogate: a file-name byte that is not UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# How a FileError for a fix that was not written begins (a write error, a file
# changed underneath, a worker lost while fixing it).
WRITE_FAILURE = ("cannot write", "changed while iacfix", "worker process died")
MISSING = "no such file or directory"  # a path given that does not exist (discovery)


def _escape(m: re.Match) -> str:
    c = m.group()
    o = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if 0xDC80 <= o <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte: show the byte
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def printable(text: str) -> str:
    """One line of valid text: control characters escaped (``a\\nb.yaml``), a
    file-name byte that is not UTF-8 shown as ``\\xff``."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def _c_quote(name: str) -> str:
    """A file name quoted as git quotes one in a diff header (``patch`` reads it)."""
    try:
        data = name.encode("utf-8", "surrogateescape")  # the file name's own bytes
    except UnicodeEncodeError:
        data = name.encode("utf-8", "surrogatepass")
    out = []
    for b in data:
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif c in _NAMED:
            out.append(_NAMED[c])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _diff(result: FileResult) -> str:
    """The result's diff, its file names quoted when they hold what a header cannot."""
    path, diff = result.path, result.diff
    head = f"--- a/{path}\n+++ b/{path}\n"
    if _UNSAFE.search(path) and diff.startswith(head):
        diff = f"--- {_c_quote('a/' + path)}\n+++ {_c_quote('b/' + path)}\n" + diff[len(head):]
    elif " " in path and diff.startswith(head):  # as git writes it: patch reads a name with spaces up to a tab
        diff = f"--- a/{path}\t\n+++ b/{path}\t\n" + diff[len(head):]
    return diff


def _no_surrogates(text: str, escape) -> str:
    """``text`` with each lone surrogate (which UTF-8 cannot encode) replaced by
    ``escape(match)``; quick when there is none, as in nearly every run."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(escape, text)
    return text


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
            lines.append(_diff(r).rstrip("\n"))
    for r in results:  # one line each, whatever a file name holds
        for e in r.errors:
            lines.append(f"{style(printable(e.path), bold=True)}:{e.line}:{e.column}: "
                         f"{style('error', fg='red', bold=True)}: {printable(e.message)}")
        for f in r.findings:
            code = style(f.rule, fg=COLOURS[f.severity], bold=True)
            lines.append(f"{style(printable(f.path), bold=True)}:{f.line}:{f.column}: {code} [{f.severity}] "
                         f"{printable(f.message)}")
        if r.refused:
            lines.append(f"{style(printable(r.path), bold=True)}: {style('warning', fg='yellow')}: {printable(r.refused)}")
        lines.extend(printable(n) for n in r.notes)
    findings, errors = _counts(results)
    by = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    files = len({f.path for f in findings})
    detail = ", ".join(f"{n} {s}" if s == "info" else _plural(n, s) for s, n in by.items() if n)
    if fix:
        fixed = sum(len(r.fixed) for r in results)
        fixed_files = sum(1 for r in results if r.fixed)
        verb = "Fixed" if write else "Would fix"
        summary = f"{verb} {_plural(fixed, 'site')} in {_plural(fixed_files, 'file')}" + (f" (target {target})" if fixed else "")
        remain = ("remains" if len(findings) == 1 else "remain") if write else "would remain"
        summary += f"; {_plural(len(findings), 'finding')} {remain}"
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
        unwritten = {e.path for e in errors if e.message.startswith(WRITE_FAILURE)}
        missing = {e.path for e in errors if e.message == MISSING}
        unread = {e.path for e in errors if not e.message.startswith(WRITE_FAILURE)} - missing
        failed = ([f"{_plural(len(missing), 'path')} given {'does' if len(missing) == 1 else 'do'} not exist"]
                  if missing else []) + \
                 ([f"{_plural(len(unread), 'file')} could not be read or parsed"] if unread else []) + \
                 ([f"{_plural(len(unwritten), 'file')} could not be written"] if unwritten else [])
        summary += " " + "; ".join(failed) + "."
    lines.append(summary)
    return _no_surrogates("\n".join(lines), _escape)


def as_json(results: list[FileResult], **kw) -> str:
    return "".join(json_chunks(results, **kw))


def json_chunks(results: list[FileResult], *, as_of: str, fix: bool, write: bool, target: str | None):
    """The JSON document in pieces, one list item per line, each encoded by
    json's C encoder as it is written (``indent`` would switch to the
    pure-Python one; a whole document held at once costs memory)."""
    def items():
        yield "version", 1
        yield "as_of", as_of
        yield "findings", (f.to_json() for r in results for f in r.findings)
        yield "errors", (e.to_json() for r in results for e in r.errors)
        yield "suppressed", (f.to_json() for r in results for f in r.suppressed)
        if fix:
            yield "target", target
            yield "written", write  # v1: whether this run writes files at all
            yield "files_written", sum(1 for r in results if r.written)
            yield "fixed", (dict(f.to_json(), fixed=True) for r in results for f in r.fixed)
            yield "not_fixed", ({"path": r.path, "message": r.refused} for r in results if r.refused)
            yield "notes", (n for r in results for n in r.notes)
            if any(r.diff for r in results):
                yield "diffs", ({"path": r.path, "diff": _diff(r)} for r in results if r.diff)

    # A lone surrogate (a file-name byte that is not UTF-8) cannot be written as
    # UTF-8: give it as a JSON escape, which reads back as the same string.
    def dumps(value) -> str:
        return _no_surrogates(json.dumps(value, ensure_ascii=False), lambda m: f"\\u{ord(m.group()):04x}")

    yield "{"
    for n, (key, value) in enumerate(items()):
        head = f'{"," if n else ""}\n  "{key}": '
        if not isinstance(value, (str, int, bool, type(None))):
            first = True
            for item in value:
                yield (head + "[\n    " if first else ",\n    ") + dumps(item)
                first = False
            yield head + "[]" if first else "\n  ]"
        else:
            yield head + dumps(value)
    yield "\n}\n"
