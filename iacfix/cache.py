"""A persistent cache of each unit's results that never serves a stale answer.

An entry is one unit's results, keyed by everything that changes them: the
unit's format, paths and shared files, the working directory (paths are shown
relative to it), the run's mode and limits, the unit's judgement context (date,
horizon, catalog, target, rules, unsafe fixes, acceptances, roots), iacfix's
version and the size and mtime of every file of its code and data (the catalog
and the other data files among them), the parsers' installed files and
Python's version.  Its value is the results and every question processing the
unit asked of the file system (``iacfix.deps``: files read, paths tested,
real paths, directory listings) with the answer it got.  An entry is used only
when every question gets the same answer again; then the unit is not parsed
(a file unit's bytes are read first, for its format's prefilter).

Never kept: a run with ``--resolve`` (pip's answer may change), ``iacfix plan``,
a unit whose processing failed (an internal error), a unit that saw a file
changed within ``deps.RACY_NS`` of being looked at, and, under ``fix``, a unit
with anything to write (it is always located again from its bytes).

Where: ``--cache-dir``, else ``$IACFIX_CACHE_DIR``, else the configuration's
``cache-dir``, else ``$XDG_CACHE_HOME/iacfix`` or ``~/.cache/iacfix`` (created
0700); ``--no-cache`` or ``IACFIX_NO_CACHE=1`` turns it off, and so do ``CI``
without a directory named and a run whose paths name no directory (``cli``).
One SQLite file holds every entry: a line of JSON (what the unit asked of the
file system, and each result's path) and the results as the spool's records
(``spool.encode``: ``marshal`` of plain tuples, never a pickle), which a hit
hands to the main process as they are, without building results.  Each entry
is signed (BLAKE2b keyed with a random secret the file was created with, over
its key and body), so ``marshal`` only ever reads back bytes this cache
stored, from a file in a directory only this user can write.  A
file that is not this cache, is corrupt or of another version is set aside and
rebuilt; a directory that cannot be written, that another user owns or that
its group or anyone may write is skipped (silently unless the user named it: ``cli`` warns).  An entry neither stored nor
used (a hit stores its time again, once a day at most) for ``KEEP_DAYS`` is removed.  Concurrent
runs and workers write through SQLite's own locking, each write a transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import time
import zlib

from . import __version__, deps
from .spool import MARSHAL

SCHEMA = 2  # 2: entries hold the spool's records, signed with the file's secret
APPLICATION_ID = 0x69616366  # "iacf"
# One file per schema: two iacfix versions sharing a cache directory (a pre-commit hook's and a
# venv's) each keep their own instead of setting each other's aside at every run.
FILE_NAME = f"results-{SCHEMA}.sqlite3"
# ... and its own prune marker: the version that ran first each day stopped the other's prune.
PRUNED = f"pruned-{SCHEMA}"
KEEP_DAYS = 7  # entries neither stored nor used for this long are removed
REFRESH_AFTER = 86400  # seconds: a hit on an entry stored longer ago stores its time again (once a day at most)
FLUSH_EVERY = 64  # entries written in one transaction
PARSERS = ("yaml", "_yaml", "tree_sitter", "tree_sitter_hcl", "tree_sitter_json", "tree_sitter_typescript",
           "tree_sitter_toml", "tomli")


def default_dir() -> str | None:
    """``$IACFIX_CACHE_DIR``, else the user cache directory's ``iacfix``; None when there is no home."""
    explicit = os.environ.get("IACFIX_CACHE_DIR")
    if explicit:
        return os.path.expanduser(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if home == "~" or not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "iacfix")


# --- the entry: what the unit asked of the file system, and the spool's records ---------------------


class Unencodable(Exception):
    pass


def pack(seen: dict, items: list) -> bytes:
    """An entry's body: a line of JSON (the recording's rows, and each item's path, template flag,
    foreign paths and record length), then the records themselves (``spool.encode``'s items), as
    they are.  Raises ``Unencodable`` for a record that is not the spool's plain data (a pickle)."""
    heads = []
    for path, template, record, elsewhere in items:
        if record[:1] != MARSHAL:
            raise Unencodable("not a plain record")
        heads.append([path, template, list(elsewhere), len(record)])
    head = json.dumps([[[k, p, v] for (k, p), v in seen.items()], heads], ensure_ascii=False, separators=(",", ":"))
    return b"".join([head.encode("utf-8", "surrogateescape"), b"\n", *(item[2] for item in items)])


