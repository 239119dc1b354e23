"""Splice edits into text, find positions, and write files atomically."""

from __future__ import annotations

import bisect
import os
import re
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
        if offset < self._offset:
            self._starts = [0] + [m.end() for m in _BREAKS.finditer(text)]
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
