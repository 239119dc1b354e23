"""What a unit's processing looked at on disk, recorded in one place.

Every read, stat, existence test, real-path lookup and directory listing that
processing a unit does goes through the functions here (file bytes through
``reading.read_bytes``, which records here too).  While ``recording()`` is
active they record (kind, path) -> what was seen, so that the result cache
(``iacfix.cache``) can tell, by asking the same questions again, whether
anything the answer depended on has changed:

- ``s`` a file's fingerprint (mtime, ctime, size, inode, mode), or its absence
  or the error that stopped it (a read);
- ``k`` / ``K`` what a path is (file, directory, link, other, absent), following
  links or not (``isfile``, ``isdir``, ``exists``, ``lexists``, ``islink``);
- ``r`` the real path a path resolves to;
- ``d`` / ``D`` a directory's names (``listdir``), or the names of its files
  (``files_in``: links followed, as ``DirEntry.is_file``).

A file whose mtime or ctime falls within ``RACY_NS`` of the moment it was
looked at may still change within its timestamp's granularity without its
fingerprint changing: a recording that saw one is ``racy``, and the cache does
not keep its answer.  Answers a process keeps between units (``memo``) keep
what they looked at with them and add it to the unit that uses them again.

Outside ``recording()`` these functions are the plain ``os`` calls.
"""

from __future__ import annotations

import functools
import os
import stat as stat_
import time

RACY_NS = 2_000_000_000  # a file changed this close to the run may change again unseen (FAT: 2 s mtime)


class Recording:
    __slots__ = ("seen", "racy", "failed", "now_ns")

    def __init__(self):
        self.seen: dict[tuple[str, str], object] = {}
        self.racy = False
        self.failed = False  # processing went wrong (an internal error): nothing to keep
        self.now_ns = time.time_ns()


_current: Recording | None = None


class recording:
    """``with recording() as r:`` records in ``r`` what the block looks at."""

    def __enter__(self) -> Recording:
        global _current
        self.outer, _current = _current, Recording()
        return _current

    def __exit__(self, *exc):
        global _current
        inner, _current = _current, self.outer
        if self.outer is not None:  # nested: what the inner block looked at, the outer did too
            self.outer.seen.update(inner.seen)
            self.outer.racy = self.outer.racy or inner.racy
            self.outer.failed = self.outer.failed or inner.failed
        return False


def failed() -> None:
    """What is being recorded ended in an internal error: its answer is not to be kept."""
    if _current is not None:
        _current.failed = True


def _kind(mode: int) -> str:
    if stat_.S_ISREG(mode):
        return "f"
    if stat_.S_ISDIR(mode):
        return "d"
    return "l" if stat_.S_ISLNK(mode) else "o"


def _error(e: OSError) -> object:
    return None if isinstance(e, (FileNotFoundError, NotADirectoryError)) else f"E{e.errno}"


def fingerprint(st: os.stat_result) -> tuple:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)


def _note(kind: str, path: str, value) -> None:
    rec = _current
    if rec is not None:
        rec.seen[(kind, path)] = value
        if kind == "s" and isinstance(value, tuple) and max(value[0], value[1]) >= rec.now_ns - RACY_NS:
            rec.racy = True


def noted_stat(path: str, st: os.stat_result | None, error: OSError | None = None) -> None:
    """Record what reading ``path`` saw: the ``fstat`` of what was opened, or why it was not."""
    if _current is not None:
        _note("s", path, fingerprint(st) if st is not None else _error(error))


# --- the questions, each with the function that asks it again ------------------------------------


def _stat_value(path: str):
    try:
        return fingerprint(os.stat(path))
    except OSError as e:
        return _error(e)


def _kind_value(path: str):
    try:
        return _kind(os.stat(path).st_mode)
    except OSError as e:
        return _error(e)


def _lkind_value(path: str):
    try:
        return _kind(os.lstat(path).st_mode)
    except OSError as e:
        return _error(e)


