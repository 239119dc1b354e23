"""Suppressions: findings a file says to hold back, until a date if it says so.

Two kinds, both read from the file being checked, never from elsewhere:

- a **comment** ``# iacfix: ignore[RT004]`` (or ``// iacfix: ignore[...]``,
  whichever comment syntax the format declares in ``comment_prefixes``) at
  the end of a finding's line, or alone on the line above it;
- a format's **declared** suppressions (``Format.suppressions(doc, text)``):
  CloudFormation's ``Metadata.iacfix.ignore`` on a resource, which holds back
  a finding when every resource that uses the value holds it back.

Either takes rule codes or names (none: every rule), an optional
``until=YYYY-MM-DD`` (the last day it holds) and ``reason="..."``.  A
suppression past its date holds nothing back and is reported (RT901); one
that holds nothing back is reported (RT902); one that cannot be read is
reported (RT903).  Suppressed findings move to ``FileResult.suppressed``,
each with a ``suppression`` entry saying which held it back and why.

This module knows no format: the scan is textual, keyed on the comment
prefixes a format declares (``#`` unless it says otherwise), and a marker
must start a comment (at the start of a line or after white space).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field

from .edits import Positions
from .lazy_re import compiled_on_use
from .model import Finding
from .records import dataclass

_OPTION = compiled_on_use(r"""\s*(until|reason)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)""")
HELD = "held back by a suppression"
_CODES = compiled_on_use(r"\s*ignore\s*(?:\[([^\]]*)\])?")


@dataclass
class Declared:
    """A suppression as a format found it outside comments (CloudFormation Metadata)."""

    resource: str
    rules: list[str] | None  # codes or names as written; None: every rule
    until: str | None
    reason: str | None
    start: int  # span of the entry, for findings about it
    end: int


@dataclass
class Suppression:
    """One suppression, by comment or Metadata: the rules it covers, until when, and where it is."""

    codes: frozenset[str] | None  # None: every rule
    until: dt.date | None
    reason: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    kind: str  # comment | metadata
    text: str  # as written
    own_line: bool = False  # a comment alone on its line also covers the next line
    resource: str | None = None
    problem: str | None = None  # why it cannot be read (RT903)
    used: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"kind": self.kind, "line": self.line, "rules": sorted(self.codes) if self.codes else None,
                "until": self.until.isoformat() if self.until else None, "reason": self.reason,
                **({"resource": self.resource} if self.resource else {})}


def _rule_codes(names: list[str]) -> tuple[frozenset[str] | None, str | None]:
    from .rules import RULES

    by_name = {r.name: c for c, r in RULES.items()}
    codes = set()
    for name in (n.strip() for n in names):
        if not name:
            continue
        code = name.upper() if name.upper() in RULES else by_name.get(name)
        if code is None:
            return None, f"unknown rule {name!r}"
        codes.add(code)
    if not codes:
        return None, "it names no rule (leave the rules out to cover every rule)"
    return frozenset(codes), None


def _date(value: str | None) -> tuple[dt.date | None, str | None]:
    if value is None:
        return None, None
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        return None, f"until={value} is not a date (YYYY-MM-DD)"


def _parse_comment(body: str) -> tuple[list[str] | None, str | None, str | None, str | None]:
    """What follows ``iacfix:``: (rules or None, until, reason, problem)."""
    m = _CODES.match(body)
    if not m:
        return None, None, None, "expected `iacfix: ignore[CODES]`"
    rules = None if m.group(1) is None else m.group(1).split(",")
    if rules is not None and not any(r.strip() for r in rules):
        return None, None, None, "`ignore[]` names no rule (write `ignore` alone for every rule)"
    until = reason = None
    rest = body[m.end():]
    while rest.strip():
        o = _OPTION.match(rest)
        if not o:
            return rules, until, reason, f"unexpected text {rest.strip()!r} (expected until=YYYY-MM-DD or reason=\"...\")"
        value = o.group(2)
        if value[:1] in "\"'":
            value = value[1:-1].replace('\\"', '"')
        if o.group(1) == "until":
            until = value
        else:
            reason = value
        rest = rest[o.end():]
    return rules, until, reason, None


_PREFIXES = frozenset("rbfuRBFU")  # Python string prefixes: f"..." opens a string


def _in_string(before: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a marker preceded on its line by ``before`` sits inside a quoted
    string (``Description: "see # iacfix: ignore"``): a quote opened before it
    and not closed, outside any comment.  A quote inside a word (``Bob's``) opens
    nothing; a backslash escapes only inside double quotes and backticks (YAML
    and TOML single quotes have no escapes).  Strings that span lines are not
    followed."""
    quote = None
    i, n = 0, len(before)
    while i < n:
        c = before[i]
        if quote is not None:
            if c == "\\" and quote != "'":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            j = i
            while j and before[j - 1].isalnum():
                j -= 1
            if i - j <= 2 and set(before[j:i]) <= _PREFIXES:  # not Bob's; f"..." and rb'...' are strings
                quote = c
        elif (i == 0 or before[i - 1] in " \t\ufeff") and before.startswith(prefixes, i):
            return False  # a comment has begun: quotes in it are text
        i += 1
    return quote is not None


def _up_to_next_comment(body: str, prefixes: tuple[str, ...]) -> str:
    """What follows ``iacfix:`` up to another tool's comment on the line
    (``# iacfix: ignore[RT003]  # noqa: E501``); a prefix inside a quoted
    reason (``reason="see #123"``) is text."""
    quote = None
    for i, c in enumerate(body):
        if quote is not None:
            if c == quote and body[i - 1] != "\\":
                quote = None
        elif c in "\"'":
            quote = c
        elif c in " \t" and body.startswith(prefixes, i + 1):
            return body[:i]
    return body


