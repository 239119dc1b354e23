"""Results off the heap: each finished unit's results are kept as compact
records (``marshal`` of plain tuples), in memory up to ``SPILL_AT`` bytes and
then in an unlinked temporary file; the main process keeps only an index
(path, arrival, where the record is) and replays the results sorted by path,
one at a time, to a reporter that writes as it goes.

Workers encode their results themselves (``encode``), so what crosses the
pipe is bytes the main process stores without reading; a record is decoded
once per replay (``decode``).  The result cache (``iacfix.cache``) keeps these
same items and gives them back on a hit, so a cached unit's results are never
built in the worker.  A result ``marshal`` cannot hold (``iacfix
plan``'s function records, a fix still carrying its expected document)
is pickled instead.  Results of one path (a file shared by several units
through a link, ``units.merge``) are merged as they are replayed.
"""

from __future__ import annotations

import itertools
import marshal
import operator
import os
from collections.abc import Iterable, Iterator
from dataclasses import fields

from .engine import FileResult
from .model import Edit, Expectation, FileError, Finding, Fix, Where
from .sorted_runs import SortedRuns
from .units import merge

SPILL_AT = 4 << 20  # bytes of records kept in memory before they go to a temporary file

_RESULT = tuple(f.name for f in fields(FileResult))
_FINDING = tuple(f.name for f in fields(Finding))
_FIX = tuple(f.name for f in fields(Fix))
_WHERE = tuple(f.name for f in fields(Where))
_ERROR = tuple(f.name for f in fields(FileError))
_FINDING_LISTS = tuple(i for i, n in enumerate(_RESULT) if n in ("findings", "fixed", "suppressed"))
_ERRORS = _RESULT.index("errors")
_FIX_AT, _WHERE_AT = _FINDING.index("fix"), _FINDING.index("where")
_EDITS_AT, _EXPECT_AT = _FIX.index("edits"), _FIX.index("expect")
_result_values = operator.attrgetter(*_RESULT)
_finding_values = operator.attrgetter(*_FINDING)
_fix_values = operator.attrgetter(*_FIX)
_where_values = operator.attrgetter(*_WHERE)
_error_values = operator.attrgetter(*_ERROR)
MARSHAL, _PICKLE = b"m", b"p"  # a record's first byte: how the rest is written


def _plain_finding(f: Finding, fixes: dict) -> tuple:
    values = list(_finding_values(f))
    fix = values[_FIX_AT]
    if fix is not None:  # findings that share a fix share one tuple: marshal writes it once
        plain = fixes.get(id(fix))
        if plain is None:
            plain = fixes[id(fix)] = list(_fix_values(fix))
            plain[_EDITS_AT] = tuple(tuple(e) for e in fix.edits)
            plain[_EXPECT_AT] = tuple(tuple(e) for e in fix.expect)  # kept on suppressed findings' fixes
            plain = fixes[id(fix)] = tuple(plain)
        values[_FIX_AT] = plain
    if values[_WHERE_AT] is not None:
        values[_WHERE_AT] = _where_values(values[_WHERE_AT])
    return tuple(values)


def encode_one(result: FileResult) -> bytes:
    """One result as bytes ``decode`` turns back into an equal result."""
    values = list(_result_values(result))
    fixes: dict = {}
    for i in _FINDING_LISTS:
        values[i] = [_plain_finding(f, fixes) for f in values[i]]
    values[_ERRORS] = [_error_values(e) for e in values[_ERRORS]]
    try:
        return MARSHAL + marshal.dumps(tuple(values))
    except ValueError:  # something marshal cannot write (a plan record): pickle keeps it whole
        import pickle

        return _PICKLE + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def foreign(result: FileResult) -> tuple[str, ...]:
    """The paths of the findings a result holds that are not its own file's
    (code readiness points at a function's handler code)."""
    if all(f.path == result.path for f in result.findings + result.suppressed + result.fixed):
        return ()
    return tuple({f.path for f in result.findings + result.suppressed + result.fixed} - {result.path})


def encode(results: list) -> list[tuple[str, bool, bytes, tuple[str, ...]]]:
    """(path, whether it held something of a known format, record, ``foreign`` paths) for each
    result; an item already encoded (the result cache holds them so) is kept as it is."""
    return [r if type(r) is tuple else (r.path, r.template, encode_one(r), foreign(r)) for r in results]