def unpack(raw: bytes) -> tuple[list, list]:
    """(the recording's rows, the spool's items) of a body ``pack`` made; raises ValueError
    (UnicodeError among them), TypeError... on anything else.  The records are not read here:
    the main process decodes them, as it decodes a worker's."""
    cut = raw.index(b"\n")
    seen, heads = json.loads(raw[:cut].decode("utf-8", "surrogateescape"))
    items, at = [], cut + 1
    for path, template, elsewhere, length in heads:
        record = raw[at:at + length]
        if (type(path) is not str or type(template) is not bool or type(length) is not int or length < 1
                or len(record) != length or record[:1] != MARSHAL or not all(type(p) is str for p in elsewhere)):
            raise ValueError("not an entry")
        items.append((path, template, record, tuple(elsewhere)))
        at += length
    if at != len(raw) or type(seen) is not list:
        raise ValueError("not an entry")
    return seen, items


# --- keys ----------------------------------------------------------------------------------------


def canonical(obj):
    """A stable, hashable description of an option value (sets sorted, dataclasses by field)."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if type(obj).__name__ == "Catalog":  # every row, in the order of its file: its repr says it all, 10x faster
        return ["Catalog", repr(obj)]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [type(obj).__name__, [[f.name, canonical(getattr(obj, f.name))] for f in dataclasses.fields(obj)
                                     if not f.name.startswith("_")]]
    if isinstance(obj, dict):
        return ["dict", sorted(([canonical(k), canonical(v)] for k, v in obj.items()), key=repr)]
    if isinstance(obj, (set, frozenset)):
        return ["set", sorted((canonical(x) for x in obj), key=repr)]
    if isinstance(obj, (list, tuple)):
        return [canonical(x) for x in obj]
    raise Unencodable(type(obj).__name__)


def _code_stamp() -> list:
    """Size and mtime of every file of iacfix's code and data (the catalog among them), and where
    the parsers' files are, with theirs: a changed file anywhere is a new key."""
    from . import rules

    out = []

    def walk(d):
        with os.scandir(d) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.is_dir():
                    if e.name != "__pycache__":
                        walk(e.path)
                elif not e.name.endswith((".pyc", ".pyo")):
                    st = e.stat()
                    out.append([e.path, st.st_size, st.st_mtime_ns])

    for top in sorted({os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.abspath(rules.__file__))}):
        walk(top)
    from importlib.machinery import PathFinder

    for name in PARSERS:
        spec = PathFinder.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else None
        if origin and os.path.exists(origin):
            st = os.stat(origin)
            out.append([origin, st.st_size, st.st_mtime_ns])
        else:
            out.append([name, None])
    return out


def keeps_nothing(opts) -> bool:
    """Whether a run keeps no results whatever the directory: ``plan``, ``--resolve`` (pip's
    answer may change), also in an override."""
    return bool(opts.plan or opts.context.resolve or any(c.resolve for _, c in opts.overrides))


def run_key(opts) -> str | None:
    """What every entry of a run depends on (None: this run keeps nothing)."""
    if keeps_nothing(opts):
        return None
    try:
        parts = [SCHEMA, __version__, sys.version, sys.platform, os.getcwd(), _code_stamp(),
                 [opts.fix, opts.write, opts.diff, opts.max_file_size, list(opts.roots), opts.links_out]]
        return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogateescape")).hexdigest()
    except (OSError, Unencodable, TypeError, ValueError):
        return None


def _checksum(secret: bytes, key: str, body: bytes) -> str:
    """The entry's body and key, signed with the cache's own secret (made when the file was): only an
    entry this cache stored passes, and only under its own key."""
    h = hashlib.blake2b(key.encode(), key=secret, digest_size=16)
    h.update(body)
    return h.hexdigest()


