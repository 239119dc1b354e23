"""Output: ruff-like text and a stable JSON contract (the CI formats are in ``iacfix.reports``)."""

from __future__ import annotations

import json
import re


from .command import style
from .engine import FileResult
from .lazy_re import compiled_on_use
from .pool import RunStats
from .spool import Distinct, Spill

COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


# What a terminal would act on (C0 and C1 controls, DEL) and what cannot be
# printed as UTF-8 (a lone surrogate: a file-name byte that is not UTF-8).
_UNSAFE = compiled_on_use("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # the text output's; 0.5 ms to compile
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


class Text:
    """The text report, written as results arrive in path order: diffs at
    once, one line per error, finding, refusal and note kept in a ``Spill``
    until the diffs are out, then the summary, counted on the way."""

    def __init__(self, write, stats: RunStats, *, fix: bool, write_files: bool, target: str | None, colour: bool):
        self.write, self.stats, self.fix, self.write_files, self.target = write, stats, fix, write_files, target
        self.style = style if colour else (lambda s, **kw: s)
        self.lines = Spill()
        self.by = {"error": 0, "warning": 0, "info": 0}
        self.files = Distinct(stats.foreign)  # paths with findings
        self.fixed = self.fixed_files = self.fixable = self.hidden = self.suppressed = 0
        self.unwritten, self.missing, self.unread = set(), set(), set()

    def add(self, r: FileResult) -> None:
        style, lines = self.style, self.lines
        if r.diff:
            self.write(_diff(r).rstrip("\n") + "\n")
        for e in r.errors:  # one line each, whatever a file name holds
            lines.write(f"{style(printable(e.path), bold=True)}:{e.line}:{e.column}: "
                        f"{style('error', fg='red', bold=True)}: {printable(e.message)}\n")
            if e.message.startswith(WRITE_FAILURE):
                self.unwritten.add(e.path)
            elif e.message == MISSING:
                self.missing.add(e.path)
            else:
                self.unread.add(e.path)
        for f in r.findings:
            code = style(f.rule, fg=COLOURS[f.severity], bold=True)
            lines.write(f"{style(printable(f.path), bold=True)}:{f.line}:{f.column}: {code} [{f.severity}] "
                        f"{printable(f.message)}\n")
            self.by[f.severity] += 1
            self.fixable += f.fixable
            self.hidden += f.fix is not None and not f.fixable
        self.files.add((f.path,) for f in r.findings)
        if r.refused:
            lines.write(f"{style(printable(r.path), bold=True)}: {style('warning', fg='yellow')}: {printable(r.refused)}\n")
        for n in r.notes:
            lines.write(printable(n) + "\n")
        self.fixed += len(r.fixed)
        self.fixed_files += bool(r.fixed)
        self.suppressed += len(r.suppressed)

    def summary(self) -> str:
        by, findings = self.by, sum(self.by.values())
        detail = ", ".join(f"{n} {s}" if s == "info" else _plural(n, s) for s, n in by.items() if n)
        if self.fix:
            verb = "Fixed" if self.write_files else "Would fix"
            summary = (f"{verb} {_plural(self.fixed, 'site')} in {_plural(self.fixed_files, 'file')}"
                       + (f" (target {self.target})" if self.fixed else ""))
            remain = ("remains" if findings == 1 else "remain") if self.write_files else "would remain"
            summary += f"; {_plural(findings, 'finding')} {remain}"
            summary += (f" ({detail})" if detail else "") + "."
            if self.hidden:
                summary += f" {self.hidden} more fixable with `--unsafe-fixes`."
        elif findings:
            fixable, hidden = self.fixable, self.hidden
            summary = f"Found {_plural(findings, 'finding')} ({detail}) in {_plural(len(self.files), 'file')}"
            if fixable:
                summary += f"; {fixable} fixable with `iacfix fix`" + (f" ({hidden} more with `--unsafe-fixes`)" if hidden else "")
            elif hidden:
                summary += f"; {hidden} fixable with `iacfix fix --unsafe-fixes`"
            summary += "."
        else:
            summary = (f"No findings in {_plural(self.stats.templates, 'file')} with runtimes "
                       f"({_plural(self.stats.files, 'file')} read).")
        if self.unwritten or self.missing or self.unread:
            missing, unread, unwritten = self.missing, self.unread - self.missing, self.unwritten
            failed = ([f"{_plural(len(missing), 'path')} given {'does' if len(missing) == 1 else 'do'} not exist"]
                      if missing else []) + \
                     ([f"{_plural(len(unread), 'file')} could not be read or parsed"] if unread else []) + \
                     ([f"{_plural(len(unwritten), 'file')} could not be written"] if unwritten else [])
            summary += " " + "; ".join(failed) + "."
        return summary

    def finish(self, *, quiet: bool = False, baselined: int = 0) -> None:
        """The lines kept, then the summary (none when ``quiet``)."""
        for chunk in self.lines.chunks():
            self.write(chunk)
        if quiet:
            return
        summary = self.summary()
        if self.suppressed:
            summary += f" {self.suppressed} suppressed by iacfix: ignore comments or Metadata."
        if baselined:
            summary += f" {baselined} more held back by the baseline."
        self.write(summary + "\n")


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(value, ensure_ascii=False) without a new encoder per item


class Json:
    """The JSON document, written as results arrive in path order: findings at
    once, the other lists kept in a ``Spill`` each until the findings are out,
    one list item per line, each encoded by json's C encoder (``indent`` would
    switch to the pure-Python one; a whole document held at once costs memory)."""

    LISTS = ("errors", "suppressed", "fixed", "not_fixed", "notes", "diffs")

    def __init__(self, write, *, as_of: str, fix: bool, write_files: bool, target: str | None):
        self.out, self.as_of, self.fix, self.write_files, self.target = write, as_of, fix, write_files, target
        self.kept = {key: Spill() for key in self.LISTS}
        self.counts = dict.fromkeys(("findings",) + self.LISTS, 0)
        self.files_written = 0
        self.out("{" + self._head(0, "version") + self.dumps(1) + self._head(1, "as_of") + self.dumps(as_of))

    # A lone surrogate (a file-name byte that is not UTF-8) cannot be written as
    # UTF-8: give it as a JSON escape, which reads back as the same string.
    @staticmethod
    def dumps(value) -> str:
        return _no_surrogates(_JSON.encode(value), lambda m: f"\\u{ord(m.group()):04x}")

    @staticmethod
    def _head(n: int, key: str) -> str:
        return f'{"," if n else ""}\n  "{key}": '

    def _item(self, key: str, value, write) -> None:
        first = not self.counts[key]
        self.counts[key] += 1
        write(("[\n    " if first else ",\n    ") + self.dumps(value))

    def add(self, r: FileResult) -> None:
        if r.findings and not self.counts["findings"]:
            self.out(self._head(2, "findings"))
        for f in r.findings:
            self._item("findings", f.to_json(), self.out)
        kept = self.kept
        for e in r.errors:
            self._item("errors", e.to_json(), kept["errors"].write)
        for f in r.suppressed:
            self._item("suppressed", f.to_json(), kept["suppressed"].write)
        if not self.fix:
            return
        self.files_written += r.written
        for f in r.fixed:
            self._item("fixed", dict(f.to_json(), fixed=True), kept["fixed"].write)
        if r.refused:
            self._item("not_fixed", {"path": r.path, "message": r.refused}, kept["not_fixed"].write)
        for n in r.notes:
            self._item("notes", n, kept["notes"].write)
        if r.diff:
            self._item("diffs", {"path": r.path, "diff": _diff(r)}, kept["diffs"].write)

    def _close(self, n: int, key: str) -> None:
        """A list's end (its items already out, or kept), or ``[]``."""
        if not self.counts[key]:
            self.out(self._head(n, key) + "[]")
            return
        if key != "findings":
            self.out(self._head(n, key))
            for chunk in self.kept[key].chunks():
                self.out(chunk)
        self.out("\n  ]")

    def finish(self) -> None:
        for n, key in enumerate(("findings", "errors", "suppressed"), 2):
            self._close(n, key)
        if self.fix:
            self.out(self._head(5, "target") + self.dumps(self.target) + self._head(6, "written")
                     + self.dumps(self.write_files) + self._head(7, "files_written") + self.dumps(self.files_written))
            for n, key in enumerate(("fixed", "not_fixed", "notes"), 8):
                self._close(n, key)
            if self.counts["diffs"]:
                self._close(11, "diffs")
        self.out("\n}\n")
