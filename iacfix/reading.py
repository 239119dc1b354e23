"""Reading a file's bytes without trusting what the path points at.

Only regular files are read (a FIFO would block forever, a device such as
``/dev/zero`` never ends), and never more than a size cap.  The path is
looked at with ``stat`` before it is opened, so that no FIFO or device is
ever opened; it is opened non-blocking, and the opened descriptor is looked
at again (``fstat``), since the path may have changed in between.
"""

from __future__ import annotations

import errno
import os
import re
import stat

from . import deps
from .lazy_re import compiled_on_use

DEFAULT_MAX_FILE_SIZE = 50 * 1000 * 1000  # 50 MB: far above any template, module or stack file
RAISE_HINT = "raise the limit with --max-file-size"

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_BINARY", 0))
_CHUNK = 1 << 16  # a read past what stat said: normally the empty read at the end of the file

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000 ** 2, "mb": 1000 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3,
          "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3}
_SIZE = compiled_on_use(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


class Unreadable(Exception):
    """Why a file was not read, worded for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_size(text: str) -> int:
    """Bytes in ``50MB``, ``200KB``, ``1.5GB``, ``64MiB`` or ``1048576``
    (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024).  ValueError if not a size."""
    m = _SIZE.fullmatch(text)
    unit = m and _UNITS.get(m.group(2).lower())
    if not unit:
        raise ValueError(f"{text!r} is not a size (say 50MB, 200KB, 1GiB or a number of bytes)")
    return int(float(m.group(1)) * unit)


def format_size(n: int) -> str:
    """``50 MB``, ``200 KB``, ``1.5 MB``, ``512 bytes``: what the user would type, roughly."""
    for unit, size in (("GB", 1000 ** 3), ("MB", 1000 ** 2), ("KB", 1000)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} byte{'' if n == 1 else 's'}"


def _too_big(size: int, limit: int, at_least: bool = False) -> Unreadable:
    return Unreadable(f"file is {'over ' if at_least else ''}{format_size(size)}, larger than the "
                      f"{format_size(limit)} limit; not read ({RAISE_HINT})")


def _vet(st: os.stat_result, limit: int) -> None:
    if stat.S_ISREG(st.st_mode):
        if st.st_size > limit:
            raise _too_big(st.st_size, limit)
        return
    kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
    raise Unreadable(f"not a regular file ({kind}); not read")


def _why(e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return f"cannot read: symbolic link loop ({e.strerror})"
    return f"cannot read: {e.strerror or e}"


def read_bytes(path: str, limit: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them;
    raises ``Unreadable`` (never blocks on a FIFO, never reads a device).
    What it saw is recorded (``deps``): the result cache asks again."""
    try:
        _vet(deps.stat(path), limit)
        fd = os.open(path, _FLAGS)
    except OSError as e:
        deps.noted_stat(path, None, e)
        raise Unreadable(_why(e)) from None
    try:
        st = os.fstat(fd)  # what was opened, which may not be what was looked at
        deps.noted_stat(path, st)
        _vet(st, limit)
        chunks, total, want = [], 0, st.st_size + 1
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew since stat
                raise _too_big(limit, limit, at_least=True)
            want = min(_CHUNK, limit + 1 - total)
    except OSError as e:
        raise Unreadable(_why(e)) from None
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
