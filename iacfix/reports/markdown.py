"""A Markdown summary for people: findings grouped by the deadline that ends
each runtime's life ("12 functions cannot be updated after 2027-08-31"),
soonest first, with a Mermaid timeline.  It is ``--format markdown`` and what
``--format github`` writes to ``$GITHUB_STEP_SUMMARY``.  Each group's table
is cut at ``ROWS`` rows (GitHub keeps 1 MiB of summary per step)."""

from __future__ import annotations

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


def _subjects(findings) -> tuple[int, str]:
    """How many functions (or sites, where no function is named) the findings cover."""
    functions = {(f.path, u) for f in findings for u in f.users}
    bare = sum(1 for f in findings if not f.users)
    if functions and not bare:
        return len(functions), "function" if len(functions) == 1 else "functions"
    if not functions:  # CPython in CI and packaging files: versions, not functions
        return bare, "site" if bare == 1 else "sites"
    n = len(functions) + bare
    return n, "function or site" if n == 1 else "functions or sites"


def groups(results, as_of: str) -> list[tuple[str | None, str, list]]:
    """[(date or None, heading, findings)], soonest date first, undated last."""
    by: dict = {}
    for f in (f for r in results for f in r.findings):
        by.setdefault(deadline(f), []).append(f)
    out = []
    for d in sorted((k for k in by if k), key=lambda k: k[0]):
        date, plural, singular = d
        n, what = _subjects(by[d])
        runtimes = ", ".join(sorted({f.runtime for f in by[d] if f.runtime}))
        words = (singular if n == 1 and singular else plural)[0 if date <= as_of else 1]
        out.append((date, f"{n} {what} {words} {date} ({runtimes})", by[d]))
    if None in by:
        out.append((None, f"{len(by[None])} findings without a deadline (unknown or unresolved runtimes, suppressions)",
                    by[None]))
    return out


def markdown(results, *, as_of: str, title: str = "iacfix: runtime deadlines") -> str:
    findings = [f for r in results for f in r.findings]
    errors = [e for r in results for e in r.errors]
    suppressed = sum(len(r.suppressed) for r in results)
    lines = [f"## {title}", "", f"Judged as of {as_of}."]
    if not findings:
        lines += ["", "No findings."]
    by = groups(results, as_of)
    if findings:
        lines += [""] + [f"- **{heading}**" for _, heading, _ in by]
    dated = [(d, h) for d, h, _ in by if d]
    if dated:
        lines += ["", "```mermaid", "timeline", f"    title Runtime deadlines (as of {as_of})"]
        lines += [f"    {d} : {h.replace(':', ' ').replace('#', ' ')}" for d, h in dated]
        lines += ["```"]
    for _, heading, fs in by:
        lines += ["", f"### {heading}", "", "| where | rule | runtime | used by | fix |", "| --- | --- | --- | --- | --- |"]
        for f in fs[:ROWS]:
            fix = f.fix.title if f.fix is not None else f"none: {f.fix_unavailable or 'no fix'}"
            lines.append(f"| `{_cell(f.path)}:{f.line}` | {f.rule} | {_cell(f.runtime or '-')} | "
                         f"{_cell(', '.join(f.users) or '-')} | {_cell(fix)} |")
        if len(fs) > ROWS:
            lines.append(f"| ... and {len(fs) - ROWS} more | | | | |")
    if suppressed:
        lines += ["", f"{suppressed} findings are suppressed (see `--format json`, key `suppressed`)."]
    if errors:
        lines += ["", f"### {len(errors)} {'file' if len(errors) == 1 else 'files'} could not be read", ""]
        lines += [f"- `{_cell(e.path)}:{e.line}`: {_cell(e.message)}" for e in errors[:ROWS]]
        if len(errors) > ROWS:
            lines.append(f"- ... and {len(errors) - ROWS} more")
    return "\n".join(lines) + "\n"