def _comments(text: str, prefixes: tuple[str, ...]) -> list[Suppression]:
    if "iacfix:" not in text or not prefixes:
        return []
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    pattern = re.compile(rf"(?:(?<=[\s\ufeff])|^)(?:{alternatives})[ \t]*iacfix:([^\r\n]*)", re.M)
    positions = Positions(text)
    out = []
    for m in pattern.finditer(text):
        start = m.start()
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        before = text[line_start:start]
        own = not before.strip("\ufeff \t")
        if not own and _in_string(before, prefixes):
            continue
        rules, until, reason, problem = _parse_comment(_up_to_next_comment(m.group(1), prefixes))
        codes, bad = _rule_codes(rules) if rules is not None and not problem else (None, None)
        when, bad_date = _date(until)
        line, col = positions.at(start)
        end_line, end_col = positions.at(m.end())
        out.append(Suppression(codes, when, reason, line, col, end_line, end_col, "comment",
                               text[start:m.end()].strip(), own_line=own, problem=problem or bad or bad_date))
    return out


def _declared(items: list[Declared], text: str) -> list[Suppression]:
    positions = Positions(text)
    out = []
    for d in sorted(items, key=lambda d: d.start):
        codes, bad = _rule_codes(d.rules) if d.rules is not None else (None, None)
        when, bad_date = _date(d.until)
        line, col = positions.at(d.start)
        end_line, end_col = positions.at(d.end)
        written = ", ".join(d.rules) if d.rules else "every rule"
        out.append(Suppression(codes, when, d.reason, line, col, end_line, end_col, "metadata",
                               f"{d.resource} Metadata.iacfix.ignore {written}", resource=d.resource,
                               problem=bad or bad_date))
    return out


def _covers(s: Suppression, f: Finding) -> bool:
    return s.codes is None or f.rule in s.codes


def suppress(fmt, result, doc, text: str, ctx) -> None:
    """Hold back the findings of ``result`` that a suppression in ``text``
    (or ``doc``) covers, and report suppressions that are expired, unused or
    unreadable.  ``result.suppressed`` is set anew (it is called again on a
    fixed file)."""
    result.suppressed = []
    declared = getattr(fmt, "suppressions", None)
    found = _comments(text, getattr(fmt, "comment_prefixes", ("#",)))
    if declared is not None and doc is not None and "iacfix" in text:
        found += _declared(declared(doc, text), text)
    if not found:
        return
    live = [s for s in found if s.problem is None and (s.until is None or s.until >= ctx.as_of)]
    by_line: dict[int, list[Suppression]] = {}
    by_resource: dict[str, list[Suppression]] = {}
    for s in live:
        if s.kind == "comment":
            by_line.setdefault(s.line, []).append(s)
            if s.own_line:
                by_line.setdefault(s.line + 1, []).append(s)
        else:
            by_resource.setdefault(s.resource, []).append(s)
    kept = []
    for f in result.findings:
        holder = next((s for s in by_line.get(f.line, ()) if _covers(s, f)), None)
        if holder is None and f.users and by_resource:
            holders = [next((s for s in by_resource.get(u, ()) if _covers(s, f)), None) for u in f.users]
            for h in holders[1:]:
                if h is not None:  # it holds back its own resource's part: not unused, even when others do not
                    h.used.append(f)
            if all(holders):
                holder = holders[0]
            elif holders[0] is not None:
                holders[0].used.append(f)
        if holder is None:
            kept.append(f)
            continue
        holder.used.append(f)
        f.data = dict(f.data, suppression=holder.to_json())
        f.fixable, f.stuck = False, True  # a held-back value keeps its value, and so do the values tied to it
        f.fix_unavailable = f.fix_unavailable or HELD
        result.suppressed.append(f)
    shared = {id(f.fix): f for f in result.suppressed if f.fix is not None}
    for f in kept:  # one fix rewrites a whole list: not while an entry of it is held back
        held = shared.get(id(f.fix)) if f.fix is not None else None
        if held is not None:
            f.fix, f.fixable, f.stuck = None, False, True
            f.fix_unavailable = f"its list also holds {held.runtime} at line {held.line}, which a suppression holds back"
    result.findings = kept + _report(found, result.path, ctx)
    result.findings.sort(key=lambda f: (f.line, f.column, f.rule))


def _looked_for(codes: frozenset[str] | None, ctx) -> bool:
    """Whether the run looks for what a suppression names (so that holding back
    nothing means it is unused): one of its rules, or for a bare ``ignore`` every
    rule that reports about a file (not the RT9xx rules about suppressions)."""
    from .rules import RULES

    if codes is None:
        return all(ctx.selected(c) for c in RULES if not c.startswith("RT9"))
    return any(ctx.selected(c) for c in codes)


def _report(found: list[Suppression], path: str, ctx) -> list[Finding]:
    from .rules import RULES

    out = []
    for s in found:
        if s.problem is not None:
            code = "RT903"
        elif s.until is not None and s.until < ctx.as_of:
            code = "RT901"
        elif not s.used and _looked_for(s.codes, ctx):
            code = "RT902"
        else:
            continue
        if not ctx.selected(code):
            continue
        rule = RULES[code]
        out.append(Finding(rule=code, severity=rule.severity, path=path, line=s.line, column=s.column,
                           end_line=s.end_line, end_column=s.end_column, message=rule.message(s, ctx),
                           users=[s.resource] if s.resource else [], data={"suppression": s.to_json()},
                           fix_unavailable="edit or remove the suppression by hand"))
    return out
