"""Worker processes for big runs: they die with the run, and the run
survives losing one.

Each worker has a pipe of its own: the parent sends it a chunk of units, the
worker sends back their results, and tells the parent at once of every file
it writes.  A worker that dies (the out-of-memory killer, a signal) loses only
the unit it was processing: ``lost`` turns that unit into errors, the other
units of its chunk go back in line, and a fresh worker takes its place.
Workers die with their parent: on Linux the kernel kills them
(``PR_SET_PDEATHSIG``); elsewhere a worker stops when its parent changes or
its pipe closes.  SIGTERM, in the parent and in the workers, raises
``Interrupted`` (as SIGINT raises ``KeyboardInterrupt``) so that every
temporary file is removed on the way out.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import field

from . import edits
from .records import dataclass

STOP_GRACE = 5.0  # seconds workers get to clean up after SIGTERM before SIGKILL
_PR_SET_PDEATHSIG = 1


class Interrupted(BaseException):
    """The run was stopped by a signal; ``written`` names the files written before."""

    def __init__(self, signum: int, written: Iterable[str] = ()):
        super().__init__(signum)
        self.signum = signum
        self.written = list(written)


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


@contextmanager
def interruptible():
    """While the block runs, SIGTERM raises ``Interrupted`` (in the main thread)."""
    try:
        old = signal.signal(signal.SIGTERM, _raise_interrupted)
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextmanager
def recording(written: list[str]):
    """Files written in this process while the block runs are added to ``written``."""
    old, edits.on_written = edits.on_written, written.append
    try:
        yield
    finally:
        edits.on_written = old


def describe(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {-exitcode}, {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


# --- in the worker -------------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)


def _worker(conn, slot, progress, parent, work, init, initarg, inherited) -> None:
    for c in inherited:  # the parent's ends of the pipes: the parent alone holds them
        c.close()
    _die_with_parent(parent)
    signal.signal(signal.SIGTERM, _raise_interrupted)
    wrote = False

    def tell(path):
        nonlocal wrote
        wrote = True
        conn.send(("written", path))

    try:
        init(initarg)
        edits.on_written = tell
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            cid, units = message
            out: list = []
            progress[slot] = -1  # not on a unit yet: a death now loses none
            progress[slot + len(progress) // 2] = cid
            for i, unit in enumerate(units):
                if os.getppid() != parent:
                    os._exit(1)
                progress[slot] = i
                out += work(unit)
                if wrote:  # a write is never left unreported
                    conn.send(("part", cid, i + 1, out))
                    out, wrote = [], False
            conn.send(("done", cid, len(units), out))
    except Interrupted as e:
        sys.exit(128 + e.signum)
    except KeyboardInterrupt:
        sys.exit(128 + signal.SIGINT)
    except (BrokenPipeError, ConnectionResetError):
        sys.exit(1)


# --- in the parent -------------------------------------------------------------------------------


@dataclass
class _Worker:
    """A worker process, its pipe and the chunks of units sent to it."""

    slot: int
    proc: object
    conn: object
    chunks: collections.deque = field(default_factory=collections.deque)  # sent, oldest (the one in work) first
    acked: int = 0  # units of the oldest chunk whose results arrived

    @property
    def chunk(self) -> tuple[int, list] | None:
        return self.chunks[0] if self.chunks else None
    written: list[str] = field(default_factory=list)  # files written by units not acked yet


IN_FLIGHT = 3  # chunks sent ahead to each worker


def parallel(work: Callable, init: Callable, initarg, units: Iterable, jobs: int, chunk: int,
             lost: Callable[[object, str, list[str], int], list], written: list[str], into=None) -> list:
    """``work`` on every unit in ``jobs`` worker processes (each starting with
    ``init(initarg)``); returns their results, one list per message, appended
    to ``into`` (a list, or a ``spool.Spool``) as they arrive.  A unit
    whose worker died is given to ``lost(unit, how, files written, pid)`` instead.
    ``written`` receives the path of every file written, as it is written."""
    import multiprocessing  # here, not at start: a run small enough for one process never pays for it
    from multiprocessing.connection import wait

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    forked = ctx.get_start_method() == "fork"
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: F401  (loaded once, before forking)
    progress = ctx.RawArray("q", 2 * jobs)  # per worker: the unit it is on, and the id of its chunk
    source = iter(units)
    retry: collections.deque = collections.deque()  # units of dead workers, not begun
    ready: collections.deque = collections.deque()  # chunks walked ahead, while the workers work
    ids = itertools.count(1)  # 0 is what a worker that never began a chunk holds
    exhausted = False
    done = [] if into is None else into
    workers: dict[int, _Worker] = {}
    fruitless = 0  # deaths in a row that took no unit with them

    def walk() -> None:
        """Take the next chunk from ``units`` (walking the tree) ahead of need."""
        nonlocal exhausted
        items = []
        while not exhausted and len(items) < chunk:
            try:
                items.append(next(source))
            except StopIteration:
                exhausted = True
        if items:
            ready.append(items)

    def take() -> list:
        items = []
        while retry and len(items) < chunk:
            items.append(retry.popleft())
        if items:
            return items
        if not ready:
            walk()
        return ready.popleft() if ready else []

    def more() -> bool:
        return bool(retry or ready or not exhausted)

    def start(slot: int) -> _Worker | None:
        mine, theirs = ctx.Pipe()
        inherited = [w.conn for w in workers.values()] + [mine] if forked else []
        proc = ctx.Process(target=_worker, daemon=True,
                           args=(theirs, slot, progress, os.getpid(), work, init, initarg, inherited))
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            proc.start()
        except OSError:
            mine.close()
            theirs.close()
            return None
        theirs.close()
        w = workers[slot] = _Worker(slot, proc, mine)
        return w

    def feed(w: _Worker) -> None:
        """Keep ``IN_FLIGHT`` chunks sent to ``w``: it starts the next as soon
        as it ends one, without waiting for this process to answer."""
        while len(w.chunks) < IN_FLIGHT:
            items = take()
            if not items:
                return
            w.chunks.append((next(ids), items))
            try:
                w.conn.send(w.chunks[-1])
            except OSError:
                return  # it died: its sentinel says so

    def receive(w: _Worker, message) -> bool:
        """Record a message; True when it ends the worker's chunk."""
        kind = message[0]
        if kind == "written":
            w.written.append(message[1])
            written.append(message[1])
        elif w.chunk is not None and message[1] == w.chunk[0]:
            done.append(message[3])
            w.acked, w.written = message[2], []
            if kind == "done":
                w.chunks.popleft()
                w.acked = 0
                return True
        return False

    def buried(w: _Worker) -> None:
        """Collect what a dead worker sent, report its lost unit, requeue the rest."""
        nonlocal fruitless
        with edits.signals_held():
            while True:
                try:
                    if not w.conn.poll():
                        break
                    receive(w, w.conn.recv())
                except Exception:  # EOF, or a message cut short by its death
                    break
        w.conn.close()
        w.proc.join(STOP_GRACE)
        if w.proc.exitcode is None:  # its pipe closed, yet it lives on
            w.proc.kill()
            w.proc.join()
        del workers[w.slot]
        took = False
        if w.chunk is not None:
            items = w.chunk[1]
            at = progress[w.slot] if progress[w.slot + jobs] == w.chunk[0] else -1  # the unit it was on, if in this chunk
            if w.acked <= at < len(items):
                done.append(lost(items[at], describe(w.proc.exitcode), w.written, w.proc.pid))
                retry.extend(items[w.acked:at] + items[at + 1:])
                took = True
            else:
                retry.extend(items[w.acked:])
            for _, later in list(w.chunks)[1:]:  # sent, not begun
                retry.extend(later)
        fruitless = 0 if took else fruitless + 1

    try:
        for slot in range(jobs):
            w = start(slot)
            if w is not None:
                feed(w)
        while True:
            busy = [w for w in workers.values() if w.chunk is not None]
            if not busy:  # every worker idle (or none left)
                if not workers or not more():
                    break
                for w in list(workers.values()):
                    feed(w)
                continue
            by_handle = {}
            for w in busy:
                by_handle[w.conn] = w
                by_handle[w.proc.sentinel] = w
            ahead = len(ready) < len(workers) and not exhausted
            handles = wait(list(by_handle), 0 if ahead else None)
            if not handles and ahead:  # nobody waits for work: walk on
                walk()
                continue
            for handle in handles:
                w = by_handle[handle]
                if w.slot not in workers or workers[w.slot] is not w:
                    continue
                if handle is w.conn:
                    with edits.signals_held():  # what arrives is recorded
                        try:
                            ended = receive(w, w.conn.recv())
                        except Exception:  # its pipe closed: it died
                            ended = None
                    if ended is not None:
                        if ended:
                            feed(w)
                        continue
                    buried(w)
                else:
                    buried(w)
                if fruitless <= 2 * jobs + 2:  # else workers die before they start: the rest is done here
                    fresh = start(w.slot)
                    if fresh is not None:
                        feed(fresh)
        for w in workers.values():
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in list(workers.values()):
            w.proc.join(STOP_GRACE)
        if more():  # no worker left to take them: this process does
            init(initarg)
            with recording(written):
                done.extend(work(u) for u in itertools.chain(retry, itertools.chain.from_iterable(ready), source))
    finally:
        _stop(workers, written)
    return done


