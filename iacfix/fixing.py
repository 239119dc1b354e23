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

import difflib

from . import writing
from .edits import apply_edits
from .engine import Options, ParsedFile, check, hold_ties
from .fixes import Refused, expected_document, merge
from .model import ParseError


SHARED = ("it is linked into several directories, each its own unit; fix it where it is written, "
          "or from one of those directories")


def _lines(text: str) -> list[str]:
    """Lines as ``patch`` counts them: ended by LF only (a lone CR is not a line end to it)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    return out + [lines[-1]] if lines[-1] else out


def unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff that ``patch`` accepts, also for files without a final newline."""
    lines = difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


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
        todo = [f for f in files.values() if any(id(x) in before - after for x in f.result.findings)]
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
            result.diff = unified_diff(f.text, f.new_text, result.path)
        if opts.write:
            if not writing.write(f.path, f.new_text.encode("utf-8"), f.raw, result, opts):
                continue
            result.written = True
        applied = [x for x in result.findings if x.fixable]
        result.fixed = applied
        if opts.write:  # what the file now holds, at its new positions
            result.findings = check(remaining, result.path, f.new_text, opts.context)
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
    f.new_text, f.new_doc = new_text, new_doc
    return True