_edit, _expectation = Edit._make, Expectation._make


def _finding(plain: tuple, fixes: dict) -> Finding:
    values = list(plain)
    fix = values[_FIX_AT]
    if fix is not None:
        values[_FIX_AT] = fixes.get(id(fix))
        if values[_FIX_AT] is None:
            made = list(fix)
            made[_EDITS_AT] = tuple(map(_edit, fix[_EDITS_AT]))
            made[_EXPECT_AT] = tuple(map(_expectation, fix[_EXPECT_AT]))
            values[_FIX_AT] = fixes[id(fix)] = Fix(*made)
    if values[_WHERE_AT] is not None:
        values[_WHERE_AT] = Where(*values[_WHERE_AT])
    return Finding(*values)


def decode(record: bytes) -> FileResult:
    if record[:1] == _PICKLE:
        import pickle

        return pickle.loads(record[1:])
    values = list(marshal.loads(memoryview(record)[1:]))
    fixes: dict = {}  # id of a shared tuple -> its Fix (marshal gives a shared tuple back as one object)
    for i in _FINDING_LISTS:
        values[i] = [_finding(f, fixes) for f in values[i]]
    values[_ERRORS] = [FileError(*e) for e in values[_ERRORS]]
    return FileResult(*values)


class Spool:
    """Encoded results as they arrive, in any order; ``results`` replays them sorted."""

    def __init__(self, spill_at: int | None = None, index_at: int | None = None):
        # (path, arrival, offset, length, template), replayed sorted; length -1: the record kept in memory
        # at that offset (in ``_moved`` once spilled), -2: an object (``sorted_runs``: flat as results grow)
        self.index = SortedRuns(index_at)
        self.foreign: set[str] = set()  # paths findings point at in another file's result (``foreign``)
        self.spill_at = SPILL_AT if spill_at is None else spill_at
        self._memory: list[bytes] = []  # records while they are few; then offsets into _file
        self._objects: list[FileResult] = []  # results not even pickle can write (a plan record's closure)
        self._size = 0
        self._file = None
        self._moved: list[tuple[int, int]] | None = None  # where the records once in memory went: offset, length
        self._reading = False

    def append(self, batch: list) -> None:
        """One batch of results: FileResults, or ``encode``'s triples (from a worker)."""
        for item in batch:
            if isinstance(item, FileResult):
                try:
                    record = encode_one(item)
                except Exception:  # not even pickle can write it (pickle.PicklingError...): kept as it is, here
                    self.index.append((item.path, len(self.index), len(self._objects), -2, item.template))
                    self._objects.append(item)
                    self.foreign.update(foreign(item))
                    continue
                item = (item.path, item.template, record, foreign(item))
            path, template, record, elsewhere = item
            self.foreign.update(elsewhere)
            if self._file is None and self._size + len(record) > self.spill_at:
                self._spill()
            if self._file is None:
                self.index.append((path, len(self.index), len(self._memory), -1, template))
                self._memory.append(record)
            else:
                if self._reading:  # a record was read back since: write at the end again
                    self._file.seek(0, os.SEEK_END)
                    self._reading = False
                self.index.append((path, len(self.index), self._size, len(record), template))
                self._file.write(record)
            self._size += len(record)

    def extend(self, batches: Iterable[list]) -> None:
        for batch in batches:
            self.append(batch)

    def _spill(self) -> None:
        import tempfile  # only a run with many results pays for it

        self._file = tempfile.TemporaryFile(prefix="iacfix-results-")  # unlinked: gone when closed
        self._moved, offset = [], 0
        for record in self._memory:  # the index keeps their numbers: _moved says where they went
            self._moved.append((offset, len(record)))
            self._file.write(record)
            offset += len(record)
        self._memory = []

    def result(self, entry) -> FileResult:
        _, _, offset, length, _ = entry
        if length == -2:
            return self._objects[offset]
        if length == -1:
            if self._moved is None:
                return decode(self._memory[offset])
            offset, length = self._moved[offset]
        self._file.seek(offset)  # os.pread would do, but not on Windows
        self._reading = True
        return decode(self._file.read(length))

    def results(self, shared: set[str]) -> Results:
        return Results(self, shared)


