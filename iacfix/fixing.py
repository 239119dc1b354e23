"""Apply the fixes a run asks for, verify them, write them.

For each file: the fixes of its findings that this run applies (safe ones;
unsafe ones too with ``--unsafe-fixes``) are merged into one list of span
edits, spliced into the original text, and the edited text is parsed again:
its meaning must equal the original's with exactly the fixes' expectations
applied.  Then the whole unit is located again with the edited texts, and
only then is anything written (atomically).  Anything else and the file is
left unchanged, with the reason.
"""

from __future__ import annotations

from . import writing
from .edits import apply_edits
from .engine import Options, ParsedFile, check, hold_ties
from .fixes import Refused, expected_document, merge
from .model import Edit, ParseError
from .rules import UNIT_STEPS
from .suppressions import suppress


SHARED = ("it is linked into several directories, each its own unit; fix it where it is written, "
          "or from one of those directories")


CONTEXT = 3  # lines of context around each change, as diff -u


def _lines(text: str) -> list[str]:
    """Lines as ``patch`` counts them: ended by LF only (a lone CR is not a line end to it)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    return out + [lines[-1]] if lines[-1] else out


def _changes(old: str, edits: list[Edit]) -> list[tuple[int, int, str]]:
    """The edits as changed runs of whole lines: (start, end, new text), with
    ``start`` at a line start and ``end`` at a line end of ``old``, and the new
    text ending a line too; edits on the same or adjacent lines make one run."""
    runs: list[list] = []  # [start, end, pieces of the new text, where the last edit ends, how they end]
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        start = old.rfind("\n", 0, e.start) + 1
        if runs and start <= runs[-1][1]:
            run = runs[-1]
            pieces = [old[run[3]:e.start], e.text]
        else:
            run = [start, start, [], e.end, ""]
            runs.append(run)
            pieces = [old[start:e.start], e.text]
        run[2] += pieces
        run[3] = e.end
        run[4] = next((p[-1] for p in reversed(pieces) if p), run[4])  # the new text's last character
        end = max(run[1], old.find("\n", max(e.end - 1, e.start)) + 1 or len(old))
        if end == e.end and end < len(old) and run[4] not in ("", "\n"):
            end = old.find("\n", end) + 1 or len(old)  # the new text runs on into the next line
        run[1] = end
    return [(start, end, "".join(parts) + old[last:end]) for start, end, parts, last, _ in runs]


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``diff -u`` writes it (as difflib's ``_format_range_unified``)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + (1 if length else 0)},{length}"


def _common(a: str, b: str, limit: int, part) -> int:
    """How many characters ``a`` and ``b`` share at one end (``part(t, i, j)``
    cuts ``t`` from i to j characters from that end), up to ``limit``."""
    n, step = 0, 4096
    while n < limit:
        k = min(step, limit - n)
        if part(a, n, n + k) == part(b, n, n + k):
            n += k
        elif k == 1:
            break
        else:
            step = max(1, k // 2)
    return n


def _context_before(old: str, start: int) -> list[str]:
    """The (up to) CONTEXT lines before the line starting at ``start``."""
    pos = start
    for _ in range(CONTEXT):
        if pos == 0:
            break
        pos = old.rfind("\n", 0, pos - 1) + 1
    return _lines(old[pos:start])


def _context_after(old: str, end: int) -> list[str]:
    """The (up to) CONTEXT lines from ``end``, a line start."""
    pos = end
    for _ in range(CONTEXT):
        if pos >= len(old):
            break
        pos = old.find("\n", pos) + 1 or len(old)
    return _lines(old[end:pos])


def unified_diff(old: str, new: str, path: str, edits: list[Edit] | None = None) -> str:
    """A unified diff from ``old`` to ``new`` that ``patch`` accepts, also for
    files without a final newline.  Built from the edits that made ``new``
    (one, spanning every difference, when they are not given): linear in the
    size of the file and the edits, never a search for a longest match."""
    if edits is None:
        head = _common(old, new, min(len(old), len(new)), lambda t, i, j: t[i:j])
        tail = _common(old, new, min(len(old), len(new)) - head, lambda t, i, j: t[len(t) - j:len(t) - i])
        edits = [Edit(head, len(old) - tail, new[head:len(new) - tail])] if old != new else []
    # Each change: old lines [a, b) become ``plus``, with its own line numbers.
    changes = []
    line = 0  # the line number (from 0) at ``offset``
    offset = 0
    for start, end, text in _changes(old, edits):
        minus, plus = _lines(old[start:end]), _lines(text)
        while minus and plus and minus[0] == plus[0]:  # lines an edit spans without changing them
            start += len(minus.pop(0))
            plus.pop(0)
        while minus and plus and minus[-1] == plus[-1]:
            end -= len(minus.pop())
            plus.pop()
        if not minus and not plus:
            continue
        line += old.count("\n", offset, start)
        offset = start
        changes.append((line, line + len(minus), start, end, minus, plus))
    if not changes:
        return ""
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    shift = 0  # new line number - old line number, before the hunk
    i = 0
    while i < len(changes):
        j = i + 1  # the changes of one hunk: fewer than 2 * CONTEXT + 1 unchanged lines apart
        while j < len(changes) and changes[j][0] - changes[j - 1][1] <= 2 * CONTEXT:
            j += 1
        first, last = changes[i], changes[j - 1]
        before, after = _context_before(old, first[2]), _context_after(old, last[3])
        body = [" " + x for x in before]
        grown = 0
        for k in range(i, j):
            a, b, start, end, minus, plus = changes[k]
            if k > i:
                body += [" " + x for x in _lines(old[changes[k - 1][3]:start])]
            body += ["-" + x for x in minus] + ["+" + x for x in plus]
            grown += len(plus) - len(minus)
        body += [" " + x for x in after]
        lo, hi = first[0] - len(before), last[1] + len(after)
        out.append(f"@@ -{_range(lo, hi)} +{_range(lo + shift, hi + shift + grown)} @@\n")
        out += [x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in body]
        shift += grown
        i = j
    return "".join(out)


def fix_unit(fmt, files: dict[str, ParsedFile], opts: Options, shared: frozenset[str]) -> None:
    """Edit each file on its own, check each edit, then locate the unit again
    (with the edited texts) before writing anything."""
    edited: dict[str, ParsedFile] = {}
    todo = [f for f in files.values() if f.located is not None]
    while todo:  # a file left unchanged may hold values tied to others: those are held back, and edited again
        for f in todo:
            f.new_text = f.new_doc = None
            f.result.refused = None
            if f.path in shared:
                if any(x.fixable for x in f.result.findings):
                    f.result.refused = f"not fixed, file left unchanged: {SHARED}"
            elif any(x.fixable for x in f.result.findings) and (why := writing.refusal(f.path, opts)):
                f.result.refused = f"not fixed, file left unchanged: {why}"
            elif _edit(f, fmt):
                edited[f.path] = f
                continue
            edited.pop(f.path, None)
            for x in f.result.findings:
                if x.fixable and not x.stuck:
                    x.stuck, x.fix_unavailable = True, f.result.refused or "its file is left unchanged"
        before = {id(x) for f in files.values() for x in f.result.findings if x.fixable}
        hold_ties([f.result.findings for f in files.values()])
        after = {id(x) for f in files.values() for x in f.result.findings if x.fixable}
        held = before - after
        todo = [f for f in files.values() if any(id(x) in held for x in f.result.findings)]
    if not edited:
        return
    edited = list(edited.values())
    again = fmt.locate_unit({p: ((f.new_doc, f.new_text) if f.new_text is not None else (f.doc, f.text))
                             for p, f in files.items()})
    for f in edited:
        result, remaining = f.result, again.get(f.path)
        if remaining is None:
            result.refused = "not fixed, file left unchanged: the edited file is no longer recognised"
            continue
        if opts.diff:
            result.diff = unified_diff(f.text, f.new_text, result.path, f.edits)
        if opts.write:
            if not writing.write(f.path, f.new_text.encode(f.encoding), f.raw, result, opts):
                continue
            result.written = True
        applied = [x for x in result.findings if x.fixable]
        result.fixed = applied
        if opts.write:  # what the file now holds, at its new positions
            result.findings = check(remaining, result.path, f.new_text, opts.context)
            suppress(fmt, result, f.new_doc, f.new_text, opts.context)
            for step in UNIT_STEPS:
                step([result.findings], opts.context)
        else:  # nothing was written: what remains is where the file still has it
            result.findings = [x for x in result.findings if not x.fixable]
        said = {}
        for x in applied:
            for note in x.fix.notes:
                said.setdefault(note, f"{result.path}:{x.line}:{x.column}: note: {note}")
        result.notes += said.values()


def _edit(f: ParsedFile, fmt) -> bool:
    """Apply and check the fixes of one file; False (with the reason on its result) if refused."""
    fixes = list({id(x.fix): x.fix for x in f.result.findings if x.fixable}.values())
    if not fixes:
        return False
    try:
        edits = merge([e for fix in fixes for e in fix.edits], f.text)
        try:
            new_text = apply_edits(f.text, edits)
        except ValueError as e:
            raise Refused(f"the edits would overlap ({e})") from None
        try:
            new_doc = fmt.parse(new_text)
        except ParseError as e:
            raise Refused(f"the edited file would not parse ({e.message})") from None
        expected = expected_document(fmt.semantic(f.doc), [x for fix in fixes for x in fix.expect])
        if new_doc is None or fmt.semantic(new_doc) != expected:
            raise Refused("re-parsing the edited file shows a change other than the runtime values")
        problem = fmt.check_edit(f.text, new_text)
        if problem:
            raise Refused(problem)
    except Refused as e:
        f.result.refused = f"not fixed, file left unchanged: {e}"
        return False
    f.new_text, f.new_doc, f.edits = new_text, new_doc, edits
    return True
