"""Run units over all cores: paths stream from discovery into workers while
the tree is still being walked; small runs stay in this process.  A worker
that dies costs the unit it was processing, reported as an error on its
files; the run goes on (``workers``)."""

from __future__ import annotations

import dataclasses
import functools
import gc
import itertools
import os
import signal
import sys
from collections.abc import Iterable

from . import deps, formats, rules, workers
from .edits import remove_temporaries
from .engine import FileResult, Options, error, process_file, process_unit
from .paths import display_path
from .reading import Unreadable, read_bytes
from .records import dataclass
from .spool import Results, Spool, encode
from .units import units

PARALLEL_MIN_FILES = 256
# The collector's first generation, while a run allocates parse trees by the million: every 700
# allocations by default; 8% of a run's CPU, measured on the 30,000-file bench tree with -j 1.
GC_THRESHOLD = (50_000, 20, 100)
CHUNK = 64  # paths per task sent to a worker


@dataclass
class RunStats:
    """Counts of a run: the files read, and those of a known format."""

    files: int  # files read
    templates: int  # files that held something of a known format
    foreign: frozenset = frozenset()  # paths findings point at from another file's result (spool.foreign)


_OPTS: Options | None = None


def _init(opts: Options) -> None:
    global _OPTS
    _OPTS = opts
    mp = sys.modules.get("multiprocessing")
    if opts.cache is not None and mp is not None and mp.parent_process() is not None:  # a worker
        from .cache import at_exit

        at_exit(opts.cache)


def _work(unit: tuple[str, list[str], frozenset[str]]) -> list:
    """The unit's results: FileResults, or, when the result cache is on, the spool's items
    (``spool.encode``), which is what the cache keeps and gives back."""
    if _OPTS.cache is None:
        return _process(unit)
    with deps.recording() as seen:  # what the unit's results depend on (iacfix.cache)
        return _process(unit, seen)


def _process(unit: tuple[str, list[str], frozenset[str]], seen: deps.Recording | None = None) -> list:
    name, paths, shared = unit
    fmt = formats.by_name(name) if name else None
    read = {}
    if fmt is not None and fmt.unit == "file":  # the path most files take: read, prefilter, done
        try:
            read[paths[0]] = read_bytes(paths[0], _OPTS.max_file_size)
        except Unreadable:
            pass  # process_unit reports it
        else:
            if not fmt.prefilter(read[paths[0]]):
                return []  # as cheap as asking the cache: never kept
    cache = _OPTS.cache
    key = cache.unit_key(unit, _OPTS) if seen is not None else None
    if key is not None:
        results = cache.lookup(key)
        if results is not None:  # every file, path and directory it depends on unchanged: its records
            return results
    if fmt is None:  # claimed by no file name: the content decides
        results = [process_file(paths[0], _OPTS)]
    else:
        results = process_unit(fmt, paths, _OPTS, shared, read)
    results = [_slim(r) for r in results if r.template or r.errors]  # nothing else to send back
    if key is None:
        return results
    try:
        items = encode(results)  # what the spool stores, and the cache with it: encoded once
    except Exception:  # not even pickle can write one: in this process the spool keeps it as it is (never kept)
        return results
    cache.store(key, results, items, seen, _OPTS)
    return items


def _lost(opts: Options, unit: tuple[str, list[str], frozenset[str]], how: str, written: list[str],
          pid: int) -> list[FileResult]:
    """The files of a unit whose worker (``pid``) died while processing it; its
    temporary file, if it was writing one, is removed."""
    _, paths, _ = unit
    if opts.write:
        for directory in {os.path.dirname(os.path.realpath(p)) for p in paths}:
            remove_temporaries(directory, pid)
    where = "this file" if len(paths) == 1 else "this file's directory"
    out = []
    for path in paths:
        if path in written:
            message = (f"worker process died ({how}) after writing the fix to this file, before reporting on it; "
                       f"run iacfix on it again")
        else:
            message = f"worker process died ({how}) while processing {where}; {'not fixed' if opts.fix else 'not checked'}"
        out.append(error(FileResult(display_path(path)), message))
    return out


def _slim(result: FileResult) -> FileResult:
    """Results cross process boundaries: drop what only verification needed
    (a fix's expected document), keeping fixes that findings share shared."""
    slim = {}
    for f in result.findings + result.fixed:
        if f.fix is not None and f.fix.expect:
            if id(f.fix) not in slim:  # the original stays referenced here: its id is not reused
                slim[id(f.fix)] = (f.fix, dataclasses.replace(f.fix, expect=()))
            f.fix = slim[id(f.fix)][1]
    return result


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(requested: int | None, units: int | None = None) -> int:
    """Workers that help: more than the cores available, or than the units of
    work, only add processes that wait (``-j 1000`` on 2 cores ran 10x slower).
    ``requested`` None means all available cores; ``units`` None: not known yet."""
    cores = available_cores()
    n = min(requested or cores, cores)
    return max(1, n if units is None else min(n, units))


def _work_encoded(unit: tuple[str, list[str], frozenset[str]]) -> list:
    """``_work`` in a worker: its results as compact records (``spool.encode``),
    which the main process stores without reading."""
    return encode(_work(unit))


def run(paths: Iterable[str], opts: Options, jobs: int | None, keep=lambda path: True,
        progress=None) -> tuple[Results, RunStats]:
    """Process every path; results sorted by path whatever order work finished in,
    replayed from a ``spool.Spool`` each time they are iterated (the main process
    holds an index, not the results).
    ``keep`` says which unlisted siblings a directory unit may take in (not excluded);
    ``progress(files)``, if given, is called as units are handed out."""
    read, shared = 0, set()

    def counted(work):
        nonlocal read
        for unit in work:
            read += len(unit[1])
            if progress is not None:
                progress(read)
            shared.update(display_path(p) for p in unit[2])
            yield unit

    work = counted(units(paths, keep))
    deps.forget(keeping=opts.cache is not None)  # answers kept from an earlier run in this process may be stale
    written: list[str] = []  # as they are written: what an interrupted run reports
    done = Spool()
    collector = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)  # workers fork with it
    try:
        jobs = worker_count(jobs)
        head = list(itertools.islice(work, max(PARALLEL_MIN_FILES, jobs)))
        jobs = worker_count(jobs, len(head))
        if jobs <= 1 or len(head) < PARALLEL_MIN_FILES:
            _init(opts)
            with workers.recording(written):
                for unit in itertools.chain(head, work):
                    done.append(_work(unit))
        else:
            formats.load_all()  # imported once, before the workers fork, not once in each of them
            rules.load_all()
            workers.parallel(_work_encoded, _init, opts, itertools.chain(head, work), jobs, CHUNK,
                             functools.partial(_lost, opts), written, into=done)
    except KeyboardInterrupt:
        raise workers.Interrupted(signal.SIGINT, written) from None
    except workers.Interrupted as e:
        e.written = written
        raise
    finally:
        gc.set_threshold(*collector)
        if opts.cache is not None:
            opts.cache.flush(prune=True)
            opts.cache.close()
    results = done.results(shared)
    return results, RunStats(files=read, templates=results.templates, foreign=results.foreign)
