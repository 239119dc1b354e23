"""Fixable findings -> span edits, and the check that an edit did only that.

A fix is a list of ``Edit``s on the original text plus ``Expectation``s: what
the re-parsed document must look like afterwards.  ``verify`` re-parses the
edited text and compares it with the original document with exactly the
expected changes applied; anything else and the file is left alone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from .model import Edit, Finding, ListInfo


class Refused(Exception):
    """The fix cannot be made safely; the file is left unchanged."""


@dataclass(frozen=True)
class Expectation:
    path: tuple
    value: str | None = None  # scalar: new value
    replace: tuple = ()  # list: ((index, value), ...)
    delete: tuple = ()  # list: indexes removed


def _quoted(site, target: str) -> str:
    return f"{site.quote}{target}{site.quote}"


def _plan_list(info: ListInfo, flagged: list, target: str) -> tuple[list[Edit], Expectation]:
    """Rewrite a list so it holds ``target`` once and none of ``flagged``."""
    by_index = {s.path[-1]: s for s in flagged}  # a list entry's path ends with its index
    values = [it.value for it in info.items]
    edits, replace = [], ()
    delete = sorted(by_index)
    if target not in values:
        first = delete.pop(0)
        site = by_index[first]
        edits.append(Edit(site.start, site.end, _quoted(site, target)))
        replace = ((first, target),)
    gone = set(delete)
    items = info.items
    if info.flow:
        last_kept = max(i for i in range(len(items)) if i not in gone)
        tail = [i for i in delete if i > last_kept]
        for i in delete:
            if i < last_kept:
                edits.append(Edit(items[i].start, items[i + 1].start, ""))
        if tail:
            edits.append(Edit(items[last_kept].end, items[tail[-1]].end, ""))
    else:
        for i in delete:
            if items[i].delete is None:
                raise Refused(f"list entry {items[i].value!r} shares its line with other text")
            edits.append(Edit(*items[i].delete, ""))
    return edits, Expectation(info.path, replace=replace, delete=tuple(delete))


def _join_line_deletions(edits: list[Edit], text: str) -> list[Edit]:
    """Merge touching whole-line deletions; a run of deleted lines that ends a
    file without a final newline takes the line break before it instead, so
    the file still ends without one."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and not e.text and not out[-1].text and out[-1].end == e.start:
            out[-1] = Edit(out[-1].start, e.end, "")
        else:
            out.append(e)
    last = out[-1] if out else None
    if last and not last.text and last.end == len(text) and not text.endswith("\n") and last.start > 0 \
            and text[last.start - 1] == "\n":
        back = 2 if text.startswith("\r\n", last.start - 2) else 1
        out[-1] = Edit(last.start - back, last.end, "")
    return out


def plan(findings: list[Finding], target: str, text: str) -> tuple[list[Edit], list[Expectation]]:
    edits, expectations, lists = [], [], {}
    for f in findings:
        site = f.site
        if site.list is not None:
            lists.setdefault(id(site.list), (site.list, []))[1].append(site)
        else:
            edits.append(Edit(site.start, site.end, _quoted(site, target)))
            expectations.append(Expectation(site.path, value=target))
    for info, flagged in lists.values():
        e, x = _plan_list(info, flagged, target)
        edits += e
        expectations.append(x)
    return _join_line_deletions(edits, text), expectations


def _parent(doc, path: tuple):
    node = doc
    for step in path[:-1]:
        node = node[step]
    return node


def expected_document(before, expectations: list[Expectation]):
    doc = copy.deepcopy(before)
    # Scalars first: a list's own entries are addressed by their old indexes.
    for x in sorted(expectations, key=lambda x: x.value is None):
        parent = _parent(doc, x.path)
        if x.value is not None:
            parent[x.path[-1]] = x.value
            continue
        seq = parent[x.path[-1]]
        for i, value in x.replace:
            seq[i] = value
        parent[x.path[-1]] = [v for i, v in enumerate(seq) if i not in set(x.delete)]
    return doc
