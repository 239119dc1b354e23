"""Outputs for CI and people beyond ``iacfix.reporters`` (text, JSON): SARIF,
GitLab Code Quality, Markdown, capped GitHub annotations with a step summary,
and ``--statistics``.  ``emit`` writes the chosen one to standard output or
to ``--output-file``."""

from __future__ import annotations

import functools
import os
import sys
from collections import Counter


from .. import reporters
from ..command import echo, unstyle
from ..records import dataclass
from ..spool import Spill

FORMATS = ("text", "json", "github", "sarif", "gitlab", "markdown")


@dataclass
class Output:
    """How a run's results are written: format, destination and what to show."""

    fmt: str = "text"
    output_file: str | None = None
    max_annotations: int | None = 10
    quiet: bool = False
    show_fixes: bool = False
    statistics: bool = False
    colour: bool | None = None  # None: on a terminal, unless NO_COLOR; FORCE_COLOR forces it
    baselined: int = 0  # findings the baseline held back


def use_colour(stream) -> bool:
    """FORCE_COLOR (any value but empty or 0) wins, then NO_COLOR (any non-empty value), then a terminal."""
    force = os.environ.get("FORCE_COLOR", "")
    if force and force != "0":
        return True
    if os.environ.get("NO_COLOR", ""):
        return False
    return stream.isatty()


class Statistics:
    """Counts per rule and runtime, most frequent first (ruff's --statistics)."""

    def __init__(self):
        self.counts, self.fixable = Counter(), Counter()

    def add(self, r) -> None:
        for f in r.findings:
            self.counts[(f.rule, f.runtime or "-")] += 1
            if f.fixable:
                self.fixable[(f.rule, f.runtime or "-")] += 1

    def text(self) -> str:
        from ..rules import RULES

        counts, fixable = self.counts, self.fixable
        rows = [(str(n), rule, runtime, RULES[rule].name, f"{fixable[(rule, runtime)]} fixable" if fixable[(rule, runtime)] else "")
                for (rule, runtime), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        if not rows:
            return "No findings."
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        return "\n".join("  ".join(c.rjust(w) if i == 0 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                         for r in rows)


class Fixes:
    """``--show-fixes``: each fix a finding carries (check) or each fix applied (fix), one line each."""

    def __init__(self):
        self.lines = Spill()

    def add(self, r) -> None:
        for f in r.fixed:
            self.lines.write(f"{f.path}:{f.line}:{f.column}: fixed {f.rule}: {f.fix.title}\n")
        for f in r.findings:
            if f.fix is not None:
                tag = "" if f.fixable else " [not applied: --unsafe-fixes]"
                self.lines.write(f"{f.path}:{f.line}:{f.column}: {f.rule} fix ({f.fix.applicability}): "
                                 f"{f.fix.title}{tag}\n")


class _tee:
    """``results`` for a report that iterates them itself (maybe twice): each
    of ``consumers`` sees each result once, on the first pass."""

    def __init__(self, results, consumers):
        self.results, self.consumers, self.passes = results, consumers, 0

    def __iter__(self):
        self.passes += 1
        for r in self.results:
            if self.passes == 1:
                for consume in self.consumers:
                    consume(r)
            yield r


def emit(results, stats, out: Output, *, as_of: str, fix: bool, write: bool, target: str | None) -> None:
    """Write the report on ``results`` (in path order), iterating them once: each
    result is written, or counted and kept as text, as it comes."""
    common = dict(fix=fix, write=write, target=target)
    stream = open(out.output_file, "w", encoding="utf-8", errors="backslashreplace") if out.output_file else None
    try:
        _emit(results, stats, out, stream, as_of, common)
    finally:
        if stream is not None:
            stream.close()


def _emit(results, stats, out: Output, stream, as_of: str, common: dict) -> None:
    def put(text: str, colour: bool = False) -> None:
        """Text as it comes, line ends included."""
        text = reporters._no_surrogates(text, reporters._escape)
        if stream is not None:
            stream.write(unstyle(text))
        elif text:
            echo(text, nl=False, color=colour)

    def say(text: str, colour: bool = False) -> None:
        if stream is not None or text:
            put(text + "\n", colour)

    fmt = out.fmt
    consumers, report = [], None
    if fmt == "json":
        target = stream or sys.stdout
        report = reporters.Json(target.write, as_of=as_of, fix=common["fix"], write_files=common["write"],
                                target=common["target"])
    elif fmt == "text" and not out.statistics:
        colour = False if stream is not None else (use_colour(sys.stdout) if out.colour is None else out.colour)
        report = reporters.Text(functools.partial(put, colour=colour), stats, fix=common["fix"],
                                write_files=common["write"], target=common["target"], colour=colour)
    if report is not None:
        consumers.append(report.add)
    elif fmt == "markdown" or fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from .markdown import Markdown

        summary = Markdown(as_of, stats.foreign)
        consumers.append(summary.add)
    if fmt == "github":
        from .github import Github

        annotations = Github(out.max_annotations)
        consumers.append(annotations.add)
    counts = Statistics() if out.statistics else None
    if counts is not None:
        consumers.append(counts.add)
    shown = Fixes() if out.show_fixes and fmt == "text" else None
    if shown is not None:
        consumers.append(shown.add)
    if fmt in ("sarif", "gitlab"):  # these write as they iterate (SARIF twice: its rules come first)
        from .gitlab import gitlab
        from .sarif import sarif

        listed = (counts.add,) if counts is not None else ()
        pieces: list[str] = []  # written 64 KB at a time, not item by item

        def gather(text: str) -> None:
            pieces.append(text)
            if len(pieces) >= 256:
                put("".join(pieces))
                pieces.clear()

        (sarif if fmt == "sarif" else gitlab)(_tee(results, listed), gather, stats.foreign)
        put("".join(pieces))
    else:
        for r in results:
            for consume in consumers:
                consume(r)

    if fmt == "json":
        report.finish()
        target.flush()
    elif fmt == "markdown":
        say(summary.text().rstrip("\n"))
    elif fmt == "github":
        text, left = annotations.text()
        if text:
            say(text)
        path = os.environ.get("GITHUB_STEP_SUMMARY")
        if left:
            where = " (the step summary counts them all, by deadline)" if path else ""
            say(f"iacfix: {left} more annotations not shown: GitHub shows {out.max_annotations} of each type "
                f"per step{where}; raise --max-annotations or use --format sarif")
        if path:
            try:
                with open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
                    fh.write(summary.text() + "\n")
            except OSError as e:  # the annotations are out; a summary that cannot be written is no reason to stop
                echo(f"iacfix: cannot write the step summary to {path}: {e.strerror or e}", err=True)
    elif fmt == "text" and out.statistics:
        say(counts.text())
    elif fmt == "text":
        report.finish(quiet=out.quiet, baselined=out.baselined)
    if shown is not None and shown.lines:
        if not out.quiet:
            say("\nFixes:")
        for chunk in shown.lines.chunks():
            put(chunk)
    if out.statistics and fmt != "text":
        echo(counts.text(), err=True)
