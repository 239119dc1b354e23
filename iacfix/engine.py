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
from collections.abc import Iterable, Iterator
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
    """One file on its own (a unit of one); never raises."""
    return next(r for r in process_unit(formats.for_path(path), [path], opts) if r.path == display_path(path))


def process_unit(fmt, paths: list[str], opts: Options, shared: frozenset[str] = frozenset(),
                 read: dict[str, bytes] | None = None) -> list[FileResult]:
    """The files of one unit (one file, or a Terraform module directory);
    never raises: whatever goes wrong is reported on the unit's files.
    ``read`` holds the bytes of files already read."""
    try:
        return _process_unit(fmt, paths, opts, shared, read or {})
    except RecursionError:
        message = "nested too deeply to analyse; file left unchanged"
    except Exception as e:  # a bug must not stop the run: report it on these files
        message = f"internal error ({type(e).__name__}: {e}); file left unchanged - please report this"
    return [_error(FileResult(display_path(p)), message) for p in paths]


@dataclass
class _File:
    path: str
    result: FileResult
    text: str
    doc: object
    located: object = None
    new_text: str | None = None
    new_doc: object = None


def _read(path: str, result: FileResult) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        _error(result, f"cannot read: {e.strerror or e}")
        return None


def _process_unit(fmt, paths: list[str], opts: Options, shared: frozenset[str], read: dict) -> list[FileResult]:
    results = {p: FileResult(display_path(p)) for p in paths}
    data = {p: read[p] if p in read else _read(p, results[p]) for p in paths}
    data = {p: d for p, d in data.items() if d is not None}
    # Most files end here: keep this path short.  A unit is looked at when any
    # of its files may hold a site; its other files may hold what reaches one.
    if not any(fmt.prefilter(d) for d in data.values()):
        return list(results.values())
    files: dict[str, _File] = {}
    for path, raw in data.items():
        if not (fmt.prefilter(raw) or fmt.context(path, raw)):
            continue
        result = results[path]
        text = _decode(raw, result)
        if text is None:
            continue
        try:
            doc = fmt.parse(text)
        except ParseError as e:
            line, column = (e.line, e.column) if e.line else Positions(text).at(e.offset or 0)
            _error(result, e.message, line, column)
            continue
        if doc is not None:
            files[path] = _File(path, result, text, doc)
    located = fmt.locate_unit({p: (f.doc, f.text) for p, f in files.items()})
    judge = Judge(opts.context, opts.enabled, opts.target)
    for path, f in files.items():
        f.located = located.get(path)
        if f.located is not None:
            f.result.template = True
            f.result.findings = _findings(f.located, judge, f.result.path, f.text)
    if opts.fix:
        _fix_unit(fmt, files, judge, opts, shared)
    for result in results.values():
        for f in result.findings + result.fixed:
            f.site = None  # results cross process boundaries: keep them small
    return list(results.values())


def _fix_unit(fmt, files: dict[str, _File], judge: Judge, opts: Options, shared: frozenset[str]) -> None:
    """Edit each file on its own, check each edit, then locate the unit again
    (with the edited texts) before writing anything."""
    for f in files.values():
        if f.path in shared and any(x.fixable for x in f.result.findings):
            f.result.refused = ("not fixed, file left unchanged: it is linked into several directories, each "
                                "its own unit; fix it where it is written, or from one of those directories")
    edited = [f for f in files.values() if f.located is not None and f.path not in shared and _edit(f, fmt)]
    if not edited:
        return
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
            try:
                atomic_write(f.path, f.new_text.encode("utf-8"))
            except OSError as e:
                _error(result, f"cannot write the fix: {e.strerror}; file left unchanged")
                continue
        todo = [x for x in result.findings if x.fixable]
        result.fixed = todo
        result.findings = _findings(remaining, judge, result.path, f.new_text)
        seen = set()
        for x in todo:
            for note in x.site.notes:
                if note not in seen:
                    seen.add(note)
                    result.notes.append(f"{result.path}:{x.line}:{x.column}: note: {note.replace('{target}', x.fix_to)}")


def _edit(f: _File, fmt) -> bool:
    """Plan and check the edit of one file; False (with the reason on its result) if refused."""
    todo = [x for x in f.result.findings if x.fixable]
    if not todo:
        return False
    try:
        edits, expectations = plan(todo, f.text)
        try:
            new_text = apply_edits(f.text, edits)
        except ValueError as e:
            raise Refused(f"the edits would overlap ({e})") from None
        try:
            new_doc = fmt.parse(new_text)
        except ParseError as e:
            raise Refused(f"the edited file would not parse ({e.message})") from None
        if new_doc is None or fmt.semantic(new_doc) != expected_document(fmt.semantic(f.doc), expectations):
            raise Refused("re-parsing the edited file shows a change other than the runtime values")
        problem = fmt.check_edit(f.text, new_text)
        if problem:
            raise Refused(problem)
    except Refused as e:
        f.result.refused = f"not fixed, file left unchanged: {e}"
        return False
    f.new_text, f.new_doc = new_text, new_doc
    return True


