"""Splice edits into text, find positions, and write files atomically."""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import re
import signal
import stat
from collections.abc import Callable
from contextlib import contextmanager

from .lazy_re import compiled_on_use
from .model import Edit


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping span replacements to ``text``."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at offset {e.start}")
        out.append(text[pos:e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


_BREAKS = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(r"\r(?!\n)")


class Positions:
    """Offset -> 1-based (line, column); columns count characters, not the BOM.

    Lookups at increasing offsets (sites come sorted) resume where the last
    one stopped, so a file costs one pass however many findings it has; a
    lookup behind the last one bisects a table of line starts built once.
    """

    def __init__(self, text: str):
        self.text = text
        self.bom = text.startswith("\ufeff")
        self._offset, self._line, self._line_start = 0, 1, 0
        # Old Mac line ends (a CR alone) count as line breaks, as editors count them.
        self._starts = [0] + [m.end() for m in _BREAKS.finditer(text)] if _LONE_CR.search(text) else None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is not None:
            line = bisect.bisect_right(self._starts, offset)
            col = offset - self._starts[line - 1] + 1
            return line, col - (1 if line == 1 and self.bom and offset > 0 else 0)
        text = self.text
        if offset < self._offset:  # no lone CR here: a line starts after each LF (one pass in C)
            self._starts = [0, *itertools.accumulate(map((1).__add__, map(len, text.split("\n")[:-1])))]
            return self.at(offset)
        newlines = text.count("\n", self._offset, offset)
        if newlines:
            self._line += newlines
            self._line_start = text.rfind("\n", self._offset, offset) + 1
        self._offset = offset
        col = offset - self._line_start + 1
        if self._line == 1 and self.bom and offset > 0:
            col -= 1
        return self._line, col


CHANGED = "changed while iacfix was fixing it; not written"
TEMP_PREFIX, TEMP_SUFFIX = ".iacfix-", ".tmp"
# What atomic_write leaves behind when it is killed: .iacfix-<pid>-<8 random>.tmp
# (temporary files and backup links); versions up to 0.1.0 wrote no pid.
TEMP_NAME = compiled_on_use(r"\.iacfix-(?:(\d+)-)?[a-z0-9_]{8}\.tmp\Z")
_NO_XATTRS = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}

# Called with the path once a file is replaced, with SIGINT and SIGTERM held:
# a worker tells its parent at once, so a write is never done and unreported.
on_written: Callable[[str], None] | None = None


class NotWritten(Exception):
    """The file is left as it is, for the reason given."""


def hard_links(count: int) -> str:
    return (f"it has {count} hard links; writing it would split them (the other names would keep the old "
            f"runtime): fix it by hand, or give it a single name (cp FILE FILE.new && mv FILE.new FILE) and fix again")


@contextmanager
def signals_held():
    """SIGINT and SIGTERM (their handlers run in the main thread) wait until
    the block ends: a write and its record happen together or not at all."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, OSError, ValueError):  # no POSIX signals here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _content(fh) -> bytes:
    fh.seek(0)
    return fh.read()


def _copy_metadata(src: int, dst: int, st: os.stat_result) -> None:
    """Owner and group (where allowed), mode, extended attributes (ACLs and
    SELinux labels are some) of ``src`` onto ``dst``."""
    try:
        os.fchown(dst, st.st_uid, st.st_gid)
    except PermissionError:  # not root: the file becomes ours, as any editor would make it
        pass
    os.fchmod(dst, stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(src)
    except OSError as e:
        if e.errno in _NO_XATTRS:
            return
        raise
    for name in names:
        value = os.getxattr(src, name)
        try:
            os.setxattr(dst, name, value)
        except OSError as e:
            if e.errno in _NO_XATTRS:
                continue
            try:  # a label the system gave the new file already (SELinux) is fine
                if os.getxattr(dst, name) == value:
                    continue
            except OSError:
                pass
            raise


def _backup_link(real: str, directory: str) -> str | None:
    """A second name for the file about to be replaced, to put it back (the
    same inode, so writers holding it open lose nothing) if it changes in the
    instant of the replace; None where hard links are not possible."""
    for _ in range(10):
        name = os.path.join(directory, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(6).hex()[:8]}{TEMP_SUFFIX}")
        try:
            os.link(real, name, follow_symlinks=False)
            return name
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def atomic_write(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` (following symlinks) with ``data``, or raise
    ``NotWritten`` and leave it alone.

    The replacement keeps the file's mode, owner and group (where allowed) and
    extended attributes; a file with several hard links is not written (the
    rename would split them).  With ``expected`` (the bytes the fix was made
    from), the file must still hold exactly them: checked before the temporary
    file is written and again just before the rename; a write landing in the
    instant of the rename is caught too, and the changed file is put back.
    SIGINT and SIGTERM wait until the call ends (a write takes milliseconds):
    however it ends, short of SIGKILL, it leaves no temporary file behind."""
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    with open(real, "rb") as current:  # keeps the old inode readable after the rename
        st = os.fstat(current.fileno())
        if st.st_nlink > 1:
            raise NotWritten(hard_links(st.st_nlink) + "; not written")
        if expected is not None and (st.st_size != len(expected) or _content(current) != expected):
            raise NotWritten(CHANGED)
        import tempfile  # here: a check never writes, and need not import it (with shutil, random: 4 ms)

        with signals_held():
            tmp = backup = None
            try:
                fd, tmp = tempfile.mkstemp(dir=directory, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    _copy_metadata(current.fileno(), fh.fileno(), st)
                    os.fsync(fh.fileno())
                if expected is not None:
                    backup = _backup_link(real, directory)
                    now = os.stat(real)
                    if ((now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) !=
                            (st.st_dev, st.st_ino, len(expected), st.st_mtime_ns)
                            or (backup is not None and os.stat(backup).st_ino != st.st_ino)
                            or _content(current) != expected):
                        raise NotWritten(CHANGED)
                os.replace(tmp, real)
                tmp = None
                if expected is not None and _content(current) != expected:  # written to as it was replaced
                    if backup is None:
                        raise NotWritten("changed while iacfix was writing it; the fix was written and the change "
                                         "made in that instant is lost: check the file")
                    os.replace(backup, real)
                    backup = None
                    raise NotWritten(CHANGED)
                if on_written is not None:
                    on_written(path)
            finally:
                for name in (tmp, backup):
                    if name is not None:
                        try:
                            os.unlink(name)
                        except FileNotFoundError:
                            pass


def leftovers(directory: str, before_ns: int) -> list[str]:
    """Remove the temporary files that a killed iacfix left in ``directory``:
    names atomic_write makes, regular files, last modified before ``before_ns``
    (when this run started), whose process is gone.  Returns their paths."""
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for e in entries:
        m = TEMP_NAME.match(e.name)
        if m is None:
            continue
        try:
            if not e.is_file(follow_symlinks=False) or e.stat(follow_symlinks=False).st_mtime_ns >= before_ns:
                continue
            if m[1] and _alive(int(m[1])):
                continue
            os.unlink(e.path)
        except OSError:
            continue
        removed.append(e.path)
    return removed


def remove_temporaries(directory: str, pid: int) -> None:
    """Remove what atomic_write in process ``pid`` (now dead) left in ``directory``."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for e in entries:
        m = TEMP_NAME.match(e.name)
        if m and m[1] == str(pid):
            try:
                os.unlink(e.path)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rpartition(b")")[2].split()[:1] not in ([b"Z"], [b"X"])
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    except (OverflowError, ValueError, OSError):
        return False
    return pid > 0
