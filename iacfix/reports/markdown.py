"""A Markdown summary for people: findings grouped by the deadline that ends
each runtime's life ("12 functions cannot be updated after 2027-08-31"),
soonest first, with a Mermaid timeline.  It is ``--format markdown`` and what
``--format github`` writes to ``$GITHUB_STEP_SUMMARY``.  Each group's table
is cut at ``ROWS`` rows (GitHub keeps 1 MiB of summary per step)."""

from __future__ import annotations

from ..spool import Distinct

ROWS = 50
# The date that ends a runtime's life, by provider date name, most final first; how a group reads.
FINAL = (  # key, then what happens: (since it passed, from it on), plural and singular
    ("block_update", ("cannot be updated since", "cannot be updated after"), None),
    ("decommission", ("cannot be deployed since", "cannot be deployed after"), None),
    ("end_of_support", ("are out of support since", "go out of support on"),
     ("is out of support since", "goes out of support on")),
    ("block_create", ("cannot be created since", "cannot be created after"), None),
    ("end_of_life", ("are past their end of life since", "reach their end of life on"),  # CPython
     ("is past its end of life since", "reaches its end of life on")),
    ("deprecation", ("are deprecated since", "are deprecated on"), ("is deprecated since", "is deprecated on")),
)


def deadline(f) -> tuple[str, tuple, tuple | None] | None:
    """(date, plural wording, singular wording) of the last deadline of a finding's runtime, if it has one."""
    for key, plural, singular in FINAL:
        date = (f.deadlines or {}).get(key)
        if date:
            return date, plural, singular
    return None


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


class _Group:
    """The findings of one deadline: counted, their first ``ROWS`` rows kept."""

    def __init__(self, foreign: frozenset[str]):
        self.functions = Distinct(foreign)  # (path, function) pairs
        self.bare = self.count = 0  # findings that name no function; all of them
        self.runtimes: set[str] = set()
        self.rows: list[str] = []

    def add(self, findings: list) -> None:
        """This group's findings in one result."""
        self.functions.add((f.path, u) for f in findings for u in f.users)
        for f in findings:
            self.bare += not f.users
            if f.runtime:
                self.runtimes.add(f.runtime)
            if len(self.rows) < ROWS:
                fix = f.fix.title if f.fix is not None else f"none: {f.fix_unavailable or 'no fix'}"
                self.rows.append(f"| `{_cell(f.path)}:{f.line}` | {f.rule} | {_cell(f.runtime or '-')} | "
                                 f"{_cell(', '.join(f.users) or '-')} | {_cell(fix)} |")
        self.count += len(findings)

    def subjects(self) -> tuple[int, str]:
        """How many functions (or sites, where no function is named) the findings cover."""
        functions, bare = len(self.functions), self.bare
        if functions and not bare:
            return functions, "function" if functions == 1 else "functions"
        if not functions:  # CPython in CI and packaging files: versions, not functions
            return bare, "site" if bare == 1 else "sites"
        n = functions + bare
        return n, "function or site" if n == 1 else "functions or sites"


class Markdown:
    """The summary, counted as results come (in path order); ``text`` at the end."""

    def __init__(self, as_of: str, foreign: frozenset[str] = frozenset(), title: str = "iacfix: runtime deadlines"):
        self.as_of, self.foreign, self.title = as_of, foreign, title
        self.by: dict = {}  # deadline (or None) -> _Group, in the order first met
        self.findings = self.suppressed = self.errors = 0
        self.error_rows: list[str] = []

    def add(self, r) -> None:
        mine: dict = {}
        for f in r.findings:
            mine.setdefault(deadline(f), []).append(f)
        for d, findings in mine.items():
            group = self.by.get(d)
            if group is None:
                group = self.by[d] = _Group(self.foreign)
            group.add(findings)
        self.findings += len(r.findings)
        self.suppressed += len(r.suppressed)
        for e in r.errors:
            if len(self.error_rows) < ROWS:
                self.error_rows.append(f"- `{_cell(e.path)}:{e.line}`: {_cell(e.message)}")
            self.errors += 1

    def groups(self) -> list[tuple[str | None, str, _Group]]:
        """[(date or None, heading, group)], soonest date first, undated last."""
        out = []
        for d in sorted((k for k in self.by if k), key=lambda k: k[0]):
            date, plural, singular = d
            group = self.by[d]
            n, what = group.subjects()
            runtimes = ", ".join(sorted(group.runtimes))
            words = (singular if n == 1 and singular else plural)[0 if date <= self.as_of else 1]
            out.append((date, f"{n} {what} {words} {date} ({runtimes})", group))
        if None in self.by:
            out.append((None, f"{self.by[None].count} findings without a deadline (unknown or unresolved runtimes, "
                              f"suppressions)", self.by[None]))
        return out

    def text(self) -> str:
        as_of = self.as_of
        lines = [f"## {self.title}", "", f"Judged as of {as_of}."]
        if not self.findings:
            lines += ["", "No findings."]
        by = self.groups()
        if self.findings:
            lines += [""] + [f"- **{heading}**" for _, heading, _ in by]
        dated = [(d, h) for d, h, _ in by if d]
        if dated:
            lines += ["", "```mermaid", "timeline", f"    title Runtime deadlines (as of {as_of})"]
            lines += [f"    {d} : {h.replace(':', ' ').replace('#', ' ')}" for d, h in dated]
            lines += ["```"]
        for _, heading, group in by:
            lines += ["", f"### {heading}", "", "| where | rule | runtime | used by | fix |",
                      "| --- | --- | --- | --- | --- |"]
            lines += group.rows
            if group.count > ROWS:
                lines.append(f"| ... and {group.count - ROWS} more | | | | |")
        if self.suppressed:
            lines += ["", f"{self.suppressed} findings are suppressed (see `--format json`, key `suppressed`)."]
        if self.errors:
            lines += ["", f"### {self.errors} {'file' if self.errors == 1 else 'files'} could not be read", ""]
            lines += self.error_rows
            if self.errors > ROWS:
                lines.append(f"- ... and {self.errors - ROWS} more")
        return "\n".join(lines) + "\n"
