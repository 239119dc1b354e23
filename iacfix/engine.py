"""One obvious path: file bytes -> prefilter -> sites -> findings -> edits -> result.

``process_file`` handles one file and never raises for a bad file: a file that
cannot be read, decoded or parsed becomes a ``FileError`` and the run goes on.
``run`` spreads files over all cores for big trees.
"""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import formats
from .catalog import Catalog, Runtime
from .edits import Positions, apply_edits, atomic_write
from .fixer import Refused, expected_document, plan
from .judge import Judge
from .model import FileError, Finding, ParseError
from .rules import Context

PARALLEL_MIN_FILES = 256
CHUNK = 64  # paths per task sent to a worker


@dataclass
class Options:
    catalog: Catalog
    context: Context
    enabled: frozenset[str]
    target: Runtime | None
    fix: bool = False
    write: bool = False
    diff: bool = False


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)  # after fixing: what remains
    errors: list[FileError] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: str | None = None
    diff: str | None = None
    template: bool = False


def display_path(path: str) -> str:
    """Relative to the current directory when under it; POSIX separators."""
    if not os.path.isabs(path):
        norm = os.path.normpath(path)
        if not norm.startswith(".."):
            return norm.replace(os.sep, "/")
    rel = os.path.relpath(path)
    shown = path if rel.startswith("..") or os.path.isabs(rel) else rel
    return shown.replace(os.sep, "/")


def _error(result: FileResult, message: str, line: int = 1, column: int = 1) -> FileResult:
    result.errors.append(FileError(result.path, line, column, message))
    return result


def _findings(located, judge: Judge, shown: str, text: str) -> list[Finding]:
    pos = Positions(text)
    out = [f for f in (judge.site(s, shown, pos) for s in located.sites) if f is not None]
    out += [f for f in (judge.unresolved_site(u, shown, pos) for u in located.unresolved) if f is not None]
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out


def unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff that ``patch`` accepts, also for files without a final newline."""
    lines = difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, BOM not counted) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset]
    if line_start == 0 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]
    return data.count(b"\n", 0, offset) + 1, len(prefix.decode("utf-8", "replace")) + 1


def _decode(data: bytes, result: FileResult) -> str | None:
    nul = data.find(b"\x00")
    if nul != -1:
        _error(result, "binary file (NUL byte); not a template", *_byte_position(data, nul))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        _error(result, f"not valid UTF-8 (byte 0x{data[e.start]:02x})", *_byte_position(data, e.start))
        return None


def process_file(path: str, opts: Options) -> FileResult:
    """Never raises: whatever goes wrong with one file is reported for that file."""
    try:
        return _process_file(path, opts)
    except RecursionError:
        return _error(FileResult(display_path(path)), "nested too deeply to analyse; file left unchanged")
    except Exception as e:  # a bug must not stop the run: report it on this file
        return _error(FileResult(display_path(path)),
                      f"internal error ({type(e).__name__}: {e}); file left unchanged - please report this")


def _process_file(path: str, opts: Options) -> FileResult:
    fmt = formats.for_path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return _error(FileResult(display_path(path)), f"cannot read: {e.strerror or e}")
    result = FileResult(display_path(path))
    if not fmt.prefilter(data):
        return result  # most files end here: keep this path short
    text = _decode(data, result)
    if text is None:
        return result
    try:
        doc = fmt.parse(text)
    except ParseError as e:
        line, column = (e.line, e.column) if e.line else Positions(text).at(e.offset or 0)
        return _error(result, e.message, line, column)
    located = None if doc is None else fmt.locate(doc, text)
    if located is None:
        return result
    result.template = True
    judge = Judge(opts.context, opts.enabled, opts.target)
    result.findings = _findings(located, judge, result.path, text)
    if opts.fix:
        _fix(path, result, text, doc, fmt, judge, opts)
    for f in result.findings + result.fixed:
        f.site = None  # results cross process boundaries: keep them small
    return result


def _fix(path: str, result: FileResult, text: str, doc, fmt, judge: Judge, opts: Options) -> None:
    todo = [f for f in result.findings if f.fixable]
    if not todo:
        return
    try:
        edits, expectations = plan(todo, text)
        try:
            new_text = apply_edits(text, edits)
        except ValueError as e:
            raise Refused(f"the edits would overlap ({e})") from None
        try:
            new_doc = fmt.parse(new_text)
        except ParseError as e:
            raise Refused(f"the edited file would not parse ({e.message})") from None
        if new_doc is None or fmt.semantic(new_doc) != expected_document(fmt.semantic(doc), expectations):
            raise Refused("re-parsing the edited file shows a change other than the runtime values")
        problem = fmt.check_edit(text, new_text)
        if problem:
            raise Refused(problem)
        remaining = fmt.locate(new_doc, new_text)
        if remaining is None:
            raise Refused("the edited file is no longer recognised")
    except Refused as e:
        result.refused = f"not fixed, file left unchanged: {e}"
        return
    if opts.diff:
        result.diff = unified_diff(text, new_text, result.path)
    if opts.write:
        try:
            atomic_write(path, new_text.encode("utf-8"))
        except OSError as e:
            _error(result, f"cannot write the fix: {e.strerror}; file left unchanged")
            return
    result.fixed = todo
    result.findings = _findings(remaining, judge, result.path, new_text)
    seen = set()
    for f in todo:
        for note in f.site.notes:
            if note not in seen:
                seen.add(note)
                result.notes.append(f"{result.path}:{f.line}:{f.column}: note: {note.replace('{target}', f.fix_to)}")


_OPTS: Options | None = None


def _init(opts: Options) -> None:
    global _OPTS
    _OPTS = opts


def _work(path: str) -> FileResult | None:
    result = process_file(path, _OPTS)
    return result if result.template or result.errors else None  # nothing to send back


@dataclass
class RunStats:
    files: int  # files read
    templates: int  # files that held something of a known format


def run(paths: Iterable[str], opts: Options, jobs: int) -> tuple[list[FileResult], RunStats]:
    """Process every path; results sorted by path whatever order work finished in.

    Paths are consumed as discovery yields them, so workers start while the
    tree is still being walked; small runs stay in this process.
    """
    paths = iter(paths)
    head = list(itertools.islice(paths, PARALLEL_MIN_FILES))
    if jobs <= 1 or len(head) < PARALLEL_MIN_FILES:
        _init(opts)
        results = list(map(_work, itertools.chain(head, paths)))
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init, initargs=(opts,)) as pool:
            results = list(pool.map(_work, itertools.chain(head, paths), chunksize=CHUNK))
    stats = RunStats(files=len(results), templates=sum(1 for r in results if r is not None and r.template))
    kept = sorted((r for r in results if r is not None), key=lambda r: r.path)
    return kept, stats