class Results:
    """The run's results, sorted by path, decoded one at a time each time they
    are iterated; then whatever was appended (discovery's problems).  One real
    file reached through several units (``shared``) is one result, with each
    finding once, at its first path."""

    def __init__(self, spool: Spool, shared: set[str]):
        self.spool = spool
        self.extra: list[FileResult] = []
        # The index replays sorted by path, then arrival: the order units.merge keeps.
        # Paths of one real file: key -> entries, replayed at the first path
        self._groups: dict[str, list] = {}
        self._skip: set[str] = set()
        for entry in spool.index if shared else ():
            if entry[0] in shared:
                self._groups.setdefault(os.path.realpath(entry[0]), []).append(entry)
        for key, entries in list(self._groups.items()):
            paths = sorted({e[0] for e in entries})
            if len(paths) == 1:
                del self._groups[key]  # consecutive in the index: merged as any repeated path is
                continue
            self._skip.update(paths[1:])
            self._groups[paths[0]] = self._groups.pop(key)
        self.shared = shared
        self.foreign = frozenset(spool.foreign)
        self.templates = sum(1 for _ in self._runs(templates_only=True))

    def _runs(self, templates_only: bool = False) -> Iterator[list]:
        """The index entries of each result, in path order."""
        for path, entries in itertools.groupby(self.spool.index, key=operator.itemgetter(0)):
            if path not in self._skip:
                run = self._groups.get(path) or list(entries)
                if not templates_only or any(e[4] for e in run):
                    yield run

    def __iter__(self) -> Iterator[FileResult]:
        for run in self._runs():
            decoded = [self.spool.result(e) for e in run]
            yield decoded[0] if len(decoded) == 1 else merge(decoded, self.shared)[0]
        yield from self.extra

    def append(self, result: FileResult) -> None:
        self.extra.append(result)


class Spill:
    """Text written now and read back once, later: in memory up to ``SPILL_AT``
    characters, then in an unlinked temporary file.  What a report writes after
    something it learns only at the end of the run (the findings of a JSON
    document before its errors; SARIF's rules before its results)."""

    def __init__(self, spill_at: int | None = None):
        self.spill_at = SPILL_AT if spill_at is None else spill_at
        self._parts: list[str] = []
        self._size = 0
        self._file = None

    def write(self, text: str) -> None:
        if self._file is not None:
            self._file.write(text)
            return
        self._parts.append(text)
        self._size += len(text)
        if self._size > self.spill_at:
            import tempfile

            # newline="": no translation either way; surrogatepass: a lone surrogate comes back as itself
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogatepass", newline="",
                                                prefix="iacfix-report-")
            self._file.write("".join(self._parts))
            self._parts = []

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        """What was written, in pieces that end at a line's end (or at the end)."""
        if self._file is None:
            if self._parts:
                yield "".join(self._parts)
            return
        self._file.seek(0)
        while True:
            chunk = self._file.read(size)
            if not chunk:
                break
            yield chunk + self._file.readline()
        self._file.close()
        self._file = None

    def __bool__(self) -> bool:
        return bool(self._parts) or self._file is not None



class Distinct:
    """Counts distinct items (tuples that begin with a path) over results that
    come one path at a time: an item whose path is its result's own is seen in
    that result only and need not be kept; only items at ``foreign`` paths are."""

    def __init__(self, foreign: frozenset[str] = frozenset()):
        self.foreign = foreign
        self.kept: set = set()
        self.counted = 0

    def add(self, items: Iterable[tuple]) -> None:
        """The items of one result."""
        mine = set()
        for item in items:
            (self.kept if item[0] in self.foreign else mine).add(item)
        self.counted += len(mine)

    def __len__(self) -> int:
        return self.counted + len(self.kept)


class Occurrences:
    """Which occurrence of its key each finding is (1, 2, ...), over results
    that come one path at a time: keys at a result's own path are counted for
    that result only (``next_result`` forgets them), keys at ``foreign``
    paths for the whole run."""

    def __init__(self, foreign: frozenset[str] = frozenset()):
        self.foreign = foreign
        self.kept: dict = {}
        self.mine: dict = {}

    def next_result(self) -> None:
        self.mine = {}

    def __call__(self, key: tuple) -> int:
        seen = self.kept if key[0] in self.foreign else self.mine
        n = seen[key] = seen.get(key, 0) + 1
        return n
