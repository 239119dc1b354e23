"""One obvious path: file bytes -> prefilter -> parse -> located -> checkers
-> findings with fixes -> (fix) edits -> result.

``process_unit`` handles the files of one unit (one file, or a Terraform
module directory) and never raises for a bad file: a file that cannot be
read, decoded or parsed becomes a ``FileError`` and the run goes on.  Fixing
and its verification are in ``fixing``; grouping files into units in
``units``; spreading units over all cores in ``pool``.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import field
from functools import cached_property

from . import deps, formats
from .edits import Positions
from .model import FileError, Finding, Located, ParseError
from .paths import display_path
from .reading import DEFAULT_MAX_FILE_SIZE, Unreadable, read_bytes
from .records import dataclass
from .rules import UNIT_STEPS, Context, checkers_for
from .suppressions import suppress
from .unicode import encoding_of


@dataclass
class Options:
    """What a run does (check, fix, write, diff) and judges by (its context and overrides)."""

    context: Context  # date, horizon, catalog, target, selected rules, unsafe fixes
    fix: bool = False
    write: bool = False
    diff: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; a bigger file is reported, not read
    # Where fix may write: real paths of the paths given (empty: anywhere), unless links_out.
    roots: tuple[str, ...] = ()
    links_out: bool = False
    started_ns: int = field(default_factory=time.time_ns)  # temporary files older than this are leftovers
    # Per-path judgement from a configuration's [[overrides]]: (config.Override, Context), the last that
    # matches a unit's first file wins; ``config`` is the configuration they come from.
    overrides: tuple = ()
    config: object = None

    def for_unit(self, paths: list[str]) -> Options:
        """These options with the context of the last override matching the unit's first file."""
        if not self.overrides:
            return self
        rel = self.config.relative(sorted(paths)[0])
        chosen = next((c for o, c in reversed(self.overrides) if rel is not None and o.matches(rel)), None)
        return self if chosen is None else dataclasses.replace(self, context=chosen)
    plan: bool = False  # keep each function's code location and runtime on its result (iacfix plan)
    cache: object = None  # iacfix.cache.Cache: results of units kept between runs; None: --no-cache


