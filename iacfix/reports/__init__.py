"""Outputs for CI and people beyond ``iacfix.reporters`` (text, JSON): SARIF,
GitLab Code Quality, Markdown, capped GitHub annotations with a step summary,
and ``--statistics``.  ``emit`` writes the chosen one to standard output or
to ``--output-file``."""

from __future__ import annotations

import os
import sys
from collections import Counter

import click

from .. import reporters
from ..records import dataclass

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


def statistics(results) -> str:
    """Counts per rule and runtime, most frequent first (ruff's --statistics)."""
    counts = Counter((f.rule, f.runtime or "-") for r in results for f in r.findings)
    fixable = Counter((f.rule, f.runtime or "-") for r in results for f in r.findings if f.fixable)
    from ..rules import RULES

    rows = [(str(n), rule, runtime, RULES[rule].name, f"{fixable[(rule, runtime)]} fixable" if fixable[(rule, runtime)] else "")
            for (rule, runtime), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if not rows:
        return "No findings."
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.rjust(w) if i == 0 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                     for r in rows)


def fixes(results) -> list[str]:
    """``--show-fixes``: each fix a finding carries (check) or each fix applied (fix)."""
    lines = []
    for r in results:
        for f in r.fixed:
            lines.append(f"{f.path}:{f.line}:{f.column}: fixed {f.rule}: {f.fix.title}")
        for f in r.findings:
            if f.fix is not None:
                tag = "" if f.fixable else " [not applied: --unsafe-fixes]"
                lines.append(f"{f.path}:{f.line}:{f.column}: {f.rule} fix ({f.fix.applicability}): {f.fix.title}{tag}")
    return lines


def emit(results, stats, out: Output, *, as_of: str, fix: bool, write: bool, target: str | None) -> None:
    common = dict(fix=fix, write=write, target=target)
    stream = open(out.output_file, "w", encoding="utf-8", errors="backslashreplace") if out.output_file else None
    try:
        _emit(results, stats, out, stream, as_of, common)
    finally:
        if stream is not None:
            stream.close()


def _emit(results, stats, out: Output, stream, as_of: str, common: dict) -> None:
    def say(text: str, colour: bool = False) -> None:
        text = reporters._no_surrogates(text, reporters._escape)
        if stream is not None:
            stream.write(click.unstyle(text) + "\n")
        elif text:
            click.echo(text, color=colour)

    fmt = out.fmt
    if fmt == "json":
        target = stream or sys.stdout
        for chunk in reporters.json_chunks(results, as_of=as_of, **common):
            target.write(chunk)
        target.flush()
    elif fmt == "sarif":
        from .sarif import sarif

        say(sarif(results).rstrip("\n"))
    elif fmt == "gitlab":
        from .gitlab import gitlab

        say(gitlab(results).rstrip("\n"))
    elif fmt == "markdown":
        from .markdown import markdown

        say(markdown(results, as_of=as_of).rstrip("\n"))
    elif fmt == "github":
        from .github import github

        text, left = github(results, out.max_annotations)
        if text:
            say(text)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if left:
            where = " (the step summary counts them all, by deadline)" if summary else ""
            say(f"iacfix: {left} more annotations not shown: GitHub shows {out.max_annotations} of each type "
                f"per step{where}; raise --max-annotations or use --format sarif")
        if summary:
            from .markdown import markdown

            try:
                with open(summary, "a", encoding="utf-8", errors="backslashreplace") as fh:
                    fh.write(markdown(results, as_of=as_of) + "\n")
            except OSError as e:  # the annotations are out; a summary that cannot be written is no reason to stop
                click.echo(f"iacfix: cannot write the step summary to {summary}: {e.strerror or e}", err=True)
    elif out.statistics:
        say(statistics(results))
    else:
        colour = False if stream is not None else (use_colour(sys.stdout) if out.colour is None else out.colour)
        text = reporters.text(results, stats, colour=colour, **common)
        if out.quiet:
            text = text.rsplit("\n", 1)[0] if "\n" in text else ""
        else:
            suppressed = sum(len(r.suppressed) for r in results)
            if suppressed:
                text += f" {suppressed} suppressed by iacfix: ignore comments or Metadata."
            if out.baselined:
                text += f" {out.baselined} more held back by the baseline."
        if text:
            say(text, colour)
    if out.show_fixes and fmt == "text":
        lines = fixes(results)
        if lines:
            say("\n".join(lines if out.quiet else ["", "Fixes:"] + lines))
    if out.statistics and fmt != "text":
        click.echo(statistics(results), err=True)
