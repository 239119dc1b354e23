"""Span edits that move a located value to a target, and what they must do.

A fix is a list of ``Edit``s on the original text plus ``Expectation``s: what
the re-parsed document must look like afterwards.  Checkers build them with
``replace_value`` (one value) and ``rewrite_list`` (a list that must end up
holding the target once and none of the flagged entries); the engine merges
the fixes a run applies (``merge``), re-parses the edited text and compares it
with ``expected_document`` (the original with exactly the expected changes
applied); anything else and the file is left alone.
"""

from __future__ import annotations

import copy

from .model import Edit, Expectation, Item, ListInfo, Site


class Refused(Exception):
    """The fix cannot be made safely; the file is left unchanged."""


def spelled(site: Site, target: str) -> tuple[str, object]:
    """The text that writes ``target`` at ``site``, and the parsed value it gives."""
    if site.spell is None:
        return f"{site.quote}{target}{site.quote}", target
    written = site.spell(target)
    if written is None:
        raise Refused(f"{target} cannot be written at {site.where or 'this site'}")
    return written


def _comma_after(text: str, pos: int) -> int | None:
    """Index of the ',' that follows ``pos`` past blanks, if one does."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    return i if i < len(text) and text[i] == "," else None


def _own_line(text: str, item: Item, comment: str) -> tuple[int, int] | None:
    """The span of ``item``'s line when nothing else shares it (its comma and
    a comment after it may)."""
    line_start = text.rfind("\n", 0, item.start) + 1
    newline = text.find("\n", item.end)
    line_end = len(text) if newline == -1 else newline + 1
    comma = _comma_after(text, item.end)
    rest = text[(comma + 1 if comma is not None else item.end):line_end].strip()
    if text[line_start:item.start].strip() or (rest and not (comment and rest.startswith(comment))):
        return None
    return line_start, line_end


def _flow_deletions(text: str, info: ListInfo, gone: list[int]) -> list[Edit]:
    """Remove entries of a comma-separated list, keeping everyone else's comments.

    An entry alone on its line goes with its line (and its own comment).  An
    entry sharing a line goes with the comma after it, or, past the last kept
    entry, with the comma before it.  When the last entries go, so does the
    comma they leave dangling after the new last entry.
    """
    items, dropped = info.items, set(gone)
    kept = [i for i in range(len(items)) if i not in dropped]
    last_kept = kept[-1]
    edits = []
    for i in gone:
        line = _own_line(text, items[i], info.comment)
        comma = _comma_after(text, items[i].end)
        if line is not None:
            edits.append(Edit(*line, ""))
        elif i < last_kept and comma is not None and _ends_line(text, comma + 1, info.comment):
            edits.append(Edit(items[i].start, comma + 1, ""))  # a comment after it stays
        elif i < last_kept:
            edits.append(Edit(items[i].start, items[i + 1].start, ""))
        else:
            edits.append(Edit(items[i - 1].end, items[i].end, ""))
    tail = [i for i in gone if i > last_kept]
    comma = _comma_after(text, items[last_kept].end)
    if tail and _own_line(text, items[last_kept + 1], info.comment) is not None:
        if comma is not None and _comma_after(text, items[-1].end) is None:
            edits.append(Edit(comma, comma + 1, ""))
    if info.single_needs_comma and len(kept) == 1 and tail and comma is not None \
            and not _own_line(text, items[last_kept + 1], info.comment):
        # (a, b) -> (a,): the tail deletion would take the comma a tuple needs.
        edits = [e for e in edits if e.start != items[last_kept].end]
        edits.append(Edit(comma + 1, items[last_kept + 1].end, ""))
    return edits


def _ends_line(text: str, pos: int, comment: str) -> bool:
    """Nothing but blanks, then a comment or the end of the line, from ``pos``."""
    rest = text[pos:text.find("\n", pos) if "\n" in text[pos:] else len(text)].strip()
    return not rest or bool(comment and rest.startswith(comment))


def replace_value(site: Site, target: str) -> tuple[list[Edit], list[Expectation]]:
    """Write ``target`` at a single-valued site (or insert it, for a default
    that is not written)."""
    text, value = spelled(site, target)
    if site.insert:
        return [Edit(site.start, site.end, text)], [Expectation(site.path, append=(value,))]
    return [Edit(site.start, site.end, text)], [Expectation(path, value=value) for path in [site.path, *site.also]]


def rewrite_list(info: ListInfo, flagged: list[Site], target: str, text: str,
                 fixing: set[int]) -> tuple[list[Edit], list[Expectation]]:
    """Rewrite a list so it holds ``target`` once and none of ``flagged``
    (a ``tested`` list only loses ``flagged``, and gains ``target`` only when
    nothing else is left); ``fixing`` holds the ids of every site the same
    fixes move to ``target``."""
    edits, expectation = _plan_list(info, flagged, target, text, fixing)
    return join_line_deletions(edits, text), [expectation]


def _plan_list(info: ListInfo, flagged: list[Site], target: str, text: str, fixing: set[int]):
    if info.blocked:
        raise Refused(info.blocked)
    by_index = {s.path[-1]: s for s in flagged}  # a list entry's path ends with its index
    delete = sorted(by_index)

    def holds_target(item: Item) -> bool:
        # What an entry will hold after this fix: a literal its value; an entry
        # such as !If or !Ref whatever the sites it reaches will hold (the
        # target if one of them does: the list never holds it twice).
        if item.value is not None:
            return item.value == target
        return any(target == (target if id(s) in fixing else s.value) for s in item.reaches)

    edits, replace = [], ()
    kept = [it for i, it in enumerate(info.items) if i not in by_index]
    if not kept if info.tested else not any(holds_target(it) for it in kept):
        # The entry that holds the target: the first that cannot go with its line, if one cannot.
        first = next((i for i in delete if not info.flow and info.items[i].delete is None), delete[0])
        delete.remove(first)
        site = by_index[first]
        text_, value = spelled(site, target)
        edits.append(Edit(site.start, site.end, text_))
        replace = ((first, value),)
    if delete:
        if info.flow:
            edits += _flow_deletions(text, info, delete)
        else:
            for i in delete:
                if info.items[i].delete is None:
                    raise Refused(f"list entry {info.items[i].value!r} shares its line with other text")
                edits.append(Edit(*info.items[i].delete, ""))
    return edits, Expectation(info.path, replace=replace, delete=tuple(delete))


def merge(edits, text: str) -> list[Edit]:
    """The edits of several fixes of one file, once each, in order, touching
    line deletions joined."""
    return join_line_deletions(list(dict.fromkeys(edits)), text, at_end=False)


def join_line_deletions(edits: list[Edit], text: str, at_end: bool = True) -> list[Edit]:
    """Merge touching whole-line deletions; a run of deleted lines that ends a
    file without a final newline takes the line break before it instead, so
    the file still ends without one."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and not e.text and not out[-1].text and out[-1].end == e.start:
            out[-1] = Edit(out[-1].start, e.end, "")
        else:
            out.append(e)
    last = out[-1] if out and at_end else None
    if last and not last.text and last.end == len(text) and not text.endswith("\n") and last.start > 0 \
            and text[last.start - 1] == "\n":
        back = 2 if text.startswith("\r\n", last.start - 2) else 1
        out[-1] = Edit(last.start - back, last.end, "")
    return out


def _own(parent, step, copied: set):
    """``parent[step]``, copied first unless this run already made it: the
    expected document shares every part no expectation changes."""
    child = parent[step]
    if id(child) not in copied:
        child = parent[step] = copy.copy(child)
        copied.add(id(child))
    return child


def expected_document(before, expectations: list[Expectation]):
    """``before`` (a format's ``semantic``) with exactly ``expectations``
    applied; ``before`` itself is left as it is.  A meaning that knows how to
    apply them (``expect``) does it itself."""
    if hasattr(before, "expect"):
        return before.expect(expectations)
    copied: set[int] = set()
    doc = copy.copy(before)
    copied.add(id(doc))
    # Scalars first, then lists inside lists before the lists holding them:
    # entries are addressed by their old indexes.
    for x in sorted(expectations, key=lambda x: (x.value is None, -len(x.path))):
        parent = doc
        for step in x.path[:-1]:
            parent = _own(parent, step, copied)
        if x.value is not None:
            parent[x.path[-1]] = x.value
            continue
        seq = _own(parent, x.path[-1], copied)
        for i, value in x.replace:
            seq[i] = value
        parent[x.path[-1]] = [v for i, v in enumerate(seq) if i not in set(x.delete)] + list(x.append)
    return doc