def _stop(workers: dict[int, _Worker], written: list[str]) -> None:
    """End every worker still running: SIGTERM (they finish the write they are
    in, if any, and remove their temporary files), the files they report
    written until they exit, SIGKILL after ``STOP_GRACE`` seconds."""
    from multiprocessing.connection import wait

    alive = [w for w in workers.values() if w.proc.exitcode is None]
    for w in alive:
        try:
            os.kill(w.proc.pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + STOP_GRACE
    while alive and time.monotonic() < deadline:
        handles = {w.conn: w for w in alive if not w.conn.closed}
        handles.update({w.proc.sentinel: w for w in alive})
        for handle in wait(list(handles), max(0.0, deadline - time.monotonic())):
            w = handles[handle]
            _drain(w, written)
            if handle is w.proc.sentinel:
                w.proc.join(0)
        alive = [w for w in alive if w.proc.exitcode is None]
    for w in alive:
        w.proc.kill()
    for w in workers.values():
        w.proc.join()
        _drain(w, written)
        w.conn.close()


def _drain(w: _Worker, written: list[str]) -> None:
    """Record the files a stopping worker reports written; drop the rest."""
    with edits.signals_held():
        while not w.conn.closed:
            try:
                if not w.conn.poll():
                    return
                message = w.conn.recv()
            except Exception:  # EOF: it is gone
                w.conn.close()
                return
            if message[0] == "written":
                written.append(message[1])
