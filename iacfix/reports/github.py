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


class Github:
    """Annotations, chosen as results come: the first ``cap`` errors and, of
    each level, the ``cap`` most urgent findings (ties in path order) are kept,
    the rest only counted; without a cap every line is kept, to be sorted."""

    def __init__(self, cap: int | None = DEFAULT_CAP):
        self.cap = cap
        self.errors: list[str] = []
        self.more_errors = 0
        self.levels = {"error": [], "warning": [], "notice": []}  # (urgency, arrival, line)
        self.counts = dict.fromkeys(self.levels, 0)
        self.seen = 0  # findings so far: ties in urgency keep this order, as a stable sort does

    def add(self, r) -> None:
        for e in r.errors:
            if self.cap is not None and len(self.errors) >= self.cap:
                self.more_errors += 1
                continue
            self.errors.append(f"::error file={_gh_property(e.path)},line={e.line},col={e.column},"
                               f"title=iacfix::{_gh_data(e.message)}")
        for f in r.findings:
            level = LEVEL[f.severity]
            kept = self.levels[level]
            kept.append((_urgency(f), self.seen,
                         f"::{level} file={_gh_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                         f"endColumn={f.end_column},title={_gh_property('iacfix ' + f.rule)}::{_gh_data(f.message)}"))
            self.counts[level] += 1
            self.seen += 1
            if self.cap is not None and len(kept) > 2 * self.cap + 64:
                kept.sort()
                del kept[self.cap:]

    def text(self) -> tuple[str, int]:
        """(annotation lines, how many were left out)."""
        out, left = list(self.errors), self.more_errors
        shown = []
        for level, kept in self.levels.items():
            kept.sort()
            room = len(kept) if self.cap is None else max(0, self.cap - (len(self.errors) if level == "error" else 0))
            shown += kept[:room]
            left += self.counts[level] - min(room, len(kept))
        shown.sort()
        out += [line for _, _, line in shown]
        return "\n".join(out), left