def _ours(directory: str) -> bool:
    """Whether ``directory`` is this user's and no other user can write in it (neither its group
    nor anyone): anyone who can could plant entries (a hit hides findings) or a link where the
    ``PRUNED`` marker goes."""
    if not hasattr(os, "geteuid"):  # no POSIX owners (Windows)
        return True
    st = os.stat(directory)
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def refusal(directory: str) -> str | None:
    """Why ``directory`` cannot hold the cache (it cannot be made or written, or another user
    can write it), or None: asked of a directory the user named, who is told."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _ours(directory):
            st = os.stat(directory)
            if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
                return "another user owns it"
            return "its group or others may write it (anyone who can could plant entries that hide findings; chmod 700 it)"
        if not os.access(directory, os.W_OK | os.X_OK):
            return "it cannot be written"
    except (OSError, ValueError) as e:
        return f"it cannot be made or read ({getattr(e, 'strerror', None) or e})"
    return None


# --- the store -----------------------------------------------------------------------------------


LAST = None  # the Cache of the last run started in this process (its counts: tests)


class Cache:
    """The results of units, in ``directory``; every failure to use it is silent."""

    def __init__(self, directory: str, opts):
        self.directory = directory
        self.key = run_key(opts)
        self.contexts: dict[int, tuple[object, str]] = {}
        self.pending: list[tuple] = []
        self.db = None
        self.secret = None  # the file's own key for its checksums
        self.pid = None
        self.broken = self.key is None or "\0" in directory  # a NUL: no file system can name it
        self.hits = self.misses = self.stored = self.refreshed = 0
        self.used: list[str] = []  # keys of entries hit that were stored over a day ago: stored again
        global LAST
        LAST = self

    def __getstate__(self):  # sent to a spawned worker: it opens its own connection
        state = dict(self.__dict__)
        state.update(db=None, pid=None, pending=[], used=[])
        return state

    # the file

    def _connect(self):
        if self.broken:
            return None
        if self.db is not None and self.pid == os.getpid():
            return self.db
        if self.pid is not None and self.pid != os.getpid():  # forked: the parent's connection is not ours
            self.db, self.pending, self.used = None, [], []
        self.pid = os.getpid()
        try:
            import sqlite3
        except ImportError:  # a Python built without it
            self.broken = True
            return None
        path = os.path.join(self.directory, FILE_NAME)
        for attempt in (1, 2):
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                if not _ours(self.directory):
                    break
                db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
                try:
                    db.execute("PRAGMA trusted_schema=OFF")
                    # One read transaction: another process (a worker, a run beside this one) may be
                    # creating the file, and a look between its writes took a cache half made for a
                    # foreign one and set it aside (3 to 10 times in 30, six processes at once).
                    db.execute("BEGIN")
                    app, version, tables = (db.execute("PRAGMA application_id").fetchone()[0],
                                            db.execute("PRAGMA user_version").fetchone()[0],
                                            db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
                    db.execute("COMMIT")
                    if (app, version) != (APPLICATION_ID, SCHEMA):
                        if tables or app:
                            raise sqlite3.DatabaseError("not this cache, or of another version")
                        try:
                            db.execute("PRAGMA journal_mode=WAL")
                            wal = True
                        except sqlite3.OperationalError:  # locked at once (no busy wait): another is creating it
                            wal = False
                        db.execute("BEGIN IMMEDIATE")  # waits for it (the busy timeout)
                        db.execute("CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, stored INTEGER NOT NULL,"
                                   " body BLOB NOT NULL, sum TEXT NOT NULL) WITHOUT ROWID")
                        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)"
                                   " WITHOUT ROWID")
                        db.execute("INSERT OR IGNORE INTO meta VALUES ('secret', ?)", (os.urandom(32),))
                        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                        db.execute(f"PRAGMA user_version={SCHEMA}")
                        db.execute("COMMIT")
                        if not wal:
                            try:
                                db.execute("PRAGMA journal_mode=WAL")  # no-op if the other process set it
                            except sqlite3.OperationalError:
                                pass  # busy again: the file works in its journal mode
                    db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is a miss
                    db.execute("SELECT 1 FROM entry LIMIT 1").fetchall()
                    secret = db.execute("SELECT value FROM meta WHERE name='secret'").fetchone()
                    if secret is None or not isinstance(secret[0], bytes) or len(secret[0]) != 32:
                        raise sqlite3.DatabaseError("no secret")
                    self.secret = secret[0]
                except sqlite3.DatabaseError:
                    db.close()
                    raise
                self.db = db
                return db
            except sqlite3.OperationalError:  # locked by another run creating it, or cannot be opened: none this run
                break
            except sqlite3.DatabaseError:  # corrupt, truncated, foreign: set aside, rebuilt
                if attempt == 2 or not self._set_aside(path):
                    break
            except (OSError, sqlite3.Error):
                break
        self.broken = True
        return None

    @staticmethod
    def _set_aside(path: str) -> bool:
        try:
            for suffix in ("", "-wal", "-shm"):
                if os.path.lexists(path + suffix):
                    os.replace(path + suffix, f"{path}.bad{suffix}")
            return True
        except OSError:
            return False

    # keys

    def unit_key(self, unit, opts) -> str | None:
        if self.broken:
            return None
        name, paths, shared = unit
        context = opts.for_unit(paths).context
        known = self.contexts.get(id(context))
        if known is None or known[0] is not context:
            try:
                digest = hashlib.sha256(json.dumps(canonical(context)).encode()).hexdigest()
            except (Unencodable, TypeError, ValueError):
                digest = None
            known = self.contexts[id(context)] = (context, digest)
        if known[1] is None:
            return None
        text = "\0".join([self.key, known[1], name, *paths, "\1", *sorted(shared)])  # no path holds a NUL
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    # entries

    def lookup(self, key: str) -> list | None:
        """The results of the unit under ``key`` as the spool's items (``spool.encode``: path,
        template flag, record, foreign paths), if everything it looked at is unchanged.  Nothing
        is decoded into results here: the records go to the main process as they were stored."""
        db = self._connect()
        if db is None:
            return None
        import sqlite3

        try:
            row = db.execute("SELECT body, sum, stored FROM entry WHERE key=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            self.misses += 1
            return None
        body, checksum, stored = row
        try:
            if not isinstance(body, bytes) or _checksum(self.secret, key, body) != checksum:
                raise ValueError("checksum")
            seen, out = unpack(zlib.decompress(body))
            if not deps.unchanged(seen):
                self.misses += 1
                return None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError, zlib.error):
            self.misses += 1
            return None
        self.hits += 1
        if not isinstance(stored, int) or stored < time.time() - REFRESH_AFTER:
            self.used.append(key)
            if len(self.used) >= FLUSH_EVERY * 4:
                self.flush()
        return out

    def store(self, key: str, results: list, items: list, recording: deps.Recording, opts) -> None:
        """Keep ``items`` (``spool.encode`` of ``results``) for ``key`` unless they must not be
        kept (see the module's docstring)."""
        if self.broken or recording.racy or recording.failed:
            return
        if opts.write and any(r.written or r.fixed or r.refused or r.diff or r.errors for r in results):
            return
        try:
            body = pack(recording.seen, items)
        except (Unencodable, TypeError, ValueError, RecursionError):  # UnicodeError is a ValueError
            return
        self.pending.append((key, int(time.time()), zlib.compress(body, 1)))
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self, prune: bool = False) -> None:
        """Write the entries kept so far (one transaction); with ``prune``, drop those older than
        KEEP_DAYS, once a day (the ``PRUNED`` file's mtime says when it was last done)."""
        if self.broken:
            self.pending, self.used = [], []
            return
        if prune:
            marker = os.path.join(self.directory, PRUNED)
            try:
                prune = time.time() - os.stat(marker).st_mtime > 86400
            except OSError:
                prune = True
            if prune and self._connect() is not None:
                try:
                    with open(marker, "w"):
                        pass
                except OSError:
                    prune = False
                else:
                    self._remove_stale_files()
        if not self.pending and not self.used and not prune:
            return
        db = self._connect()
        rows, self.pending = self.pending, []
        used, self.used = self.used, []
        if db is None:
            return
        rows = [(key, stored, body, _checksum(self.secret, key, body)) for key, stored, body in rows]
        import sqlite3

        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)", rows)
            now = int(time.time())
            db.executemany("UPDATE entry SET stored=? WHERE key=?", [(now, key) for key in used])
            if prune:
                db.execute("DELETE FROM entry WHERE stored < ?", (int(time.time()) - KEEP_DAYS * 86400,))
            db.execute("COMMIT")
            self.stored += len(rows)
            self.refreshed += len(used)
        except sqlite3.Error:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _remove_stale_files(self) -> None:
        """Remove the files of other cache schemas (an older iacfix's ``results.sqlite3``, which an
        upgrade leaves behind) and set-aside ``.bad`` files, once none has changed for KEEP_DAYS: a
        version still in use writes its file at least once a day it runs.  A database goes with its
        ``-wal`` and ``-shm`` or not at all, judged by the newest of them (its main file changes only
        at a checkpoint), and only when it is iacfix's (its application id): a directory the user
        named may hold another program's ``results.sqlite3``."""
        import re

        ours = re.compile(r"(results(?:-[0-9]+)?\.sqlite3(\.bad)?)(-wal|-shm)?")
        cutoff = time.time() - KEEP_DAYS * 86400
        groups: dict[str, list] = {}
        try:
            with os.scandir(self.directory) as entries:
                for entry in entries:
                    m = ours.fullmatch(entry.name)
                    if m and m.group(1) != FILE_NAME:
                        groups.setdefault(m.group(1), []).append(entry)
        except OSError:
            return
        for base, members in groups.items():
            try:
                if any(not e.is_file(follow_symlinks=False) or e.stat(follow_symlinks=False).st_mtime >= cutoff
                       for e in members):
                    continue
                main = os.path.join(self.directory, base)
                if not base.endswith(".bad"):  # another schema's file: only if it is iacfix's
                    if not any(e.name == base for e in members):
                        continue
                    with open(main, "rb") as fh:
                        head = fh.read(72)
                    if head[:16] != b"SQLite format 3\0" or int.from_bytes(head[68:72], "big") != APPLICATION_ID:
                        continue
                for e in sorted(members, key=lambda e: e.name != base):  # the main file first
                    os.unlink(e.path)
            except OSError:
                pass

    def close(self) -> None:
        if self.db is not None and self.pid == os.getpid():
            try:
                self.db.close()
            except Exception:
                pass
        self.db = None


def at_exit(cache: Cache) -> None:
    """In a worker process: write what it kept when it ends."""
    from multiprocessing import util

    def last():
        cache.flush()
        cache.close()

    util.Finalize(cache, last, exitpriority=10)
