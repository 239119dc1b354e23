"""Splice edits into text, find positions, and write files atomically."""

from __future__ import annotations

import bisect
import os
import stat
import tempfile

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


class Positions:
    """Offset -> 1-based (line, column); columns count characters, not the BOM."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            self.starts.append(i + 1)
            i = find("\n", i + 1)
        self.bom = text.startswith("\ufeff")

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        col = offset - self.starts[line - 1] + 1
        if line == 1 and self.bom and offset > 0:
            col -= 1
        return line, col

    def line_start(self, offset: int) -> int:
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def next_line_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset)
        return self.starts[i] if i < len(self.starts) else len(self.text)


def atomic_write(path: str, data: bytes) -> None:
    """Replace ``path`` (following symlinks) with ``data``; keep its mode."""
    real = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(real).st_mode)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=".iacfix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