def _digest(names) -> str:
    import hashlib  # here: a run without the result cache never needs it

    return hashlib.blake2b("\0".join(sorted(names)).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _names(path: str) -> list[str]:
    return os.listdir(path)


def _files(path: str) -> list[str]:
    out = []
    with os.scandir(path) as entries:
        for e in entries:
            try:
                if e.is_file():
                    out.append(e.name)
            except OSError:  # a link loop: the caller's reading reports it
                out.append(e.name)
    return out


def _listing_value(lister):
    def value(path: str):
        try:
            return _digest(lister(path))
        except OSError as e:
            return _error(e)

    return value


ASK = {
    "s": _stat_value,
    "k": _kind_value,
    "K": _lkind_value,
    "r": os.path.realpath,
    "d": _listing_value(_names),
    "D": _listing_value(_files),
}


def unchanged(seen) -> bool:
    """Whether every question in ``seen`` ((kind, path, answer) rows) gets the same answer now."""
    for kind, path, value in seen:
        now = ASK[kind](path)
        if now != value and not (isinstance(now, tuple) and list(now) == value):
            return False
    return True


# --- what processing calls ------------------------------------------------------------------------


def stat(path: str) -> os.stat_result:
    """``os.stat``, its fingerprint recorded (raises as it does)."""
    try:
        st = os.stat(path)
    except OSError as e:
        _note("s", path, _error(e))
        raise
    _note("s", path, fingerprint(st))
    return st


def _is(path: str, kinds: str, follow: bool = True) -> bool:
    value = (_kind_value if follow else _lkind_value)(path)
    _note("k" if follow else "K", path, value)
    return isinstance(value, str) and value in kinds


def isfile(path: str) -> bool:
    return _is(path, "f")


def isdir(path: str) -> bool:
    return _is(path, "d")


def exists(path: str) -> bool:
    return _is(path, "fdo")


def lexists(path: str) -> bool:
    return _is(path, "fdlo", follow=False)


def islink(path: str) -> bool:
    return _is(path, "l", follow=False)


def realpath(path: str) -> str:
    real = os.path.realpath(path)
    _note("r", path, real)
    return real


def _listed(kind: str, lister, path: str) -> list[str]:
    try:
        names = lister(path)
    except OSError as e:
        _note(kind, path, _error(e))
        raise
    if _current is not None:
        _note(kind, path, _digest(names))
    return names


def listdir(path: str) -> list[str]:
    """``os.listdir``, recorded (raises as it does)."""
    return _listed("d", _names, path)


def files_in(path: str) -> list[str]:
    """The names of the files in directory ``path`` (links to files too, and links
    that cannot be followed for another reason than a missing target), in no order;
    raises OSError when it cannot be listed."""
    return _listed("D", _files, path)


def _read(path: str, how: dict, size: int = -1):
    """``open(path, **how).read(size)``, what was opened recorded (or why it could not be)."""
    try:
        with open(path, **how) as fh:
            st = os.fstat(fh.fileno())
            data = fh.read(size)
    except OSError as e:
        _note("s", path, _stat_value(path) if _current is not None and not isinstance(e, FileNotFoundError)
              else _error(e))
        raise
    _note("s", path, fingerprint(st))
    return data


def read_text(path: str, errors: str = "strict") -> str:
    """``open(path, encoding="utf-8", errors=errors).read()``, recorded."""
    return _read(path, {"encoding": "utf-8", "errors": errors})


def read_head(path: str, size: int) -> bytes:
    """``open(path, "rb").read(size)``, recorded."""
    return _read(path, {"mode": "rb"}, size)


_FORGET: list = []  # how to empty each answer kept in memory
_keeping = True  # whether a run keeps what it looked at (the result cache); ``forget`` sets it


def on_forget(clear) -> None:
    """``clear()`` empties answers a process keeps between units: ``forget`` calls it."""
    _FORGET.append(clear)


def forget(keeping: bool = True) -> None:
    """Drop every answer kept in memory (at the start of a run: an earlier run in this process
    may have kept answers that files changed since then make stale).  ``keeping`` False: the
    run keeps no result cache, so answers ``memo`` computes from now on need not carry what
    they looked at (and, dropped here, none that does not is ever handed to a run that keeps)."""
    global _keeping
    for clear in _FORGET:
        clear()
    _keeping = keeping


def memo(maxsize: int):
    """``functools.lru_cache`` for answers that look at disk: a unit that gets an
    answer computed for another records what computing it looked at."""

    def decorate(fn):
        @functools.lru_cache(maxsize=maxsize)
        def computed(*args):
            if not _keeping and _current is None:  # nothing records it: no result cache in this run
                return fn(*args), (), False
            with recording() as rec:
                value = fn(*args)
            return value, tuple(rec.seen.items()), rec.racy

        @functools.wraps(fn)
        def wrapped(*args):
            value, seen, racy = computed(*args)
            rec = _current
            if rec is not None:
                rec.seen.update(seen)
                rec.racy = rec.racy or racy
            return value

        wrapped.cache_clear, wrapped.cache_info = computed.cache_clear, computed.cache_info
        on_forget(computed.cache_clear)
        return wrapped

    return decorate