_OPTS: Options | None = None


def _init(opts: Options) -> None:
    global _OPTS
    _OPTS = opts


def _work(unit: tuple[str, list[str], frozenset[str]]) -> list[FileResult]:
    name, paths, shared = unit
    fmt = formats.by_name(name)
    read = {}
    if fmt.unit == "file":  # the path most files take: read, prefilter, done
        try:
            with open(paths[0], "rb") as fh:
                read[paths[0]] = fh.read()
        except OSError:
            pass  # process_unit reports it
        else:
            if not fmt.prefilter(read[paths[0]]):
                return []
    results = process_unit(fmt, paths, _OPTS, shared, read)
    return [r for r in results if r.template or r.errors]  # nothing else to send back


def units(paths: Iterable[str], keep=lambda path: True) -> Iterator[tuple[str, list[str], frozenset[str]]]:
    """(format name, paths, shared) work units: a file on its own as discovery
    yields it; the files of a directory-unit format (Terraform) grouped by
    directory, with their siblings that ``keep`` accepts, once discovery is
    done.  ``shared`` names the paths that are one real file in several units
    (a variables.tf linked into every environment): read everywhere, edited
    nowhere, so that no two workers ever write one file."""
    grouped: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        fmt = formats.for_path(path)
        if fmt.unit == "file":
            yield fmt.name, [path], frozenset()
        else:
            grouped.setdefault((fmt.name, os.path.normpath(os.path.dirname(path))), set()).add(path)
    work, owners = [], {}
    for (name, directory), found in sorted(grouped.items()):
        fmt = formats.by_name(name)
        known = {os.path.normpath(p) for p in found}
        siblings = [p for p in fmt.unit_files(directory) if os.path.normpath(p) not in known and keep(p)]
        unit = sorted(found) + siblings
        real_dir = os.path.realpath(directory)  # one lookup per directory; links are rare
        reals = [os.path.realpath(p) if os.path.islink(p) else os.path.join(real_dir, os.path.basename(p))
                 for p in unit]
        for real in reals:
            owners.setdefault(real, set()).add(directory)
        work.append((name, unit, reals))
    for name, unit, reals in work:
        yield name, unit, frozenset(p for p, real in zip(unit, reals) if len(owners[real]) > 1)


@dataclass
class RunStats:
    files: int  # files read
    templates: int  # files that held something of a known format


def run(paths: Iterable[str], opts: Options, jobs: int, keep=lambda path: True) -> tuple[list[FileResult], RunStats]:
    """Process every path; results sorted by path whatever order work finished in.

    Paths are consumed as discovery yields them, so workers start while the
    tree is still being walked; small runs stay in this process.  ``keep``
    says which unlisted siblings a directory unit may take in (not excluded).
    """
    read, shared = 0, set()

    def counted(work):
        nonlocal read
        for unit in work:
            read += len(unit[1])
            shared.update(display_path(p) for p in unit[2])
            yield unit

    work = counted(units(paths, keep))
    head = list(itertools.islice(work, PARALLEL_MIN_FILES))
    if jobs <= 1 or len(head) < PARALLEL_MIN_FILES:
        _init(opts)
        done = list(map(_work, itertools.chain(head, work)))
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init, initargs=(opts,)) as pool:
            done = list(pool.map(_work, itertools.chain(head, work), chunksize=CHUNK))
    results = _merge([r for batch in done for r in batch], shared)
    stats = RunStats(files=read, templates=sum(1 for r in results if r.template))
    return sorted(results, key=lambda r: r.path), stats


def _merge(results: list[FileResult], shared: set[str]) -> list[FileResult]:
    """One result per real file: a file shared by several units (through a
    link) is reported once, with each finding once."""
    by_file: dict[str, FileResult] = {}
    for r in sorted(results, key=lambda r: r.path):
        key = os.path.realpath(r.path) if r.path in shared else r.path
        first = by_file.setdefault(key, r)
        if first is r:
            continue
        seen = {(f.rule, f.line, f.column) for f in first.findings}
        first.findings += [f for f in r.findings if (f.rule, f.line, f.column) not in seen]
        for f in first.findings:
            f.path = first.path
        first.findings.sort(key=lambda f: (f.line, f.column, f.rule))
        first.errors += [e for e in r.errors if (e.line, e.column, e.message) not in
                         {(x.line, x.column, x.message) for x in first.errors}]
        first.template = first.template or r.template
        first.refused = first.refused or r.refused
    return list(by_file.values())