@dataclass
class FileResult:
    """What a run found, fixed and could not do in one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)  # after fixing: what remains
    errors: list[FileError] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: str | None = None
    diff: str | None = None
    template: bool = False
    written: bool = False
    suppressed: list[Finding] = field(default_factory=list)  # findings a suppression holds back (iacfix.suppressions)
    functions: list = field(default_factory=list)  # iacfix plan: each function declared here (plan.records)


@dataclass
class FileView:
    """What checkers see of a file: its shown path, its text, positions in it."""

    path: str
    text: str

    @cached_property
    def positions(self) -> Positions:
        return Positions(self.text)


def error(result: FileResult, message: str, line: int = 1, column: int = 1) -> FileResult:
    result.errors.append(FileError(result.path, line, column, message))
    return result


def check(located: Located, path: str, text: str, ctx: Context) -> list[Finding]:
    """Every checker on what it consumes of ``located``; findings in file order."""
    file = FileView(path, text)
    items = [*located.sites, *located.unresolved, *located.more]
    out: list[Finding] = []
    for c in checkers_for(items):
        mine = [x for x in items if isinstance(x, c.consumes)]
        if mine:
            out += c.check(mine, file, ctx)
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out


def hold_ties(findings: list[list[Finding]]) -> set:
    """Values tied together (a Default and its AllowedValues, a variable and
    its validation) move together or not at all: when one of them is stuck
    (it should move but cannot be rewritten), the others keep their value,
    and say why.  Returns the ties held."""
    stuck: dict[tuple, Finding] = {}
    for f in (f for fs in findings for f in fs):
        if f.tie is not None and f.stuck:
            stuck.setdefault(f.tie, f)
    for f in (f for fs in findings for f in fs):
        if f.tie in stuck and f.fix is not None and not f.stuck:
            why = stuck[f.tie]
            f.fix, f.fixable, f.stuck = None, False, True
            f.fix_unavailable = (f"moves together with {why.runtime} at {why.path}:{why.line}:{why.column}, "
                                 f"which cannot be rewritten ({why.fix_unavailable})")
    return set(stuck)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, BOM not counted) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset]
    if line_start == 0 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]
    return data.count(b"\n", 0, offset) + 1, len(prefix.decode("utf-8", "replace")) + 1


def _decode(data: bytes, result: FileResult) -> str | None:
    name = encoding_of(data)
    if name != "utf-8":
        try:
            text = data.decode(name)
        except UnicodeDecodeError as e:
            before = data[:e.start].decode(name)
            error(result, f"not valid {name[:6].upper()} (bytes {data[e.start:e.end].hex(' ')} at byte {e.start})",
                  *Positions(before).at(len(before)))
            return None
        if "\x00" in text:
            error(result, "binary file (U+0000); not a template", *Positions(text).at(text.index("\x00")))
            return None
        return text
    nul = data.find(b"\x00")
    if nul != -1:
        error(result, "binary file (NUL byte); not a template", *_byte_position(data, nul))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        error(result, f"not valid UTF-8 (byte 0x{data[e.start]:02x})", *_byte_position(data, e.start))
        return None


def read(path: str, result: FileResult, limit: int = DEFAULT_MAX_FILE_SIZE) -> bytes | None:
    """A regular file's bytes, or None with the reason on ``result`` (a FIFO,
    a device, a link loop, a file over ``limit`` bytes)."""
    try:
        return read_bytes(path, limit)
    except Unreadable as e:
        error(result, e.message)
        return None


def process_file(path: str, opts: Options) -> FileResult:
    """One file on its own (a unit of one); never raises."""
    data = None
    fmt = formats.for_path(path)
    if fmt is None:  # named on the command line, claimed by no name: sniff its content
        probe = FileResult(display_path(path))
        data = read(path, probe, opts.max_file_size)
        if data is None:
            return probe
        fmt = formats.sniff(data)
        if fmt is None:
            return probe
    read_ = {path: data} if data is not None else None
    return next(r for r in process_unit(fmt, [path], opts, read=read_) if r.path == display_path(path))


def process_unit(fmt, paths: list[str], opts: Options, shared: frozenset[str] = frozenset(),
                 read: dict[str, bytes] | None = None) -> list[FileResult]:
    """The files of one unit; never raises: whatever goes wrong is reported on
    the unit's files.  ``read`` holds the bytes of files already read."""
    try:
        return _process_unit(fmt, paths, opts.for_unit(paths), shared, read or {})
    except RecursionError:
        message = "nested too deeply to analyse; file left unchanged"
    except Exception as e:  # a bug must not stop the run: report it on these files
        message = f"internal error ({type(e).__name__}: {e}); file left unchanged - please report this"
    deps.failed()  # never kept by the result cache
    return [error(FileResult(display_path(p)), message) for p in paths]


@dataclass
class ParsedFile:
    """One file of a unit as the engine holds it: its text, parse, located items and, when fixed, the new text."""

    path: str
    result: FileResult
    text: str
    doc: object
    located: Located | None = None
    new_text: str | None = None
    new_doc: object = None
    encoding: str = "utf-8"  # what the file is written back in (``unicode.encoding_of``)
    edits: list | None = None  # the edits that made new_text (a diff is built from them)
    raw: bytes | None = None  # the bytes read: a file that no longer holds them is not written


def _process_unit(fmt, paths: list[str], opts: Options, shared: frozenset[str], known: dict) -> list[FileResult]:
    results = {p: FileResult(display_path(p)) for p in paths}
    data = {p: known[p] if p in known else read(p, results[p], opts.max_file_size) for p in paths}
    data = {p: d for p, d in data.items() if d is not None}
    # Most files end here: keep this path short.  A unit is looked at when any
    # of its files may hold a site; its other files may hold what reaches one.
    if not any(fmt.prefilter(d) for d in data.values()):
        return list(results.values())
    files: dict[str, ParsedFile] = {}
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
            error(result, e.message, line, column)
            continue
        if doc is not None:
            files[path] = ParsedFile(path, result, text, doc, encoding=encoding_of(raw), raw=raw)
    located = fmt.locate_unit({p: (f.doc, f.text) for p, f in files.items()})
    for path, f in files.items():
        f.located = located.get(path)
        if f.located is not None:
            f.result.template = True
            f.result.findings = check(f.located, f.result.path, f.text, opts.context)
            suppress(fmt, f.result, f.doc, f.text, opts.context)
    for step in UNIT_STEPS:  # e.g. code readiness holds back moves the code cannot make
        step([f.result.findings for f in files.values()], opts.context)
    hold_ties([f.result.findings + f.result.suppressed for f in files.values()])
    if opts.plan:
        from .plan import records

        records(files.values())
    if opts.fix:
        from .fixing import fix_unit

        fix_unit(fmt, files, opts, shared)
    return list(results.values())
